import './registry.messages.ts';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { registerScopedTable } from '../jurisdiction/index.ts';
import { gridsRoutes } from './grids.routes.ts';
import { locateGrid } from './grids.service.ts';
import { organisationsRoutes } from './organisations.routes.ts';
import { placesRoutes } from './places.routes.ts';
import { residentsRoutes } from './residents.routes.ts';

/** Tables holding a copy of a jurisdiction path: a jurisdiction move rewrites them. */
for (const table of [
  'grid_boundaries',
  'complexes',
  'buildings',
  'units',
  'dwellings',
  'organisations',
  'households',
  'residents',
  'grid_managers',
  'building_heads',
])
  registerScopedTable(table);

/** Every route of the registry: places, organisations, households and residents, grids. */
export async function registryRoutes(app: FastifyInstance) {
  await app.register(placesRoutes);
  await app.register(organisationsRoutes);
  await app.register(residentsRoutes);
  await app.register(gridsRoutes);
}

/** A point → grid function for other modules (e.g. cases' GridLocator), answered from the in-memory index. */
// A caller inside a transaction passes its handle: on PGlite's single connection, a rebuild of the index through
// the pool would wait for that very transaction forever.
export const gridLocator = (db: Kysely<DB>) => async (lng: number, lat: number, via?: Kysely<DB>) => {
  const g = await locateGrid(via ?? db, lng, lat);
  return g ? { gridId: g.id, path: g.path, code: g.code, name: g.name } : null;
};

export * as grids from './grids.service.ts';
export { importBoundaries, locateGrid } from './grids.service.ts';
export * as households from './households.service.ts';
export * as organisations from './organisations.service.ts';
export * as places from './places.service.ts';
export { rotateKeys } from './registry.keys.ts';
export { registryMessages } from './registry.messages.ts';
export * as residents from './residents.service.ts';
export { createResident, endResidence, searchResidents, updateResident } from './residents.service.ts';
