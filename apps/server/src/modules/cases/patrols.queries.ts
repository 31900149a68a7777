import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';

const patrolColumns = [
  'p.id',
  'p.user_id',
  'p.jurisdiction_id',
  sql<string>`p.path::text`.as('path'),
  'p.started_at',
  'p.ended_at',
  'p.point_count',
  'p.distance_m',
  'p.findings',
  'p.finding_count',
] as const;

export type PatrolRow = NonNullable<Awaited<ReturnType<typeof patrolById>>>;

export async function patrolById(db: Kysely<DB>, id: string, forUpdate = false) {
  let q = db
    .selectFrom('patrols as p')
    .select([...patrolColumns, 'p.route'])
    .where('p.id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function insertPatrol(
  db: Kysely<DB>,
  v: { userId: string; jurisdictionId: string; path: string; now: Date },
) {
  return db
    .insertInto('patrols')
    .values({
      user_id: v.userId,
      jurisdiction_id: v.jurisdictionId,
      path: v.path,
      started_at: v.now,
      created_at: v.now,
      updated_at: v.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function appendPoints(
  db: Kysely<DB>,
  id: string,
  points: { lng: number; lat: number; at: string }[],
  addedDistance: number,
  now: Date,
) {
  await db
    .updateTable('patrols')
    .set({
      route: sql`route || ${JSON.stringify(points)}::jsonb`,
      point_count: sql`point_count + ${points.length}`,
      distance_m: sql`distance_m + ${addedDistance}`,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

export async function endPatrol(
  db: Kysely<DB>,
  id: string,
  v: { findings: string | null; findingCount: number; now: Date },
) {
  await db
    .updateTable('patrols')
    .set({ ended_at: v.now, findings: v.findings, finding_count: v.findingCount, updated_at: v.now })
    .where('id', '=', id)
    .execute();
}

export async function listPatrols(db: Kysely<DB>, f: { userId: string; scopePath: string | null; limit: number }) {
  return db
    .selectFrom('patrols as p')
    .select(patrolColumns)
    .where((eb) => {
      const any = [eb('p.user_id', '=', f.userId)];
      if (f.scopePath) any.push(eb(sql<boolean>`p.path <@ ${f.scopePath}::ltree`, '=', true));
      return eb.or(any);
    })
    .orderBy('p.started_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(f.limit)
    .execute();
}

export async function insertBuildingRecord(
  db: Kysely<DB>,
  v: {
    kind: DB['building_records']['kind'];
    jurisdictionId: string;
    path: string;
    buildingId: string | null;
    buildingLabel: string;
    recordedBy: string;
    occurredOn: string;
    summary: string;
    details: Record<string, unknown>;
    caseId: string | null;
    now: Date;
  },
) {
  return db
    .insertInto('building_records')
    .values({
      kind: v.kind,
      jurisdiction_id: v.jurisdictionId,
      path: v.path,
      building_id: v.buildingId,
      building_label: v.buildingLabel,
      recorded_by: v.recordedBy,
      occurred_on: v.occurredOn,
      summary: v.summary,
      details: JSON.stringify(v.details),
      case_id: v.caseId,
      created_at: v.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

const recordColumns = [
  'r.id',
  'r.kind',
  'r.jurisdiction_id',
  'r.building_id',
  'r.building_label',
  'r.recorded_by',
  sql<string>`r.occurred_on::text`.as('occurred_on'),
  'r.summary',
  'r.case_id',
  'r.created_at',
] as const;

export async function buildingRecordById(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('building_records as r')
    .select([...recordColumns, sql<string>`r.path::text`.as('path')])
    .where('r.id', '=', id)
    .executeTakeFirst();
}

export async function listBuildingRecords(
  db: Kysely<DB>,
  f: { userId: string; scopePath: string | null; kind?: string; limit: number },
) {
  let q = db
    .selectFrom('building_records as r')
    .select(recordColumns)
    .where((eb) => {
      const any = [eb('r.recorded_by', '=', f.userId)];
      if (f.scopePath) any.push(eb(sql<boolean>`r.path <@ ${f.scopePath}::ltree`, '=', true));
      return eb.or(any);
    });
  if (f.kind) q = q.where('r.kind', '=', f.kind as 'hazard_check');
  return q.orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').limit(f.limit).execute();
}

/** Group key of a row by its path: the community (4 labels) or the grid (5 labels). */
const pathKey = (col: string, groupBy: 'grid' | 'community') =>
  groupBy === 'community'
    ? sql<string | null>`case when nlevel(${sql.raw(col)}) >= 4 then subpath(${sql.raw(col)}, 0, 4)::text end`
    : sql<string | null>`case when nlevel(${sql.raw(col)}) >= 5 then subpath(${sql.raw(col)}, 0, 5)::text end`;

export async function recordCounts(
  db: Kysely<DB>,
  f: { groupBy: 'building' | 'grid' | 'community'; subtreePath: string; from?: string; to?: string },
) {
  const key =
    f.groupBy === 'building'
      ? sql<string>`coalesce(r.building_id::text, r.building_label)`
      : pathKey('r.path', f.groupBy);
  const label = f.groupBy === 'building' ? sql<string | null>`max(r.building_label)` : sql<string | null>`null`;
  let q = db
    .selectFrom('building_records as r')
    .select([key.as('key'), label.as('label'), 'r.kind', (eb) => eb.fn.countAll<string>().as('n')])
    .where(sql<boolean>`r.path <@ ${f.subtreePath}::ltree`);
  if (f.from) q = q.where('r.occurred_on', '>=', f.from);
  if (f.to) q = q.where('r.occurred_on', '<=', f.to);
  return q.groupBy([key, 'r.kind']).execute();
}

export async function patrolCounts(
  db: Kysely<DB>,
  f: { groupBy: 'grid' | 'community'; subtreePath: string; from?: string; to?: string },
) {
  const key = pathKey('p.path', f.groupBy);
  let q = db
    .selectFrom('patrols as p')
    .select([key.as('key'), (eb) => eb.fn.countAll<string>().as('n')])
    .where(sql<boolean>`p.path <@ ${f.subtreePath}::ltree`);
  if (f.from)
    q = q.where(sql<boolean>`((p.started_at at time zone 'UTC') + interval '8 hours')::date >= ${f.from}::date`);
  if (f.to) q = q.where(sql<boolean>`((p.started_at at time zone 'UTC') + interval '8 hours')::date <= ${f.to}::date`);
  return q.groupBy(key).execute();
}

/** Names of the nodes at these paths (labels for path-keyed counts). */
export async function namesByPath(db: Kysely<DB>, paths: string[]) {
  if (paths.length === 0) return new Map<string, string>();
  const rows = await db
    .selectFrom('jurisdictions')
    .select([sql<string>`path::text`.as('path'), 'name'])
    .where(sql<boolean>`path::text in (${sql.join(paths)})`)
    .execute();
  return new Map(rows.map((r) => [r.path, r.name]));
}
