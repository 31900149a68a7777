import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';

const nodeColumns = [
  'j.id',
  'j.code',
  'j.name',
  'j.level',
  'j.parent_id',
  sql<string>`j.path::text`.as('path'),
  'j.status',
  'j.retired_at',
  sql<number>`(select count(*)::int from jurisdictions c where c.parent_id = j.id)`.as('child_count'),
] as const;

export async function nodeById(db: Kysely<DB>, id: string) {
  return db.selectFrom('jurisdictions as j').select(nodeColumns).where('j.id', '=', id).executeTakeFirst();
}

export async function nodeByCode(db: Kysely<DB>, code: string) {
  return db.selectFrom('jurisdictions as j').select(nodeColumns).where('j.code', '=', code).executeTakeFirst();
}

export async function children(db: Kysely<DB>, parentId: string, includeRetired: boolean) {
  let q = db.selectFrom('jurisdictions as j').select(nodeColumns).where('j.parent_id', '=', parentId);
  if (!includeRetired) q = q.where('j.status', '=', 'active');
  return q.orderBy('j.code').execute();
}

/** Nodes of a level inside a scope (e.g. the move targets). */
export async function nodesOfLevel(db: Kysely<DB>, scopePath: string, level: string, limit = 500) {
  return db
    .selectFrom('jurisdictions as j')
    .select(nodeColumns)
    .where(sql<boolean>`j.path <@ ${scopePath}::ltree`)
    .where('j.level', '=', level as never)
    .where('j.status', '=', 'active')
    .orderBy('j.code')
    .limit(limit)
    .execute();
}

export async function insertNode(
  db: Kysely<DB>,
  n: {
    code: string;
    name: string;
    level: DB['jurisdictions']['level'];
    parentId: string | null;
    path: string;
    now: Date;
  },
) {
  return db
    .insertInto('jurisdictions')
    .values({ code: n.code, name: n.name, level: n.level, parent_id: n.parentId, path: n.path, updated_at: n.now })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function renameNode(db: Kysely<DB>, id: string, name: string, now: Date) {
  await db.updateTable('jurisdictions').set({ name, updated_at: now }).where('id', '=', id).execute();
}

/** Re-roots a subtree: every path under oldPath gets newParentPath as its prefix. */
export async function moveSubtree(db: Kysely<DB>, table: string, oldPath: string, newParentPath: string) {
  await sql`update ${sql.table(table)}
    set path = ${newParentPath}::ltree || subpath(path, nlevel(${oldPath}::ltree) - 1)
    where path <@ ${oldPath}::ltree`.execute(db);
}

export async function setParent(db: Kysely<DB>, id: string, parentId: string, now: Date) {
  await db.updateTable('jurisdictions').set({ parent_id: parentId, updated_at: now }).where('id', '=', id).execute();
}

export async function activeChildCount(db: Kysely<DB>, id: string): Promise<number> {
  const r = await db
    .selectFrom('jurisdictions')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('parent_id', '=', id)
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function retireNode(db: Kysely<DB>, id: string, reason: string, now: Date) {
  await db
    .updateTable('jurisdictions')
    .set({ status: 'retired', retired_at: now, retire_reason: reason, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function countNodes(db: Kysely<DB>): Promise<number> {
  const r = await db
    .selectFrom('jurisdictions')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
