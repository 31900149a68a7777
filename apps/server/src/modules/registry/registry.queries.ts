import type { Role } from '@jiayuan/contracts';
import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';

/**
 * Where a registry query may look. `path` null is the system (seed, CLI, jobs): no limit. A restricted scope (grid
 * managers, building heads) further limits rows to assigned grids (by path) or assigned buildings (by id).
 */
export type Scope =
  | { path: string | null; restricted: false }
  | { path: string; restricted: true; gridPaths: string[]; buildingIds: string[] };

/**
 * The scope filter every registry query applies: `path <@ scope` and, when restricted, `path <@ any(assigned grids)
 * or building_id = any(assigned buildings)`. `buildingColumn` names the row's building (null: the table has none).
 */
export function scopeWhere(s: Scope, alias: string, buildingColumn: string | null): RawBuilder<SqlBool> {
  const path = sql.ref(`${alias}.path`);
  const parts: RawBuilder<unknown>[] = [];
  if (s.path !== null) parts.push(sql`${path} <@ ${s.path}::ltree`);
  if (s.restricted) {
    const any: RawBuilder<unknown>[] = [];
    if (s.gridPaths.length > 0) any.push(sql`${path} <@ ${s.gridPaths}::ltree[]`);
    if (buildingColumn && s.buildingIds.length > 0)
      any.push(sql`${sql.ref(`${alias}.${buildingColumn}`)} = any(${s.buildingIds}::uuid[])`);
    parts.push(any.length > 0 ? sql`(${sql.join(any, sql` or `)})` : sql`false`);
  }
  return parts.length > 0 ? sql<SqlBool>`(${sql.join(parts, sql` and `)})` : sql<SqlBool>`true`;
}

/** `path <@ node` for a filter by jurisdiction node. */
export const pathWithin = (alias: string, nodePath: string): RawBuilder<SqlBool> =>
  sql<SqlBool>`${sql.ref(`${alias}.path`)} <@ ${nodePath}::ltree`;

export async function nodeById(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('jurisdictions')
    .select(['id', 'code', 'name', 'level', 'status', sql<string>`path::text`.as('path')])
    .where('id', '=', id)
    .executeTakeFirst();
}
export type NodeRow = NonNullable<Awaited<ReturnType<typeof nodeById>>>;

export async function assignedGridPaths(db: Kysely<DB>, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('grid_managers')
    .select(sql<string>`path::text`.as('path'))
    .where('user_id', '=', userId)
    .execute();
  return rows.map((r) => r.path);
}

export async function assignedBuildingIds(db: Kysely<DB>, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('building_heads').select('building_id').where('user_id', '=', userId).execute();
  return rows.map((r) => r.building_id);
}

// ——— reveal cap ———

/** Serialises one user's reveals for the rest of the transaction, so the daily count cannot be raced. */
export async function lockRevealsOf(db: Kysely<DB>, userId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(730600002, hashtext(${userId}))`.execute(db);
}

export async function revealsOn(db: Kysely<DB>, userId: string, day: string): Promise<number> {
  const r = await db
    .selectFrom('reveal_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('day', '=', day)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertReveal(
  db: Kysely<DB>,
  row: { userId: string; day: string; at: Date; objectType: string; objectId: string; field: string },
): Promise<void> {
  await db
    .insertInto('reveal_log')
    .values({
      user_id: row.userId,
      day: row.day,
      at: row.at,
      object_type: row.objectType,
      object_id: row.objectId,
      field: row.field,
    })
    .execute();
}

// ——— users, for assignments (read-only; accounts belong to the identity module) ———

export async function userForAssignment(db: Kysely<DB>, userId: string) {
  const u = await db
    .selectFrom('users as u')
    .innerJoin('jurisdictions as j', 'j.id', 'u.jurisdiction_id')
    .select(['u.id', 'u.username', 'u.display_name', 'u.status', sql<string>`j.path::text`.as('path')])
    .where('u.id', '=', userId)
    .executeTakeFirst();
  if (!u) return null;
  const roles = await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute();
  return { ...u, roles: roles.map((r) => r.role as Role) };
}

/** A unique violation's constraint name, or null for any other error. */
export function uniqueViolation(e: unknown): string | null {
  const err = e as { code?: string; constraint?: string };
  return err?.code === '23505' ? (err.constraint ?? '') : null;
}
