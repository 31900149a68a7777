import type { ZBoundaryImport } from '@jiayuan/contracts';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../shared/app-error.ts';
import { type Ctx, isWithin, withTx } from '../../shared/context.ts';
import { messageFor } from '../../shared/messages.ts';
import { recordAudit } from '../audit/index.ts';
import { authorize, can } from '../identity/index.ts';
import { type BBox, bboxesMeet, multiOverlap, type Poly, type Pt, parseGeometry, ShapeIndex } from './geo.ts';
import * as q from './grids.queries.ts';
import { buildingById } from './places.queries.ts';
import * as rq from './registry.queries.ts';
import { iso, scopeFor } from './registry.service.ts';

export type GridRef = { id: string; code: string; name: string; path: string };

// ───────────────────────────── the in-memory index ─────────────────────────────

/** How long a process trusts its index before asking the database whether boundaries changed (elsewhere). */
const RECHECK_MS = 2000;
type Cached = { index: ShapeIndex<GridRef>; version: string; checkedAt: number };
const indexes = new WeakMap<Kysely<DB>, Cached>();

/** Stored geometry (validated on import, rings closed) to open rings. */
function toPolys(geometry: unknown): Poly[] {
  const g = geometry as { type: string; coordinates: number[][][] | number[][][][] };
  const raw = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as number[][][][];
  return raw.map((poly) => poly.map((ring) => ring.slice(0, -1).map((p) => [p[0], p[1]] as Pt)));
}

/**
 * The index of every active grid's boundary, rebuilt when the boundaries' version moves: at once in the process that
 * imported them, within RECHECK_MS in any other process. Keyed by the database handle, so use the pool's handle
 * rather than a transaction's.
 */
export async function gridIndex(db: Kysely<DB>): Promise<ShapeIndex<GridRef>> {
  const hit = indexes.get(db);
  const now = performance.now();
  if (hit && now - hit.checkedAt < RECHECK_MS) return hit.index;
  const version = await q.boundaryVersion(db);
  if (hit && hit.version === version) {
    hit.checkedAt = now;
    return hit.index;
  }
  const rows = await q.allBoundaries(db);
  const index = new ShapeIndex(
    rows.map((r) => ({
      value: { id: r.jurisdiction_id, code: r.code, name: r.name, path: r.path },
      polys: toPolys(r.geometry),
      bbox: [r.min_lng, r.min_lat, r.max_lng, r.max_lat] as BBox,
    })),
  );
  indexes.set(db, { index, version, checkedAt: now });
  return index;
}

export const forgetGridIndex = (db: Kysely<DB>) => indexes.delete(db);

/** The grid containing a point, or null; unscoped (for other modules, e.g. cases: a reported point → its grid). */
export async function locateGrid(db: Kysely<DB>, lng: number, lat: number): Promise<GridRef | null> {
  const found = (await gridIndex(db)).containing(lng, lat);
  // Overlaps are refused on import, so two hits can only be a point on a shared border; the lower code wins.
  return found.sort((a, b) => a.code.localeCompare(b.code))[0] ?? null;
}

/** GET /api/grids/locate: the grid containing the point, when it lies in the actor's scope; null otherwise. */
export async function locate(ctx: Ctx, lng: number, lat: number) {
  authorize(ctx.actor, 'jurisdiction.read');
  const g = await locateGrid(ctx.db, lng, lat);
  if (!g || (ctx.actor && !isWithin(g.path, ctx.actor.scopePath))) return { grid: null };
  return { grid: { id: g.id, code: g.code, name: g.name } };
}

// ───────────────────────────── import ─────────────────────────────

type Problem = { code: string; message: string; with?: string | null };
type FeatureReport = { index: number; code: string | null; problems: Problem[] };

/**
 * Imports grid boundaries from a GeoJSON FeatureCollection, all or nothing. Each feature names its grid by
 * properties.code; unknown or out-of-scope codes, duplicates, geometries that are not (valid) Polygons or
 * MultiPolygons, self-intersections, and overlaps with other features or with stored boundaries of other grids are
 * reported per feature (400 REGISTRY_BOUNDARY_INVALID), and then nothing is written.
 */
export async function importBoundaries(ctx: Ctx, fc: z.infer<typeof ZBoundaryImport>) {
  const actor = ctx.actor;
  if (actor && !can(actor, 'jurisdiction.manage')) authorize(actor, 'grid.boundary');
  const scopePath = actor?.scopePath ?? null;
  const msg = (code: string) => messageFor(code, ctx.lang);

  const result = await withTx(ctx, async (tx) => {
    await q.bumpBoundaryVersion(tx.db);
    const reports: FeatureReport[] = fc.features.map((f, index) => {
      const raw = f.properties?.code;
      const code = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : null;
      return { index, code: code || null, problems: [] };
    });
    const codes = [...new Set(reports.map((r) => r.code).filter((c): c is string => !!c))];
    const grids = new Map((await q.gridsByCodes(tx.db, codes, scopePath)).map((g) => [g.code, g]));
    const seen = new Map<string, number>();
    const shapes: { report: FeatureReport; grid: GridRef; polys: Poly[]; bbox: BBox; vertices: number }[] = [];

    fc.features.forEach((f, i) => {
      const report = reports[i] as FeatureReport;
      const add = (code: string, other?: string | null) =>
        report.problems.push({ code, message: msg(code), ...(other !== undefined ? { with: other } : {}) });
      const grid = report.code ? grids.get(report.code) : undefined;
      if (!report.code) add('REGISTRY_BOUNDARY_CODE_MISSING');
      else if (seen.has(report.code)) add('REGISTRY_BOUNDARY_CODE_DUPLICATE');
      else if (!grid) add('REGISTRY_BOUNDARY_UNKNOWN_GRID');
      if (report.code && !seen.has(report.code)) seen.set(report.code, i);
      const parsed = parseGeometry(f.geometry);
      if (!parsed.ok) add(parsed.problem);
      if (report.problems.length === 0 && parsed.ok && grid)
        shapes.push({ report, grid, polys: parsed.polys, bbox: parsed.bbox, vertices: parsed.vertices });
    });

    // Overlaps among the file's features (a sweep over their boxes), then with stored boundaries of other grids.
    const byX = [...shapes].sort((a, b) => a.bbox[0] - b.bbox[0]);
    for (let i = 0; i < byX.length; i++) {
      const a = byX[i] as (typeof byX)[number];
      for (let j = i + 1; j < byX.length && (byX[j] as (typeof byX)[number]).bbox[0] <= a.bbox[2]; j++) {
        const b = byX[j] as (typeof byX)[number];
        if (!bboxesMeet(a.bbox, b.bbox) || !multiOverlap(a.polys, b.polys)) continue;
        a.report.problems.push({
          code: 'REGISTRY_BOUNDARY_OVERLAP',
          message: msg('REGISTRY_BOUNDARY_OVERLAP'),
          with: b.grid.code,
        });
        b.report.problems.push({
          code: 'REGISTRY_BOUNDARY_OVERLAP',
          message: msg('REGISTRY_BOUNDARY_OVERLAP'),
          with: a.grid.code,
        });
      }
    }
    if (shapes.length > 0) {
      const box: BBox = [
        Math.min(...shapes.map((s) => s.bbox[0])),
        Math.min(...shapes.map((s) => s.bbox[1])),
        Math.max(...shapes.map((s) => s.bbox[2])),
        Math.max(...shapes.map((s) => s.bbox[3])),
      ];
      const stored = await q.boundariesNear(
        tx.db,
        box,
        shapes.map((s) => s.grid.id),
      );
      for (const other of stored) {
        const otherBox: BBox = [other.min_lng, other.min_lat, other.max_lng, other.max_lat];
        const otherPolys = toPolys(other.geometry);
        for (const s of shapes) {
          if (!bboxesMeet(s.bbox, otherBox) || !multiOverlap(s.polys, otherPolys)) continue;
          // A neighbour outside the importer's scope is not named.
          const named = scopePath === null || isWithin(other.path, scopePath) ? other.code : null;
          s.report.problems.push({
            code: 'REGISTRY_BOUNDARY_OVERLAP',
            message: msg('REGISTRY_BOUNDARY_OVERLAP'),
            with: named,
          });
        }
      }
    }

    const bad = reports.filter((r) => r.problems.length > 0);
    if (bad.length > 0)
      throw new AppError('invalid', 'REGISTRY_BOUNDARY_INVALID', {
        details: { features: bad, total: reports.length, rejected: bad.length },
      });

    const now = ctx.clock.now();
    for (const s of shapes) {
      const coordinates = s.polys.map((poly) => poly.map((ring) => [...ring, ring[0] as Pt].map((p) => [p[0], p[1]])));
      const geometry =
        coordinates.length === 1
          ? { type: 'Polygon', coordinates: coordinates[0] }
          : { type: 'MultiPolygon', coordinates };
      await q.upsertBoundary(tx.db, {
        jurisdictionId: s.grid.id,
        path: s.grid.path,
        geometry: JSON.stringify(geometry),
        bbox: s.bbox,
        vertices: s.vertices,
        by: actor?.userId ?? null,
        now,
      });
    }
    await recordAudit(tx, {
      action: 'grid.boundaries_import',
      objectType: 'grid_boundaries',
      details: { count: shapes.length, codes: shapes.slice(0, 100).map((s) => s.grid.code) },
    });
    return { imported: shapes.length, grids: shapes.map((s) => ({ code: s.grid.code, gridId: s.grid.id })) };
  });
  if (!ctx.db.isTransaction) forgetGridIndex(ctx.db);
  return result;
}

/** The boundaries under a node (default: the actor's whole scope) as a FeatureCollection, for the map. */
export async function boundaryCollection(ctx: Ctx, within: string | undefined) {
  authorize(ctx.actor, 'jurisdiction.read');
  let path: string | null = ctx.actor?.scopePath ?? null;
  if (within) {
    const n = await rq.nodeById(ctx.db, within);
    if (!n || (ctx.actor && !isWithin(n.path, ctx.actor.scopePath)))
      throw new AppError('not_found', 'REGISTRY_JURISDICTION_NOT_FOUND');
    path = n.path;
  }
  const rows = path ? await q.boundariesWithin(ctx.db, path) : await q.allBoundaries(ctx.db);
  return {
    type: 'FeatureCollection' as const,
    features: rows.map((r) => ({
      type: 'Feature' as const,
      id: r.jurisdiction_id,
      properties: { gridId: r.jurisdiction_id, code: r.code, name: r.name },
      geometry: r.geometry as { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown[][] },
    })),
  };
}

// ───────────────────────────── assignments ─────────────────────────────

const presentAssignment = (r: {
  user_id: string;
  username: string;
  display_name: string;
  target_id: string;
  target_name: string;
  assigned_at: Date;
}) => ({
  userId: r.user_id,
  username: r.username,
  displayName: r.display_name,
  targetId: r.target_id,
  targetName: r.target_name,
  assignedAt: iso(r.assigned_at) as string,
});

async function assignableGrid(ctx: Ctx, gridId: string) {
  const n = await rq.nodeById(ctx.db, gridId);
  if (n?.level !== 'grid' || (ctx.actor && !isWithin(n.path, ctx.actor.scopePath)))
    throw new AppError('not_found', 'REGISTRY_JURISDICTION_NOT_FOUND');
  return n;
}

/** A staff account in the actor's scope holding `role`, whose own jurisdiction covers `path`. */
async function assignableUser(ctx: Ctx, userId: string, role: 'grid_manager' | 'building_head', path: string) {
  const u = await rq.userForAssignment(ctx.db, userId);
  if (u?.status !== 'active' || (ctx.actor && !isWithin(u.path, ctx.actor.scopePath)))
    throw new AppError('invalid', 'REGISTRY_UNKNOWN_USER');
  if (!u.roles.includes(role)) throw new AppError('conflict', 'REGISTRY_ASSIGNMENT_ROLE');
  if (!isWithin(path, u.path)) throw new AppError('conflict', 'REGISTRY_ASSIGNMENT_SCOPE');
  return u;
}

export async function listGridManagers(ctx: Ctx, gridId: string) {
  authorize(ctx.actor, 'place.read');
  await assignableGrid(ctx, gridId);
  return { items: (await q.gridManagersOf(ctx.db, gridId)).map(presentAssignment) };
}

/** Assigns a grid manager (网格员) to a grid: they then see the grid's people (see scopeFor). */
export async function assignGridManager(ctx: Ctx, gridId: string, userId: string) {
  authorize(ctx.actor, 'grid.assign');
  const grid = await assignableGrid(ctx, gridId);
  await assignableUser(ctx, userId, 'grid_manager', grid.path);
  return withTx(ctx, async (tx) => {
    await q.insertGridManager(tx.db, {
      userId,
      gridId,
      path: grid.path,
      by: ctx.actor?.userId ?? null,
      now: ctx.clock.now(),
    });
    await recordAudit(tx, {
      action: 'grid.manager_assign',
      objectType: 'jurisdiction',
      objectId: gridId,
      details: { userId },
    });
    return { items: (await q.gridManagersOf(tx.db, gridId)).map(presentAssignment) };
  });
}

export async function unassignGridManager(ctx: Ctx, gridId: string, userId: string) {
  authorize(ctx.actor, 'grid.assign');
  await assignableGrid(ctx, gridId);
  return withTx(ctx, async (tx) => {
    if (!(await q.deleteGridManager(tx.db, userId, gridId)))
      throw new AppError('not_found', 'REGISTRY_ASSIGNMENT_NOT_FOUND');
    await recordAudit(tx, {
      action: 'grid.manager_unassign',
      objectType: 'jurisdiction',
      objectId: gridId,
      details: { userId },
    });
    return { items: (await q.gridManagersOf(tx.db, gridId)).map(presentAssignment) };
  });
}

async function assignableBuilding(ctx: Ctx, buildingId: string) {
  const b = await buildingById(ctx.db, buildingId, await scopeFor(ctx, 'place.read'));
  if (!b) throw new AppError('not_found', 'REGISTRY_BUILDING_NOT_FOUND');
  return b;
}

export async function listBuildingHeads(ctx: Ctx, buildingId: string) {
  await assignableBuilding(ctx, buildingId);
  return { items: (await q.buildingHeadsOf(ctx.db, buildingId)).map(presentAssignment) };
}

/** Assigns a building head (楼栋长) to a building: they then see and record its residents (not care tags). */
export async function assignBuildingHead(ctx: Ctx, buildingId: string, userId: string) {
  authorize(ctx.actor, 'grid.assign');
  const b = await assignableBuilding(ctx, buildingId);
  await assignableUser(ctx, userId, 'building_head', b.path);
  return withTx(ctx, async (tx) => {
    await q.insertBuildingHead(tx.db, {
      userId,
      buildingId,
      jurisdictionId: b.jurisdiction_id,
      path: b.path,
      by: ctx.actor?.userId ?? null,
      now: ctx.clock.now(),
    });
    await recordAudit(tx, {
      action: 'building.head_assign',
      objectType: 'building',
      objectId: buildingId,
      details: { userId },
    });
    return { items: (await q.buildingHeadsOf(tx.db, buildingId)).map(presentAssignment) };
  });
}

export async function unassignBuildingHead(ctx: Ctx, buildingId: string, userId: string) {
  authorize(ctx.actor, 'grid.assign');
  await assignableBuilding(ctx, buildingId);
  return withTx(ctx, async (tx) => {
    if (!(await q.deleteBuildingHead(tx.db, userId, buildingId)))
      throw new AppError('not_found', 'REGISTRY_ASSIGNMENT_NOT_FOUND');
    await recordAudit(tx, {
      action: 'building.head_unassign',
      objectType: 'building',
      objectId: buildingId,
      details: { userId },
    });
    return { items: (await q.buildingHeadsOf(tx.db, buildingId)).map(presentAssignment) };
  });
}
