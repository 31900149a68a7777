import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../../test/app.ts';
import { caseClient } from './cases.test-helpers.ts';

let t: TestApp;
let c: ReturnType<typeof caseClient>;
const ids: Record<string, string> = {};
let leader: string;

const H = 3600_000;
const T0 = new Date('2026-03-02T09:00:00+08:00').getTime();
const at = (h: number) => new Date(T0 + h * H);

/** Inserts a case as it would be after its history, so the indicator arithmetic can be checked by hand. */
async function seedCase(n: number, v: Record<string, unknown>) {
  const category = await c.categoryId('environment.garbage');
  await t.ctx.db
    .insertInto('cases')
    .values({
      number: `430602-2026-9${String(n).padStart(5, '0')}`,
      category_id: category,
      jurisdiction_id: t.tree.gridA1.id,
      path: t.tree.gridA1.path,
      community_id: t.tree.communityA.id,
      grid_id: t.tree.gridA1.id,
      state: 'in_progress',
      urgency: 'blue',
      source: 'resident',
      title: `指标 ${n}`,
      description: '指标测试',
      address: null,
      lng: null,
      lat: null,
      extra: '{}',
      reporter_id: null,
      caller_name_enc: null,
      caller_phone_enc: null,
      owner_id: null,
      assignee_id: ids.gm as string,
      department_id: null,
      time_limit_minutes: 72 * 60,
      clock: 'natural',
      expected_at: at(72),
      warn_at: at(57.6),
      accepted_at: at(0),
      dispatched_at: at(1),
      first_dispatched_at: at(1),
      started_at: at(2),
      handled_at: null,
      first_handled_at: null,
      closed_at: null,
      suspended_at: null,
      warned_at: null,
      overdue_at: null,
      escalated_at: null,
      closed_on_time: null,
      rating: null,
      rated_at: null,
      merged_into: null,
      created_at: at(0),
      updated_at: at(0),
      ...v,
    })
    .execute();
}

beforeAll(async () => {
  t = await makeTestApp();
  c = caseClient(t);
  ids.gm = await t.makeUser('gm', ['grid_manager'], 'gridA1');
  ids.gm2 = await t.makeUser('gm2', ['grid_manager'], 'gridA1');
  await t.makeUser('leader', ['community_leader'], 'communityA');
  await t.makeUser('admin', ['system_admin'], 'city');
  const closed = { state: 'closed', handled_at: at(10), first_handled_at: at(10), closed_at: at(11) };
  // 1: closed on time, satisfied.
  await seedCase(1, { ...closed, closed_on_time: true, rating: 'satisfied' });
  // 2: reworked once, closed late, dissatisfied.
  await seedCase(2, {
    ...closed,
    handled_at: at(80),
    closed_at: at(81),
    closed_on_time: false,
    rework_count: 1,
    rating: 'dissatisfied',
  });
  // 3: suspended (its deadline has passed, but it does not count against the rates).
  await seedCase(3, { state: 'suspended', expected_at: at(20), started_at: null, suspended_at: at(5) });
  // 4: overdue, signed for only after its deadline.
  await seedCase(4, { assignee_id: ids.gm2, expected_at: at(20), started_at: at(30) });
  // 5: in progress, deadline still ahead: not yet due.
  await seedCase(5, { assignee_id: ids.gm2, expected_at: at(400) });
  // 6: closed on time, basically satisfied.
  await seedCase(6, { ...closed, assignee_id: ids.gm2, closed_on_time: true, rating: 'basically_satisfied' });
  // 7: dispatched before the period: not in the cohort.
  await seedCase(7, { ...closed, first_dispatched_at: at(-100), closed_on_time: true });
  t.clock.set(at(100));
  leader = await t.login('leader');
});
afterAll(async () => {
  await t?.close();
});

const get = (url: string, cookie = leader) => t.app.inject({ method: 'GET', url, headers: { cookie } });
const period = `from=${encodeURIComponent(at(0).toISOString())}&to=${encodeURIComponent(at(200).toISOString())}`;

describe('indicators', () => {
  it('computes the six rates with their denominators on a hand-made set', async () => {
    const r = await get(`/api/cases/indicators?groupBy=community&${period}`);
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.rows).toHaveLength(1);
    expect(body.rows[0].label).toBe('金鹗社区');
    expect(body.total.counts).toEqual({
      dispatched: 6,
      due: 5,
      suspended: 1,
      closed: 3,
      closedOnTime: 2,
      handled: 3,
      reworked: 1,
      respondedInTime: 4,
      resolved: 2,
      rated: 3,
      satisfied: 2,
    });
    expect(body.total.rates).toEqual({
      closeRate: 0.75, // 3 / (5 − 1)
      onTimeCloseRate: 0.5, // 2 / (5 − 1)
      reworkRate: 0.3333, // 1 / 3
      responseRate: 0.6667, // 4 / 6
      resolveRate: 0.6667, // 2 / 3
      satisfactionRate: 0.6667, // 2 / 3
    });
    expect(body.definitions.closeRate).toContain('结案数 / (应结案数 − 缓办数)');
  });

  it('groups by person and by grid, and answers null rates for empty denominators', async () => {
    const byPerson = (await get(`/api/cases/indicators?groupBy=person&${period}`)).json();
    const gm = byPerson.rows.find((x: { key: string }) => x.key === ids.gm);
    const gm2 = byPerson.rows.find((x: { key: string }) => x.key === ids.gm2);
    expect(gm.counts).toMatchObject({ dispatched: 3, due: 3, suspended: 1, closed: 2 });
    expect(gm.rates.closeRate).toBe(1);
    expect(gm2.counts).toMatchObject({ dispatched: 3, due: 2, closed: 1 });
    expect(gm2.rates.closeRate).toBe(0.5);
    expect(gm2.label).toBe('gm2');
    const byGrid = (await get(`/api/cases/indicators?groupBy=grid&${period}`)).json();
    expect(byGrid.rows[0]).toMatchObject({ key: t.tree.gridA1.id, label: '金鹗第一网格' });
    const empty = (
      await get(`/api/cases/indicators?groupBy=department&from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z`)
    ).json();
    expect(empty.rows).toEqual([]);
    expect(empty.total.rates.closeRate).toBeNull();
  });

  it('stays in scope and is closed to admin roles', async () => {
    await t.makeUser('leaderB', ['community_leader'], 'communityB');
    const b = await get(`/api/cases/indicators?groupBy=community&${period}`, await t.login('leaderB'));
    expect(b.json().total.counts.dispatched).toBe(0);
    const { cookie } = await t.loginWithTotp('admin');
    expect((await get(`/api/cases/indicators?groupBy=community&${period}`, cookie)).statusCode).toBe(403);
  });
});
