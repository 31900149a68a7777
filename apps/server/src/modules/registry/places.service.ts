import type {
  TBuildingView,
  TComplexView,
  TDwellingView,
  TUnitView,
  ZCreateBuilding,
  ZCreateComplex,
  ZCreateDwelling,
  ZCreateUnit,
  ZUpdateBuilding,
  ZUpdateComplex,
  ZUpdateDwelling,
  ZUpdateUnit,
} from '@jiayuan/contracts';
import type { z } from 'zod';
import { AppError } from '../../shared/app-error.ts';
import { type Ctx, isWithin, withTx } from '../../shared/context.ts';
import { recordAudit } from '../audit/index.ts';
import * as q from './places.queries.ts';
import { uniqueViolation } from './registry.queries.ts';
import {
  attachableNode,
  decodeCursor,
  filterNode,
  inScope,
  iso,
  page,
  type Scope,
  scopeFor,
} from './registry.service.ts';

const ALL: Scope = { path: null, restricted: false };
const ref = (r: { j_id: string; j_code: string; j_name: string }) => ({ id: r.j_id, code: r.j_code, name: r.j_name });

export const presentComplex = (r: q.ComplexRow): TComplexView => ({
  id: r.id,
  jurisdiction: ref(r),
  name: r.name,
  address: r.address,
  buildingCount: r.building_count,
  createdAt: iso(r.created_at) as string,
  updatedAt: iso(r.updated_at) as string,
});
export const presentBuilding = (r: q.BuildingRow): TBuildingView => ({
  id: r.id,
  jurisdiction: ref(r),
  complexId: r.complex_id,
  complexName: r.complex_name,
  name: r.name,
  address: r.address,
  lng: r.lng,
  lat: r.lat,
  floors: r.floors,
  createdAt: iso(r.created_at) as string,
  updatedAt: iso(r.updated_at) as string,
});
export const presentUnit = (r: q.UnitRow): TUnitView => ({
  id: r.id,
  buildingId: r.building_id,
  jurisdiction: ref(r),
  name: r.name,
  createdAt: iso(r.created_at) as string,
  updatedAt: iso(r.updated_at) as string,
});
export const presentDwelling = (r: q.DwellingRow): TDwellingView => ({
  id: r.id,
  buildingId: r.building_id,
  unitId: r.unit_id,
  jurisdiction: ref(r),
  number: r.number,
  floor: r.floor,
  area: r.area === null ? null : Number(r.area),
  use: r.use,
  createdAt: iso(r.created_at) as string,
  updatedAt: iso(r.updated_at) as string,
});

/** Runs an insert or update; a duplicate name at the same place answers 409. */
async function unique<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (uniqueViolation(e) !== null) throw new AppError('conflict', 'REGISTRY_NAME_TAKEN');
    throw e;
  }
}

/** A row the actor may read (else 404) and change (else 403). */
function writable<R extends { path: string }>(
  row: R | undefined,
  write: Scope,
  notFound: string,
  buildingId?: string | null,
): R {
  if (!row) throw new AppError('not_found', notFound);
  if (!inScope(write, { path: row.path, buildingId: buildingId ?? null }))
    throw new AppError('forbidden', 'ACCESS_FORBIDDEN');
  return row;
}

const audit = (ctx: Ctx, action: string, objectType: string, objectId: string, details: Record<string, unknown>) =>
  recordAudit(ctx, { action, objectType, objectId, details });

const changed = (o: Record<string, unknown>) => Object.keys(o).filter((k) => o[k] !== undefined);

type ListQuery = {
  limit: number;
  cursor?: string | undefined;
  jurisdictionId?: string | undefined;
  complexId?: string | undefined;
  buildingId?: string | undefined;
  unitId?: string | undefined;
};
async function listFilter(ctx: Ctx, f: ListQuery): Promise<q.PlaceFilter> {
  return {
    nodePath: await filterNode(ctx, f.jurisdictionId),
    complexId: f.complexId,
    buildingId: f.buildingId,
    unitId: f.unitId,
    afterSeq: decodeCursor(f.cursor),
    limit: f.limit,
  };
}

// ───────────────────────────── complexes 小区 ─────────────────────────────

export async function createComplex(ctx: Ctx, input: z.infer<typeof ZCreateComplex>): Promise<TComplexView> {
  const scope = await scopeFor(ctx, 'place.write');
  const node = await attachableNode(ctx, scope, input.jurisdictionId, ['grid', 'community']);
  return withTx(ctx, async (tx) => {
    const { id } = await unique(() =>
      q.insertComplex(tx.db, {
        jurisdictionId: node.id,
        path: node.path,
        name: input.name,
        address: input.address ?? null,
        now: ctx.clock.now(),
      }),
    );
    await audit(tx, 'place.create', 'complex', id, { jurisdiction: node.code });
    return presentComplex((await q.complexById(tx.db, id, ALL)) as q.ComplexRow);
  });
}

export async function updateComplex(ctx: Ctx, id: string, input: z.infer<typeof ZUpdateComplex>) {
  const read = await scopeFor(ctx, 'place.read');
  const write = await scopeFor(ctx, 'place.write');
  writable(await q.complexById(ctx.db, id, read), write, 'REGISTRY_COMPLEX_NOT_FOUND');
  return withTx(ctx, async (tx) => {
    await unique(() => q.updateComplex(tx.db, id, { name: input.name, address: input.address }, ctx.clock.now()));
    await audit(tx, 'place.update', 'complex', id, { fields: changed(input) });
    return presentComplex((await q.complexById(tx.db, id, ALL)) as q.ComplexRow);
  });
}

export async function getComplex(ctx: Ctx, id: string) {
  const row = await q.complexById(ctx.db, id, await scopeFor(ctx, 'place.read'));
  if (!row) throw new AppError('not_found', 'REGISTRY_COMPLEX_NOT_FOUND');
  return presentComplex(row);
}

export async function listComplexes(ctx: Ctx, f: ListQuery) {
  const scope = await scopeFor(ctx, 'place.read');
  const filter = await listFilter(ctx, f);
  return page(await q.listComplexes(ctx.db, scope, filter), f.limit, presentComplex);
}

// ───────────────────────────── buildings 楼栋 ─────────────────────────────

function checkPoint(lng: number | null | undefined, lat: number | null | undefined) {
  if ((lng === undefined) !== (lat === undefined) || (lng === null) !== (lat === null))
    throw new AppError('invalid', 'REGISTRY_COORDINATES_PAIR');
}

export async function createBuilding(ctx: Ctx, input: z.infer<typeof ZCreateBuilding>): Promise<TBuildingView> {
  const scope = await scopeFor(ctx, 'place.write');
  const read = await scopeFor(ctx, 'place.read');
  checkPoint(input.lng ?? null, input.lat ?? null);
  const complex = input.complexId ? await q.complexById(ctx.db, input.complexId, read) : null;
  if (input.complexId && !complex) throw new AppError('invalid', 'REGISTRY_UNKNOWN_COMPLEX');
  const gridId = input.jurisdictionId ?? (complex && complex.path.split('.').length === 5 ? complex.j_id : null);
  if (!gridId) throw new AppError('invalid', 'REGISTRY_GRID_REQUIRED');
  const grid = await attachableNode(ctx, scope, gridId, ['grid']);
  if (complex && !isWithin(grid.path, complex.path)) throw new AppError('invalid', 'REGISTRY_COMPLEX_MISMATCH');
  return withTx(ctx, async (tx) => {
    const { id } = await unique(() =>
      q.insertBuilding(tx.db, {
        jurisdictionId: grid.id,
        path: grid.path,
        complexId: complex?.id ?? null,
        name: input.name,
        address: input.address ?? null,
        lng: input.lng ?? null,
        lat: input.lat ?? null,
        floors: input.floors ?? null,
        now: ctx.clock.now(),
      }),
    );
    await audit(tx, 'place.create', 'building', id, { jurisdiction: grid.code });
    return presentBuilding((await q.buildingById(tx.db, id, ALL)) as q.BuildingRow);
  });
}

export async function updateBuilding(ctx: Ctx, id: string, input: z.infer<typeof ZUpdateBuilding>) {
  const read = await scopeFor(ctx, 'place.read');
  const write = await scopeFor(ctx, 'place.write');
  const row = writable(await q.buildingById(ctx.db, id, read), write, 'REGISTRY_BUILDING_NOT_FOUND', id);
  if (input.lng !== undefined || input.lat !== undefined) checkPoint(input.lng, input.lat);
  if (input.complexId) {
    const complex = await q.complexById(ctx.db, input.complexId, read);
    if (!complex) throw new AppError('invalid', 'REGISTRY_UNKNOWN_COMPLEX');
    if (!isWithin(row.path, complex.path)) throw new AppError('invalid', 'REGISTRY_COMPLEX_MISMATCH');
  }
  return withTx(ctx, async (tx) => {
    await unique(() =>
      q.updateBuilding(
        tx.db,
        id,
        {
          complex_id: input.complexId,
          name: input.name,
          address: input.address,
          lng: input.lng,
          lat: input.lat,
          floors: input.floors,
        },
        ctx.clock.now(),
      ),
    );
    await audit(tx, 'place.update', 'building', id, { fields: changed(input) });
    return presentBuilding((await q.buildingById(tx.db, id, ALL)) as q.BuildingRow);
  });
}

export async function getBuilding(ctx: Ctx, id: string) {
  const row = await q.buildingById(ctx.db, id, await scopeFor(ctx, 'place.read'));
  if (!row) throw new AppError('not_found', 'REGISTRY_BUILDING_NOT_FOUND');
  return presentBuilding(row);
}

export async function listBuildings(ctx: Ctx, f: ListQuery) {
  const scope = await scopeFor(ctx, 'place.read');
  return page(await q.listBuildings(ctx.db, scope, await listFilter(ctx, f)), f.limit, presentBuilding);
}

/** A building new things may be attached to (in the write scope); 400 otherwise. */
export async function attachableBuilding(ctx: Ctx, scope: Scope, id: string) {
  const b = await q.buildingById(ctx.db, id, scope);
  if (!b) throw new AppError('invalid', 'REGISTRY_UNKNOWN_BUILDING');
  return b;
}

// ───────────────────────────── units 单元 ─────────────────────────────

export async function createUnit(ctx: Ctx, input: z.infer<typeof ZCreateUnit>): Promise<TUnitView> {
  const scope = await scopeFor(ctx, 'place.write');
  const b = await attachableBuilding(ctx, scope, input.buildingId);
  return withTx(ctx, async (tx) => {
    const { id } = await unique(() =>
      q.insertUnit(tx.db, {
        buildingId: b.id,
        jurisdictionId: b.jurisdiction_id,
        path: b.path,
        name: input.name,
        now: ctx.clock.now(),
      }),
    );
    await audit(tx, 'place.create', 'unit', id, { building: b.id });
    return presentUnit((await q.unitById(tx.db, id, ALL)) as q.UnitRow);
  });
}

export async function updateUnit(ctx: Ctx, id: string, input: z.infer<typeof ZUpdateUnit>) {
  const read = await scopeFor(ctx, 'place.read');
  const write = await scopeFor(ctx, 'place.write');
  const row = await q.unitById(ctx.db, id, read);
  writable(row, write, 'REGISTRY_UNIT_NOT_FOUND', row?.building_id);
  return withTx(ctx, async (tx) => {
    await unique(() => q.updateUnit(tx.db, id, { name: input.name }, ctx.clock.now()));
    await audit(tx, 'place.update', 'unit', id, { fields: changed(input) });
    return presentUnit((await q.unitById(tx.db, id, ALL)) as q.UnitRow);
  });
}

export async function getUnit(ctx: Ctx, id: string) {
  const row = await q.unitById(ctx.db, id, await scopeFor(ctx, 'place.read'));
  if (!row) throw new AppError('not_found', 'REGISTRY_UNIT_NOT_FOUND');
  return presentUnit(row);
}

export async function listUnits(ctx: Ctx, f: ListQuery) {
  const scope = await scopeFor(ctx, 'place.read');
  return page(await q.listUnits(ctx.db, scope, await listFilter(ctx, f)), f.limit, presentUnit);
}

// ───────────────────────────── dwellings 房屋 ─────────────────────────────

export async function createDwelling(ctx: Ctx, input: z.infer<typeof ZCreateDwelling>): Promise<TDwellingView> {
  const scope = await scopeFor(ctx, 'place.write');
  const b = await attachableBuilding(ctx, scope, input.buildingId);
  if (input.unitId) {
    const u = await q.unitById(ctx.db, input.unitId, ALL);
    if (!u || u.building_id !== b.id) throw new AppError('invalid', 'REGISTRY_UNKNOWN_UNIT');
  }
  return withTx(ctx, async (tx) => {
    const { id } = await unique(() =>
      q.insertDwelling(tx.db, {
        buildingId: b.id,
        unitId: input.unitId ?? null,
        jurisdictionId: b.jurisdiction_id,
        path: b.path,
        number: input.number,
        floor: input.floor ?? null,
        area: input.area ?? null,
        use: input.use,
        now: ctx.clock.now(),
      }),
    );
    await audit(tx, 'place.create', 'dwelling', id, { building: b.id });
    return presentDwelling((await q.dwellingById(tx.db, id, ALL)) as q.DwellingRow);
  });
}

export async function updateDwelling(ctx: Ctx, id: string, input: z.infer<typeof ZUpdateDwelling>) {
  const read = await scopeFor(ctx, 'place.read');
  const write = await scopeFor(ctx, 'place.write');
  const row = await q.dwellingById(ctx.db, id, read);
  writable(row, write, 'REGISTRY_DWELLING_NOT_FOUND', row?.building_id);
  return withTx(ctx, async (tx) => {
    await unique(() =>
      q.updateDwelling(
        tx.db,
        id,
        { number: input.number, floor: input.floor, area: input.area, use: input.use },
        ctx.clock.now(),
      ),
    );
    await audit(tx, 'place.update', 'dwelling', id, { fields: changed(input) });
    return presentDwelling((await q.dwellingById(tx.db, id, ALL)) as q.DwellingRow);
  });
}

export async function getDwelling(ctx: Ctx, id: string) {
  const row = await q.dwellingById(ctx.db, id, await scopeFor(ctx, 'place.read'));
  if (!row) throw new AppError('not_found', 'REGISTRY_DWELLING_NOT_FOUND');
  return presentDwelling(row);
}

export async function listDwellings(ctx: Ctx, f: ListQuery) {
  const scope = await scopeFor(ctx, 'place.read');
  return page(await q.listDwellings(ctx.db, scope, await listFilter(ctx, f)), f.limit, presentDwelling);
}

/** A dwelling people, households or organisations may be placed in (in the given write scope); 400 otherwise. */
export async function attachableDwelling(ctx: Ctx, scope: Scope, id: string) {
  const d = await q.dwellingPlace(ctx.db, id, scope);
  if (!d) throw new AppError('invalid', 'REGISTRY_UNKNOWN_DWELLING');
  return d;
}
