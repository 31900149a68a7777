import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../../test/app.ts';
import { testDbKind } from '../../../test/db.ts';
import { type Database, openDatabase } from '../../db/database.ts';
import { createJobRunner, enqueueJob } from '../../jobs/runner.ts';
import { caseClient } from './cases.test-helpers.ts';
import { caseJobs } from './index.ts';

/**
 * Concurrency on a real PostgreSQL: two job runners with their own connection pools never raise a flag twice, and
 * 50 simultaneous reports get 50 distinct numbers. On PGlite (one connection) the same tests run serialised.
 */
let t: TestApp;
let c: ReturnType<typeof caseClient>;
let second: Database | null = null;
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
  ] as const) {
    ids[name] = await t.makeUser(name, [...roles], at);
    cookies[name] = await t.login(name);
  }
  const url = (t.database as Database & { url?: string }).url;
  if (testDbKind() === 'postgres' && url) second = await openDatabase({ kind: 'postgres', url, poolMax: 5 });
});
afterAll(async () => {
  await second?.close();
  await t?.close();
});

describe('case numbers under concurrency', () => {
  it('gives 50 simultaneous reports 50 distinct numbers from the counter row', async () => {
    const fire = await c.categoryId('safety.fire');
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        c.report(
          cookies.res as string,
          { categoryId: fire, source: 'resident', description: `并发上报 ${i}`, jurisdictionId: t.tree.gridA1.id },
          randomUUID(),
        ),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(50).fill(201));
    const numbers = answers.map((a) => a.json().case.number as string);
    expect(new Set(numbers).size).toBe(50);
    const seq = numbers.map((n) => Number(n.slice(-6))).sort((a, b) => a - b);
    expect(seq[49]! - seq[0]!).toBe(49);
    const counter = await t.ctx.db.selectFrom('case_counters').selectAll().execute();
    expect(counter).toEqual([{ scope_code: '430602', year: 2026, n: seq[49] }]);
  });
});

describe('two job runners on one database', () => {
  it('escalate every overdue case exactly once', async () => {
    const fire = await c.categoryId('safety.fire');
    const caseIds: string[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await c.report(
        cookies.res as string,
        { categoryId: fire, source: 'resident', description: `超期 ${i}`, jurisdictionId: t.tree.gridA1.id },
        randomUUID(),
      );
      const id = r.json().case.id as string;
      caseIds.push(id);
      await c.move(cookies.gm as string, id, { action: 'verify' });
      await c.move(cookies.worker as string, id, { action: 'accept' });
      const d = await c.move(cookies.worker as string, id, { action: 'dispatch', assigneeId: ids.gm });
      expect(d.statusCode).toBe(200);
    }
    t.clock.advanceMinutes(121);
    // Many deadline jobs due at once (as when several processes tick), raced by two runners.
    for (let i = 0; i < 12; i++)
      await enqueueJob(t.ctx, { name: 'cases.deadlines', key: `race-${i}`, runAt: t.clock.now() });
    const mk = (db: Database['db'], workerId: string) =>
      createJobRunner({ db, clock: t.clock, keyring: t.ctx.keyring, jobs: caseJobs(), workerId, batchSize: 3 });
    const r1 = mk(t.database.db, 'runner-1');
    const r2 = mk(second?.db ?? t.database.db, 'runner-2');
    const [n1, n2] = await Promise.all([r1.drain(), r2.drain()]);
    expect(n1 + n2).toBeGreaterThanOrEqual(12);
    if (second) expect(n1).toBeGreaterThan(0);
    if (second) expect(n2).toBeGreaterThan(0);

    const flags = await t.ctx.db
      .selectFrom('case_deadline_flags')
      .select(['case_id', 'kind'])
      .where('case_id', 'in', caseIds)
      .execute();
    for (const kind of ['warning', 'overdue', 'escalation'])
      expect(
        flags
          .filter((f) => f.kind === kind)
          .map((f) => f.case_id)
          .sort(),
      ).toEqual([...caseIds].sort());
    const escalated = await t.ctx.db
      .selectFrom('case_events')
      .select('case_id')
      .where('case_id', 'in', caseIds)
      .where('action', '=', 'deadline.escalated')
      .execute();
    expect(escalated).toHaveLength(20);
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select('object_id')
      .where('object_id', 'in', caseIds)
      .where('action', '=', 'case.escalate')
      .execute();
    expect(audit).toHaveLength(20);
    // The outbox relay delivers what the escalations wrote (its next tick).
    t.clock.advance(10_000);
    await c.runJobs();
    const street = await t.login('street');
    const notes = (await c.inject('GET', '/api/notifications?limit=200', street)).json().items;
    expect(notes.filter((n: { kind: string }) => n.kind === 'case.escalated')).toHaveLength(20);
    const jobs = await t.ctx.db.selectFrom('jobs').select(['status']).where('name', '=', 'cases.deadlines').execute();
    expect(jobs.every((j) => j.status === 'done')).toBe(true);
  });
});
