import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';

export type IndicatorGroup = 'grid' | 'community' | 'department' | 'person';

const keyOf: Record<IndicatorGroup, string> = {
  grid: 'c.grid_id',
  community: 'c.community_id',
  department: 'c.department_id',
  person: 'c.assignee_id',
};

/**
 * Counts over the cohort of cases first dispatched in [from, to) inside a subtree, grouped. `asOf` is the instant the
 * "deadline has passed" test uses: min(to, now). Each count is one FILTER over the same rows, so the numerators
 * are subsets of their denominators by construction.
 */
export async function indicatorCounts(
  db: Kysely<DB>,
  p: { groupBy: IndicatorGroup; from: Date; to: Date; asOf: Date; subtreePath: string },
) {
  const key = sql.raw(keyOf[p.groupBy]);
  const label =
    p.groupBy === 'department'
      ? sql<string | null>`(select d.name from departments d where d.id = ${key})`
      : p.groupBy === 'person'
        ? sql<string | null>`(select u.display_name from users u where u.id = ${key})`
        : sql<string | null>`(select j.name from jurisdictions j where j.id = ${key})`;
  const closed = sql`c.state = 'closed'`;
  const suspended = sql`c.state = 'suspended'`;
  const due = sql`(${closed} or ${suspended} or c.expected_at <= ${p.asOf})`;
  const n = (cond: ReturnType<typeof sql>) => sql<string>`count(*) filter (where ${cond})`;
  const r = await sql<{
    key: string | null;
    label: string | null;
    dispatched: string;
    due: string;
    suspended: string;
    closed: string;
    closed_on_time: string;
    handled: string;
    reworked: string;
    responded_in_time: string;
    resolved: string;
    rated: string;
    satisfied: string;
  }>`
    select ${key}::text as key, ${label} as label,
      count(*) as dispatched,
      ${n(due)} as due,
      ${n(suspended)} as suspended,
      ${n(closed)} as closed,
      ${n(sql`${closed} and c.closed_on_time`)} as closed_on_time,
      ${n(sql`c.first_handled_at is not null`)} as handled,
      ${n(sql`c.first_handled_at is not null and c.rework_count > 0`)} as reworked,
      ${n(sql`c.started_at is not null and c.started_at <= c.expected_at`)} as responded_in_time,
      ${n(sql`${closed} and c.rating is distinct from 'dissatisfied'`)} as resolved,
      ${n(sql`${closed} and c.rating is not null`)} as rated,
      ${n(sql`${closed} and c.rating in ('satisfied','basically_satisfied')`)} as satisfied
    from cases c
    where c.first_dispatched_at >= ${p.from} and c.first_dispatched_at < ${p.to}
      and c.path <@ ${p.subtreePath}::ltree
    group by ${key}
    order by 2 nulls last, 1`.execute(db);
  return r.rows;
}
