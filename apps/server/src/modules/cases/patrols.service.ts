import { buildingRecordKinds } from '@jiayuan/contracts';
import { AppError } from '../../shared/app-error.ts';
import { type Actor, type Ctx, isWithin, withTx } from '../../shared/context.ts';
import { recordAudit } from '../audit/index.ts';
import { authorize, can } from '../identity/index.ts';
import { caseById } from './cases.queries.ts';
import type { GridLocator } from './cases.service.ts';
import * as cq from './categories.queries.ts';
import * as q from './patrols.queries.ts';

/**
 * Grid managers' patrol logs (start, route points, end, what was found) and the five kinds of building-head records
 * the Huarong figures count; all countable per building, grid and community.
 */
export const MAX_ROUTE_POINTS = 10_000;
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

const actorOf = (ctx: Ctx): Actor => {
  if (!ctx.actor) throw new AppError('unauthenticated', 'AUTH_REQUIRED');
  return ctx.actor;
};

/** The grid or community a patrol or record belongs to: a point, a node named, or the actor's own node. */
async function fieldPlace(ctx: Ctx, p: { jurisdictionId?: string; lng?: number; lat?: number }, locate?: GridLocator) {
  const actor = actorOf(ctx);
  let id = p.jurisdictionId ?? actor.jurisdictionId;
  if (!p.jurisdictionId && p.lng !== undefined && p.lat !== undefined && locate) {
    const g = await locate(p.lng, p.lat, ctx.db);
    if (g) id = g.gridId;
  }
  const j = await cq.jurisdictionById(ctx.db, id);
  if (!j || (j.level !== 'grid' && j.level !== 'community') || !isWithin(j.path, actor.scopePath))
    throw new AppError('invalid', 'CASES_JURISDICTION_INVALID');
  return j;
}

/** Great-circle distance in metres. */
export function haversineM(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const r = (x: number) => (x * Math.PI) / 180;
  const h =
    Math.sin(r(b.lat - a.lat) / 2) ** 2 + Math.cos(r(a.lat)) * Math.cos(r(b.lat)) * Math.sin(r(b.lng - a.lng) / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
}

const presentPatrol = (p: q.PatrolRow, withRoute: boolean) => ({
  id: p.id,
  userId: p.user_id,
  jurisdictionId: p.jurisdiction_id,
  startedAt: iso(p.started_at) as string,
  endedAt: iso(p.ended_at),
  pointCount: p.point_count,
  distanceM: Math.round(p.distance_m),
  findings: p.findings,
  findingCount: p.finding_count,
  ...(withRoute ? { route: (p.route as { lng: number; lat: number; at: string }[]) ?? [] } : {}),
});

export async function startPatrol(
  ctx: Ctx,
  input: { jurisdictionId?: string; lng?: number; lat?: number },
  locate?: GridLocator,
) {
  const actor = actorOf(ctx);
  authorize(actor, 'fieldwork.record');
  const j = await fieldPlace(ctx, input, locate);
  return withTx(ctx, async (tx) => {
    const now = ctx.clock.now();
    const { id } = await q.insertPatrol(tx.db, { userId: actor.userId, jurisdictionId: j.id, path: j.path, now });
    if (input.lng !== undefined && input.lat !== undefined)
      await q.appendPoints(tx.db, id, [{ lng: input.lng, lat: input.lat, at: now.toISOString() }], 0, now);
    await recordAudit(tx, { action: 'patrol.start', objectType: 'patrol', objectId: id, details: { grid: j.code } });
    return presentPatrol((await q.patrolById(tx.db, id)) as q.PatrolRow, false);
  });
}

/** The actor's own patrol, still open, locked for the change. */
async function ownOpenPatrol(ctx: Ctx, id: string) {
  const actor = actorOf(ctx);
  const p = await q.patrolById(ctx.db, id, true);
  if (!p || p.user_id !== actor.userId) throw new AppError('not_found', 'PATROL_NOT_FOUND');
  if (p.ended_at) throw new AppError('conflict', 'PATROL_ENDED');
  return p;
}

export async function addPatrolPoints(ctx: Ctx, id: string, points: { lng: number; lat: number; at: string }[]) {
  return withTx(ctx, async (tx) => {
    const p = await ownOpenPatrol(tx, id);
    if (p.point_count + points.length > MAX_ROUTE_POINTS) throw new AppError('invalid', 'PATROL_TOO_MANY_POINTS');
    const route = (p.route as { lng: number; lat: number }[]) ?? [];
    let prev = route.at(-1);
    let added = 0;
    for (const pt of points) {
      if (prev) added += haversineM(prev, pt);
      prev = pt;
    }
    await q.appendPoints(tx.db, id, points, added, ctx.clock.now());
    return presentPatrol((await q.patrolById(tx.db, id)) as q.PatrolRow, false);
  });
}

export async function endPatrol(ctx: Ctx, id: string, input: { findings?: string; findingCount?: number }) {
  return withTx(ctx, async (tx) => {
    await ownOpenPatrol(tx, id);
    await q.endPatrol(tx.db, id, {
      findings: input.findings ?? null,
      findingCount: input.findingCount ?? 0,
      now: ctx.clock.now(),
    });
    await recordAudit(tx, {
      action: 'patrol.end',
      objectType: 'patrol',
      objectId: id,
      details: { findingCount: input.findingCount ?? 0 },
    });
    return presentPatrol((await q.patrolById(tx.db, id)) as q.PatrolRow, false);
  });
}

export async function getPatrol(ctx: Ctx, id: string) {
  const actor = actorOf(ctx);
  const p = await q.patrolById(ctx.db, id);
  if (!p || !(p.user_id === actor.userId || (can(actor, 'fieldwork.read') && isWithin(p.path, actor.scopePath))))
    throw new AppError('not_found', 'PATROL_NOT_FOUND');
  return presentPatrol(p, true);
}

export async function listPatrols(ctx: Ctx, limit: number) {
  const actor = actorOf(ctx);
  const rows = await q.listPatrols(ctx.db, {
    userId: actor.userId,
    scopePath: can(actor, 'fieldwork.read') ? actor.scopePath : null,
    limit,
  });
  return rows.map((p) => presentPatrol({ ...p, route: [] }, false));
}

// ——— building-head records ———

type RecordInput = {
  kind: (typeof buildingRecordKinds)[number];
  jurisdictionId?: string;
  buildingId?: string;
  buildingLabel: string;
  occurredOn: string;
  summary: string;
  details?: Record<string, unknown>;
  caseId?: string;
};

const presentRecord = (r: NonNullable<Awaited<ReturnType<typeof q.buildingRecordById>>>) => ({
  id: r.id,
  kind: r.kind,
  jurisdictionId: r.jurisdiction_id,
  buildingId: r.building_id,
  buildingLabel: r.building_label,
  recordedBy: r.recorded_by,
  occurredOn: r.occurred_on,
  summary: r.summary,
  caseId: r.case_id,
  createdAt: iso(r.created_at) as string,
});

export async function createBuildingRecord(ctx: Ctx, input: RecordInput) {
  const actor = actorOf(ctx);
  authorize(actor, 'fieldwork.record');
  const j = await fieldPlace(ctx, { jurisdictionId: input.jurisdictionId });
  if (input.caseId) {
    const c = await caseById(ctx.db, input.caseId);
    if (!c || !isWithin(c.path, actor.scopePath)) throw new AppError('not_found', 'CASES_NOT_FOUND');
  }
  return withTx(ctx, async (tx) => {
    const { id } = await q.insertBuildingRecord(tx.db, {
      kind: input.kind,
      jurisdictionId: j.id,
      path: j.path,
      buildingId: input.buildingId ?? null,
      buildingLabel: input.buildingLabel,
      recordedBy: actor.userId,
      occurredOn: input.occurredOn,
      summary: input.summary,
      details: input.details ?? {},
      caseId: input.caseId ?? null,
      now: ctx.clock.now(),
    });
    await recordAudit(tx, {
      action: 'fieldwork.record',
      objectType: 'building_record',
      objectId: id,
      details: { kind: input.kind, grid: j.code },
    });
    return presentRecord(
      (await q.buildingRecordById(tx.db, id)) as NonNullable<Awaited<ReturnType<typeof q.buildingRecordById>>>,
    );
  });
}

export async function listBuildingRecords(ctx: Ctx, f: { kind?: string; limit: number }) {
  const actor = actorOf(ctx);
  const rows = await q.listBuildingRecords(ctx.db, {
    userId: actor.userId,
    scopePath: can(actor, 'fieldwork.read') ? actor.scopePath : null,
    kind: f.kind,
    limit: f.limit,
  });
  return rows.map((r) => presentRecord({ ...r, path: '' }));
}

/** Patrols and the five record kinds counted per building, grid or community, inside the actor's scope. */
export async function fieldworkStats(
  ctx: Ctx,
  f: { groupBy: 'building' | 'grid' | 'community'; from?: string; to?: string; jurisdictionId?: string },
) {
  const actor = actorOf(ctx);
  authorize(actor, 'fieldwork.read');
  let subtreePath = actor.scopePath;
  if (f.jurisdictionId) {
    const j = await cq.jurisdictionById(ctx.db, f.jurisdictionId);
    if (!j || !isWithin(j.path, actor.scopePath)) throw new AppError('not_found', 'JURISDICTION_NOT_FOUND');
    subtreePath = j.path;
  }
  type Row = { key: string | null; label: string | null; patrols: number } & Record<
    (typeof buildingRecordKinds)[number],
    number
  >;
  const rows = new Map<string, Row>();
  const rowFor = (key: string | null, label: string | null): Row => {
    const k = key ?? '';
    let r = rows.get(k);
    if (!r) {
      r = {
        key,
        label,
        patrols: 0,
        ...(Object.fromEntries(buildingRecordKinds.map((x) => [x, 0])) as Record<
          (typeof buildingRecordKinds)[number],
          number
        >),
      };
      rows.set(k, r);
    }
    if (!r.label && label) r.label = label;
    return r;
  };
  for (const c of await q.recordCounts(ctx.db, { groupBy: f.groupBy, subtreePath, from: f.from, to: f.to }))
    rowFor(c.key, c.label)[c.kind] += Number(c.n);
  if (f.groupBy !== 'building')
    for (const c of await q.patrolCounts(ctx.db, { groupBy: f.groupBy, subtreePath, from: f.from, to: f.to }))
      rowFor(c.key, null).patrols += Number(c.n);
  if (f.groupBy !== 'building') {
    const names = await q.namesByPath(
      ctx.db,
      [...rows.values()].map((r) => r.key).filter((k): k is string => !!k),
    );
    for (const r of rows.values()) r.label = r.key ? (names.get(r.key) ?? null) : null;
  }
  return { groupBy: f.groupBy, rows: [...rows.values()].sort((a, b) => String(a.key).localeCompare(String(b.key))) };
}
