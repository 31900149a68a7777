import { type Kysely, type SqlBool, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';

// ——— boundaries ———

/** Takes the boundaries' lock for the transaction (imports run one at a time) and moves the version on. */
export async function bumpBoundaryVersion(db: Kysely<DB>): Promise<string> {
  const r = await db
    .updateTable('grid_boundary_version')
    .set({ version: sql`version + 1` })
    .where('id', '=', true)
    .returning('version')
    .executeTakeFirstOrThrow();
  return String(r.version);
}

export async function boundaryVersion(db: Kysely<DB>): Promise<string> {
  const r = await db.selectFrom('grid_boundary_version').select('version').executeTakeFirst();
  return String(r?.version ?? '0');
}

/** Active grids with these codes inside a scope (null: anywhere). */
export async function gridsByCodes(db: Kysely<DB>, codes: string[], scopePath: string | null) {
  if (codes.length === 0) return [];
  let qb = db
    .selectFrom('jurisdictions')
    .select(['id', 'code', 'name', sql<string>`path::text`.as('path')])
    .where('code', 'in', codes)
    .where('level', '=', 'grid')
    .where('status', '=', 'active');
  if (scopePath) qb = qb.where(sql<SqlBool>`path <@ ${scopePath}::ltree`);
  return qb.execute();
}

const boundaryColumns = [
  'gb.jurisdiction_id',
  'gb.geometry',
  'gb.min_lng',
  'gb.min_lat',
  'gb.max_lng',
  'gb.max_lat',
  sql<string>`gb.path::text`.as('path'),
  'j.code',
  'j.name',
] as const;

/** Stored boundaries of active grids whose boxes meet a box, except some grids (those being replaced). */
export async function boundariesNear(db: Kysely<DB>, box: [number, number, number, number], exceptIds: string[]) {
  let qb = db
    .selectFrom('grid_boundaries as gb')
    .innerJoin('jurisdictions as j', 'j.id', 'gb.jurisdiction_id')
    .select(boundaryColumns)
    .where('j.status', '=', 'active')
    .where('gb.min_lng', '<=', box[2])
    .where('gb.max_lng', '>=', box[0])
    .where('gb.min_lat', '<=', box[3])
    .where('gb.max_lat', '>=', box[1]);
  if (exceptIds.length > 0) qb = qb.where('gb.jurisdiction_id', 'not in', exceptIds);
  return qb.execute();
}

export async function boundariesWithin(db: Kysely<DB>, nodePath: string) {
  return db
    .selectFrom('grid_boundaries as gb')
    .innerJoin('jurisdictions as j', 'j.id', 'gb.jurisdiction_id')
    .select(boundaryColumns)
    .where('j.status', '=', 'active')
    .where(sql<SqlBool>`gb.path <@ ${nodePath}::ltree`)
    .orderBy('j.code')
    .execute();
}

export async function allBoundaries(db: Kysely<DB>) {
  return db
    .selectFrom('grid_boundaries as gb')
    .innerJoin('jurisdictions as j', 'j.id', 'gb.jurisdiction_id')
    .select(boundaryColumns)
    .where('j.status', '=', 'active')
    .execute();
}

export async function upsertBoundary(
  db: Kysely<DB>,
  v: {
    jurisdictionId: string;
    path: string;
    geometry: string;
    bbox: [number, number, number, number];
    vertices: number;
    by: string | null;
    now: Date;
  },
) {
  const row = {
    path: v.path,
    geometry: v.geometry,
    min_lng: v.bbox[0],
    min_lat: v.bbox[1],
    max_lng: v.bbox[2],
    max_lat: v.bbox[3],
    vertex_count: v.vertices,
    updated_at: v.now,
    updated_by: v.by,
  };
  await db
    .insertInto('grid_boundaries')
    .values({ jurisdiction_id: v.jurisdictionId, ...row })
    .onConflict((oc) => oc.column('jurisdiction_id').doUpdateSet(row))
    .execute();
}

// ——— assignments ———

export async function gridManagersOf(db: Kysely<DB>, gridId: string) {
  return db
    .selectFrom('grid_managers as gm')
    .innerJoin('users as u', 'u.id', 'gm.user_id')
    .innerJoin('jurisdictions as j', 'j.id', 'gm.jurisdiction_id')
    .select([
      'gm.user_id',
      'u.username',
      'u.display_name',
      'gm.jurisdiction_id as target_id',
      'j.name as target_name',
      'gm.assigned_at',
    ])
    .where('gm.jurisdiction_id', '=', gridId)
    .orderBy('u.username')
    .execute();
}

export async function insertGridManager(
  db: Kysely<DB>,
  v: { userId: string; gridId: string; path: string; by: string | null; now: Date },
) {
  await db
    .insertInto('grid_managers')
    .values({ user_id: v.userId, jurisdiction_id: v.gridId, path: v.path, assigned_at: v.now, assigned_by: v.by })
    .onConflict((oc) => oc.columns(['user_id', 'jurisdiction_id']).doNothing())
    .execute();
}

export async function deleteGridManager(db: Kysely<DB>, userId: string, gridId: string): Promise<boolean> {
  const r = await db
    .deleteFrom('grid_managers')
    .where('user_id', '=', userId)
    .where('jurisdiction_id', '=', gridId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function buildingHeadsOf(db: Kysely<DB>, buildingId: string) {
  return db
    .selectFrom('building_heads as bh')
    .innerJoin('users as u', 'u.id', 'bh.user_id')
    .innerJoin('buildings as b', 'b.id', 'bh.building_id')
    .select([
      'bh.user_id',
      'u.username',
      'u.display_name',
      'bh.building_id as target_id',
      'b.name as target_name',
      'bh.assigned_at',
    ])
    .where('bh.building_id', '=', buildingId)
    .orderBy('u.username')
    .execute();
}

export async function insertBuildingHead(
  db: Kysely<DB>,
  v: { userId: string; buildingId: string; jurisdictionId: string; path: string; by: string | null; now: Date },
) {
  await db
    .insertInto('building_heads')
    .values({
      user_id: v.userId,
      building_id: v.buildingId,
      jurisdiction_id: v.jurisdictionId,
      path: v.path,
      assigned_at: v.now,
      assigned_by: v.by,
    })
    .onConflict((oc) => oc.columns(['user_id', 'building_id']).doNothing())
    .execute();
}

export async function deleteBuildingHead(db: Kysely<DB>, userId: string, buildingId: string): Promise<boolean> {
  const r = await db
    .deleteFrom('building_heads')
    .where('user_id', '=', userId)
    .where('building_id', '=', buildingId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
