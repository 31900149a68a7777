import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { pathWithin, type Scope, scopeWhere } from './registry.queries.ts';

export type PlaceFilter = {
  nodePath: string | null;
  complexId?: string | undefined;
  buildingId?: string | undefined;
  unitId?: string | undefined;
  afterSeq: string | null;
  limit: number;
};

// ——— complexes ———

const complexSelect = (db: Kysely<DB>) =>
  db
    .selectFrom('complexes as c')
    .innerJoin('jurisdictions as j', 'j.id', 'c.jurisdiction_id')
    .select([
      'c.id',
      'c.seq',
      'c.name',
      'c.address',
      'c.created_at',
      'c.updated_at',
      sql<string>`c.path::text`.as('path'),
      'j.id as j_id',
      'j.code as j_code',
      'j.name as j_name',
      sql<number>`(select count(*)::int from buildings b where b.complex_id = c.id)`.as('building_count'),
    ]);
export type ComplexRow = NonNullable<Awaited<ReturnType<typeof complexById>>>;

export async function complexById(db: Kysely<DB>, id: string, scope: Scope) {
  return complexSelect(db)
    .where('c.id', '=', id)
    .where(scopeWhere(scope, 'c', null))
    .executeTakeFirst();
}

export async function listComplexes(db: Kysely<DB>, scope: Scope, f: PlaceFilter) {
  let qb = complexSelect(db).where(scopeWhere(scope, 'c', null));
  if (f.nodePath) qb = qb.where(pathWithin('c', f.nodePath));
  if (f.afterSeq) qb = qb.where('c.seq', '>', f.afterSeq);
  return qb
    .orderBy('c.seq')
    .limit(f.limit + 1)
    .execute();
}

export async function insertComplex(
  db: Kysely<DB>,
  v: { jurisdictionId: string; path: string; name: string; address: string | null; now: Date },
) {
  return db
    .insertInto('complexes')
    .values({
      jurisdiction_id: v.jurisdictionId,
      path: v.path,
      name: v.name,
      address: v.address,
      created_at: v.now,
      updated_at: v.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updateComplex(
  db: Kysely<DB>,
  id: string,
  set: { name?: string; address?: string | null },
  now: Date,
) {
  await db
    .updateTable('complexes')
    .set({ ...set, updated_at: now })
    .where('id', '=', id)
    .execute();
}

// ——— buildings ———

const buildingSelect = (db: Kysely<DB>) =>
  db
    .selectFrom('buildings as b')
    .innerJoin('jurisdictions as j', 'j.id', 'b.jurisdiction_id')
    .leftJoin('complexes as c', 'c.id', 'b.complex_id')
    .select([
      'b.id',
      'b.seq',
      'b.complex_id',
      'c.name as complex_name',
      'b.name',
      'b.address',
      'b.lng',
      'b.lat',
      'b.floors',
      'b.jurisdiction_id',
      'b.created_at',
      'b.updated_at',
      sql<string>`b.path::text`.as('path'),
      'j.id as j_id',
      'j.code as j_code',
      'j.name as j_name',
    ]);
export type BuildingRow = NonNullable<Awaited<ReturnType<typeof buildingById>>>;

export async function buildingById(db: Kysely<DB>, id: string, scope: Scope) {
  return buildingSelect(db)
    .where('b.id', '=', id)
    .where(scopeWhere(scope, 'b', 'id'))
    .executeTakeFirst();
}

export async function listBuildings(db: Kysely<DB>, scope: Scope, f: PlaceFilter) {
  let qb = buildingSelect(db).where(scopeWhere(scope, 'b', 'id'));
  if (f.nodePath) qb = qb.where(pathWithin('b', f.nodePath));
  if (f.complexId) qb = qb.where('b.complex_id', '=', f.complexId);
  if (f.afterSeq) qb = qb.where('b.seq', '>', f.afterSeq);
  return qb
    .orderBy('b.seq')
    .limit(f.limit + 1)
    .execute();
}

export async function insertBuilding(
  db: Kysely<DB>,
  v: {
    jurisdictionId: string;
    path: string;
    complexId: string | null;
    name: string;
    address: string | null;
    lng: number | null;
    lat: number | null;
    floors: number | null;
    now: Date;
  },
) {
  return db
    .insertInto('buildings')
    .values({
      jurisdiction_id: v.jurisdictionId,
      path: v.path,
      complex_id: v.complexId,
      name: v.name,
      address: v.address,
      lng: v.lng,
      lat: v.lat,
      floors: v.floors,
      created_at: v.now,
      updated_at: v.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updateBuilding(
  db: Kysely<DB>,
  id: string,
  set: Partial<{
    complex_id: string | null;
    name: string;
    address: string | null;
    lng: number | null;
    lat: number | null;
    floors: number | null;
  }>,
  now: Date,
) {
  await db
    .updateTable('buildings')
    .set({ ...set, updated_at: now })
    .where('id', '=', id)
    .execute();
}

// ——— units ———

const unitSelect = (db: Kysely<DB>) =>
  db
    .selectFrom('units as u')
    .innerJoin('jurisdictions as j', 'j.id', 'u.jurisdiction_id')
    .select([
      'u.id',
      'u.seq',
      'u.building_id',
      'u.name',
      'u.created_at',
      'u.updated_at',
      sql<string>`u.path::text`.as('path'),
      'j.id as j_id',
      'j.code as j_code',
      'j.name as j_name',
    ]);
export type UnitRow = NonNullable<Awaited<ReturnType<typeof unitById>>>;

export async function unitById(db: Kysely<DB>, id: string, scope: Scope) {
  return unitSelect(db)
    .where('u.id', '=', id)
    .where(scopeWhere(scope, 'u', 'building_id'))
    .executeTakeFirst();
}

export async function listUnits(db: Kysely<DB>, scope: Scope, f: PlaceFilter) {
  let qb = unitSelect(db).where(scopeWhere(scope, 'u', 'building_id'));
  if (f.nodePath) qb = qb.where(pathWithin('u', f.nodePath));
  if (f.buildingId) qb = qb.where('u.building_id', '=', f.buildingId);
  if (f.afterSeq) qb = qb.where('u.seq', '>', f.afterSeq);
  return qb
    .orderBy('u.seq')
    .limit(f.limit + 1)
    .execute();
}

export async function insertUnit(
  db: Kysely<DB>,
  v: { buildingId: string; jurisdictionId: string; path: string; name: string; now: Date },
) {
  return db
    .insertInto('units')
    .values({
      building_id: v.buildingId,
      jurisdiction_id: v.jurisdictionId,
      path: v.path,
      name: v.name,
      created_at: v.now,
      updated_at: v.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updateUnit(db: Kysely<DB>, id: string, set: { name?: string }, now: Date) {
  await db
    .updateTable('units')
    .set({ ...set, updated_at: now })
    .where('id', '=', id)
    .execute();
}

// ——— dwellings ———

const dwellingSelect = (db: Kysely<DB>) =>
  db
    .selectFrom('dwellings as d')
    .innerJoin('jurisdictions as j', 'j.id', 'd.jurisdiction_id')
    .select([
      'd.id',
      'd.seq',
      'd.building_id',
      'd.unit_id',
      'd.number',
      'd.floor',
      'd.area',
      'd.use',
      'd.jurisdiction_id',
      'd.created_at',
      'd.updated_at',
      sql<string>`d.path::text`.as('path'),
      'j.id as j_id',
      'j.code as j_code',
      'j.name as j_name',
    ]);
export type DwellingRow = NonNullable<Awaited<ReturnType<typeof dwellingById>>>;

export async function dwellingById(db: Kysely<DB>, id: string, scope: Scope) {
  return dwellingSelect(db)
    .where('d.id', '=', id)
    .where(scopeWhere(scope, 'd', 'building_id'))
    .executeTakeFirst();
}

export async function listDwellings(db: Kysely<DB>, scope: Scope, f: PlaceFilter) {
  let qb = dwellingSelect(db).where(scopeWhere(scope, 'd', 'building_id'));
  if (f.nodePath) qb = qb.where(pathWithin('d', f.nodePath));
  if (f.buildingId) qb = qb.where('d.building_id', '=', f.buildingId);
  if (f.unitId) qb = qb.where('d.unit_id', '=', f.unitId);
  if (f.afterSeq) qb = qb.where('d.seq', '>', f.afterSeq);
  return qb
    .orderBy('d.seq')
    .limit(f.limit + 1)
    .execute();
}

export async function insertDwelling(
  db: Kysely<DB>,
  v: {
    buildingId: string;
    unitId: string | null;
    jurisdictionId: string;
    path: string;
    number: string;
    floor: number | null;
    area: number | null;
    use: DB['dwellings']['use'];
    now: Date;
  },
) {
  return db
    .insertInto('dwellings')
    .values({
      building_id: v.buildingId,
      unit_id: v.unitId,
      jurisdiction_id: v.jurisdictionId,
      path: v.path,
      number: v.number,
      floor: v.floor,
      area: v.area,
      use: v.use,
      created_at: v.now,
      updated_at: v.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updateDwelling(
  db: Kysely<DB>,
  id: string,
  set: Partial<{ number: string; floor: number | null; area: number | null; use: DB['dwellings']['use'] }>,
  now: Date,
) {
  await db
    .updateTable('dwellings')
    .set({ ...set, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** A dwelling with its address parts, for residents, households and organisations placed in it. */
export async function dwellingPlace(db: Kysely<DB>, id: string, scope: Scope) {
  return db
    .selectFrom('dwellings as d')
    .innerJoin('buildings as b', 'b.id', 'd.building_id')
    .select(['d.id', 'd.building_id', 'd.jurisdiction_id', sql<string>`d.path::text`.as('path')])
    .where('d.id', '=', id)
    .where(scopeWhere(scope, 'd', 'building_id'))
    .executeTakeFirst();
}
