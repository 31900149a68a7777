import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../../test/app.ts';
import { caseClient, jpegWithExif } from './cases.test-helpers.ts';

let t: TestApp;
let c: ReturnType<typeof caseClient>;
const cookies: Record<string, string> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await makeTestApp();
  c = caseClient(t);
  for (const [name, roles, at] of [
    ['gm', ['grid_manager'], 'gridA1'],
    ['worker', ['community_worker'], 'communityA'],
    ['street', ['street_staff'], 'street'],
    ['res', ['resident'], 'gridA1'],
  ] as const)
    ids[name] = await t.makeUser(name, [...roles], at);
});
afterAll(async () => {
  await t?.close();
});

async function setClock(at: string) {
  t.clock.set(at);
  for (const name of Object.keys(ids)) cookies[name] = await t.login(name);
}
async function advanceTo(at: string) {
  await setClock(at);
  await c.runJobs();
}

/** Reports, verifies, accepts and dispatches a case to the grid manager now; returns the case after dispatch. */
async function dispatchedCase(code: string, extra: Record<string, unknown> = {}) {
  const r = await c.report(cookies.res as string, {
    categoryId: await c.categoryId(code),
    source: 'resident',
    description: '测试时限',
    jurisdictionId: t.tree.gridA1.id,
    ...extra,
  });
  const id = r.json().case.id as string;
  for (const [who, body] of [
    ['gm', { action: 'verify' }],
    ['worker', { action: 'accept' }],
    ['worker', { action: 'dispatch', assigneeId: ids.gm }],
  ] as const) {
    const m = await c.move(cookies[who] as string, id, body);
    expect(m.statusCode, m.body).toBe(200);
  }
  return (await c.inject('GET', `/api/cases/${id}`, cookies.worker as string)).json();
}

const flags = (id: string) =>
  t.ctx.db
    .selectFrom('case_deadline_flags')
    .select(['kind', 'target_jurisdiction_id'])
    .where('case_id', '=', id)
    .orderBy('kind')
    .execute();
const events = async (id: string, action: string) =>
  (
    await t.ctx.db
      .selectFrom('case_events')
      .select('action')
      .where('case_id', '=', id)
      .where('action', '=', action)
      .execute()
  ).length;

describe('deadline job with a fake clock', () => {
  it('warns at 80 % of a 2 h (natural time) limit, escalates when overdue, each exactly once', async () => {
    await setClock('2026-03-02T09:00:00+08:00');
    const k = await dispatchedCase('safety.fire');
    expect(k.expectedAt).toBe('2026-03-02T03:00:00.000Z');
    expect(k.warnAt).toBe('2026-03-02T02:36:00.000Z');
    expect(k.deadline).toBe('green');

    await advanceTo('2026-03-02T10:35:59+08:00');
    expect(await flags(k.id)).toEqual([]);

    await advanceTo('2026-03-02T10:36:00+08:00');
    expect((await flags(k.id)).map((f) => f.kind)).toEqual(['warning']);
    await c.runJobs();
    await c.runJobs();
    expect(await events(k.id, 'deadline.warning')).toBe(1);
    const yellow = (await c.inject('GET', `/api/cases?deadline=yellow`, cookies.worker as string)).json().items;
    expect(yellow.map((x: { id: string }) => x.id)).toContain(k.id);
    const gmNotes = (await c.inject('GET', '/api/notifications', cookies.gm as string)).json().items;
    expect(
      gmNotes.filter((n: { kind: string; caseId: string }) => n.kind === 'case.warning' && n.caseId === k.id),
    ).toHaveLength(1);

    await advanceTo('2026-03-02T10:59:00+08:00');
    expect(await flags(k.id)).toHaveLength(1);
    await advanceTo('2026-03-02T11:00:00+08:00');
    const f = await flags(k.id);
    expect(f.map((x) => x.kind)).toEqual(['escalation', 'overdue', 'warning']);
    expect(f.find((x) => x.kind === 'escalation')?.target_jurisdiction_id).toBe(t.tree.street.id);
    for (let i = 0; i < 3; i++) await advanceTo(`2026-03-02T11:0${i + 1}:00+08:00`);
    expect(await flags(k.id)).toHaveLength(3);
    expect(await events(k.id, 'deadline.escalated')).toBe(1);
    const streetNotes = (await c.inject('GET', '/api/notifications', cookies.street as string)).json().items;
    expect(
      streetNotes.filter((n: { kind: string; caseId: string }) => n.kind === 'case.escalated' && n.caseId === k.id),
    ).toHaveLength(1);
    const red = (await c.inject('GET', '/api/cases?deadline=red', cookies.worker as string)).json().items;
    expect(red.map((x: { id: string }) => x.id)).toContain(k.id);
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('object_id', '=', k.id)
      .where('action', 'in', ['case.deadline_warning', 'case.escalate'])
      .execute();
    expect(audit).toHaveLength(2);

    // Closed late: not on time.
    await c.move(cookies.gm as string, k.id, { action: 'start' });
    const up = await c.upload(cookies.gm as string, k.id, jpegWithExif());
    await c.move(cookies.gm as string, k.id, { action: 'handle', note: '已处置', attachmentIds: [up.json().id] });
    await c.move(cookies.worker as string, k.id, { action: 'close', checkResult: '合格' });
    const row = await t.ctx.db
      .selectFrom('cases')
      .select('closed_on_time')
      .where('id', '=', k.id)
      .executeTakeFirstOrThrow();
    expect(row.closed_on_time).toBe(false);
  });

  it('counts working hours across a weekend (Fri 16:00 + 3 working days of 7 h → Wed 16:00)', async () => {
    await setClock('2026-03-06T16:00:00+08:00');
    const k = await dispatchedCase('livelihood.elderly');
    expect(k.clock).toBe('working');
    expect(k.timeLimitMinutes).toBe(1260);
    expect(k.expectedAt).toBe(new Date('2026-03-11T16:00:00+08:00').toISOString());
    expect(k.warnAt).toBe(new Date('2026-03-11T10:18:00+08:00').toISOString());
    await advanceTo('2026-03-08T23:00:00+08:00');
    expect(await flags(k.id)).toEqual([]);
  });

  it('counts working hours across the Spring Festival holiday and its make-up Saturday', async () => {
    // Fri 2/13 16:00–17:30 (90) + Sat 2/14 make-up day (420) + 2/15–2/23 off + Tue 2/24 (420) + Wed 2/25 till 16:00 (330).
    await setClock('2026-02-13T16:00:00+08:00');
    const k = await dispatchedCase('livelihood.relief');
    expect(k.expectedAt).toBe(new Date('2026-02-25T16:00:00+08:00').toISOString());
    expect(k.warnAt).toBe(new Date('2026-02-25T10:18:00+08:00').toISOString());
    await advanceTo('2026-02-22T12:00:00+08:00');
    expect(await flags(k.id)).toEqual([]);
    await advanceTo('2026-02-25T10:17:00+08:00');
    expect(await flags(k.id)).toEqual([]);
    await advanceTo('2026-02-25T10:18:00+08:00');
    expect((await flags(k.id)).map((f) => f.kind)).toEqual(['warning']);
    await advanceTo('2026-02-25T16:00:00+08:00');
    expect((await flags(k.id)).map((f) => f.kind)).toEqual(['escalation', 'overdue', 'warning']);
  });
});
