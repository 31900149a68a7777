import { randomUUID } from 'node:crypto';
import type { CaseAction, CaseState } from '@jiayuan/contracts';
import { caseStates } from '@jiayuan/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../../test/app.ts';
import { sha256 } from '../../shared/crypto.ts';
import { canonicalJson } from '../audit/index.ts';
import { transitions } from './case.workflow.ts';
import { caseClient, jpegWithExif } from './cases.test-helpers.ts';

let t: TestApp;
let c: ReturnType<typeof caseClient>;
const cookies: Record<string, string> = {};
const ids: Record<string, string> = {};
let garbage: string;
let fire: string;

beforeAll(async () => {
  t = await makeTestApp();
  c = caseClient(t);
  const users: [string, Parameters<TestApp['makeUser']>[1], Parameters<TestApp['makeUser']>[2]][] = [
    ['gm', ['grid_manager'], 'gridA1'],
    ['gm2', ['grid_manager'], 'gridA1'],
    ['worker', ['community_worker'], 'communityA'],
    ['leader', ['community_leader'], 'communityA'],
    ['street', ['street_staff'], 'street'],
    ['res', ['resident'], 'gridA1'],
    ['res2', ['resident'], 'gridA1'],
    ['desk', ['front_desk'], 'communityA'],
    ['leaderB', ['community_leader'], 'communityB'],
  ];
  for (const [name, roles, at] of users) {
    ids[name] = await t.makeUser(name, roles, at);
    cookies[name] = await t.login(name);
  }
  garbage = await c.categoryId('environment.garbage');
  fire = await c.categoryId('safety.fire');
});
afterAll(async () => {
  await t?.close();
});

/** Moves the fake clock and signs everyone in again (sessions end after 15–30 idle minutes). */
async function advance(ms: number) {
  t.clock.advance(ms);
  for (const name of Object.keys(ids)) cookies[name] = await t.login(name);
}

const base = () => ({
  categoryId: garbage,
  source: 'resident',
  description: '楼下垃圾堆放三天无人清理',
  jurisdictionId: t.tree.gridA1.id,
});

/** Reports a case as the resident and returns its id. */
async function newCase(body: Record<string, unknown> = {}, who = 'res') {
  const r = await c.report(cookies[who] as string, { ...base(), ...body });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().case.id as string;
}

async function step(who: string, id: string, body: Record<string, unknown>, status = 200) {
  const r = await c.move(cookies[who] as string, id, body);
  expect(r.statusCode, `${who} ${JSON.stringify(body)}: ${r.body}`).toBe(status);
  return r.json();
}

async function photo(who: string, id: string) {
  const r = await c.upload(cookies[who] as string, id, jpegWithExif());
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as string;
}

/** reported → verified → accepted → dispatched (to gm) → in_progress. */
async function toInProgress(id: string) {
  await step('gm', id, { action: 'verify' });
  await step('worker', id, { action: 'accept' });
  await step('worker', id, { action: 'dispatch', assigneeId: ids.gm });
  return step('gm', id, { action: 'start' });
}

async function toHandled(id: string) {
  await toInProgress(id);
  const p = await photo('gm', id);
  return step('gm', id, { action: 'handle', note: '已清理完毕', attachmentIds: [p] });
}

describe('intake', () => {
  it('numbers cases per district and year, starts in reported with a provisional deadline, and receipts the reporter', async () => {
    const r = await c.report(cookies.res as string, base());
    expect(r.statusCode).toBe(201);
    const body = r.json();
    expect(body.case.number).toMatch(/^430602-2026-\d{6}$/);
    expect(body.case).toMatchObject({ state: 'reported', urgency: 'blue', source: 'resident', deadline: 'green' });
    expect(body.case.timeLimitMinutes).toBe(72 * 60);
    expect(body.case.expectedAt).not.toBeNull();
    expect(body.case.timeline.map((e: { action: string }) => e.action)).toEqual(['report']);
    const again = await c.report(cookies.res as string, base());
    const n1 = Number(body.case.number.slice(-6));
    expect(Number(again.json().case.number.slice(-6))).toBe(n1 + 1);
    await c.runJobs();
    const notes = await c.inject('GET', '/api/notifications', cookies.res as string);
    expect(notes.json().items.some((n: { kind: string }) => n.kind === 'case.reported')).toBe(true);
  });

  it('checks the source against the role, the hotline caller, the category and its extra fields', async () => {
    const asDesk = (b: Record<string, unknown>) => c.report(cookies.desk as string, { ...base(), ...b });
    expect((await asDesk({ source: 'resident' })).json().error.code).toBe('CASES_SOURCE_NOT_ALLOWED');
    expect((await asDesk({ source: 'hotline' })).json().error.code).toBe('CASES_CALLER_REQUIRED');
    const hot = await asDesk({ source: 'hotline', caller: { name: '王小明', phone: '13912345678' } });
    expect(hot.statusCode).toBe(201);
    expect(hot.json().case.reporter).toEqual({ name: '王*明', phone: '139****5678' });
    expect(hot.body).not.toContain('13912345678');
    const row = await t.ctx.db
      .selectFrom('cases')
      .select(['caller_phone_enc'])
      .where('id', '=', hot.json().case.id)
      .executeTakeFirstOrThrow();
    expect(row.caller_phone_enc).not.toContain('13912345678');

    const major = await c.categoryId('environment');
    expect((await c.report(cookies.res as string, { ...base(), categoryId: major })).json().error.code).toBe(
      'CASES_CATEGORY_NOT_LEAF',
    );
    const gas = await c.categoryId('safety.gas');
    const bad = await c.report(cookies.res as string, { ...base(), categoryId: gas, extra: { smell: '也许' } });
    expect(bad.json().error.code).toBe('CASES_EXTRA_FIELDS_INVALID');
    const missing = await c.report(cookies.res as string, { ...base(), categoryId: gas });
    expect(missing.json().error.code).toBe('CASES_EXTRA_FIELDS_INVALID');
    const unknown = await c.report(cookies.res as string, { ...base(), categoryId: gas, extra: { smell: '有', x: 1 } });
    expect(unknown.json().error.code).toBe('CASES_EXTRA_FIELDS_INVALID');
    const ok = await c.report(cookies.res as string, { ...base(), categoryId: gas, extra: { smell: '有' } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().case).toMatchObject({ urgency: 'red', timeLimitMinutes: 120, extra: { smell: '有' } });
    // Unknown fields in the body are refused (strict schemas).
    expect((await c.report(cookies.res as string, { ...base(), priority: 1 })).statusCode).toBe(400);
  });

  it("refuses places outside the reporter's scope and nodes that are not grids or communities", async () => {
    const out = await c.report(cookies.res as string, { ...base(), jurisdictionId: t.tree.gridB1.id });
    expect(out.json().error.code).toBe('CASES_JURISDICTION_INVALID');
    const street = await c.report(cookies.street as string, {
      ...base(),
      source: 'referral',
      jurisdictionId: t.tree.street.id,
    });
    expect(street.json().error.code).toBe('CASES_JURISDICTION_INVALID');
    const referral = await c.report(cookies.street as string, {
      ...base(),
      source: 'referral',
      jurisdictionId: t.tree.communityB.id,
    });
    expect(referral.statusCode).toBe(201);
    expect(referral.json().case.gridId).toBeNull();
  });
});

describe('idempotency (RL-3)', () => {
  it('answers a retry with the stored response, a changed body with 422, no key with 400', async () => {
    const key = randomUUID();
    const a = await c.report(cookies.res as string, base(), key);
    const b = await c.report(cookies.res as string, base(), key);
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.json().case.id).toBe(a.json().case.id);
    expect(b.json().case.number).toBe(a.json().case.number);
    const count = await t.ctx.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('number', '=', a.json().case.number)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
    const changed = await c.report(cookies.res as string, { ...base(), description: '另一件事' }, key);
    expect(changed.statusCode).toBe(422);
    expect(changed.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // Keys belong to their principal: another user may use the same key for their own request.
    const other = await c.report(cookies.res2 as string, base(), key);
    expect(other.statusCode).toBe(201);
    expect(other.json().case.id).not.toBe(a.json().case.id);
    const none = await c.inject('POST', '/api/cases', cookies.res as string, base());
    expect(none.statusCode).toBe(400);
    expect(none.json().error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
  });

  it('answers 409 while the first request with the key is in flight, and lets a retry take over a dead one', async () => {
    const key = randomUUID();
    const body = base();
    const hash = sha256(canonicalJson({ method: 'POST', route: '/api/cases', params: {}, body }));
    await t.ctx.db
      .insertInto('idempotency_keys')
      .values({
        principal: `user:${ids.res}`,
        key,
        request_hash: hash,
        status: 'in_flight',
        response_status: null,
        response_body: null,
        created_at: t.clock.now(),
        expires_at: new Date(t.clock.now().getTime() + 7 * 86_400_000),
      })
      .execute();
    const busy = await c.report(cookies.res as string, body, key);
    expect(busy.statusCode).toBe(409);
    expect(busy.json().error.code).toBe('IDEMPOTENCY_IN_FLIGHT');
    await advance(2 * 60_000);
    const retry = await c.report(cookies.res as string, body, key);
    expect(retry.statusCode).toBe(201);
    const replay = await c.report(cookies.res as string, body, key);
    expect(replay.json().case.id).toBe(retry.json().case.id);
  });

  it('keeps keys 7 days', async () => {
    const key = randomUUID();
    const a = await c.report(cookies.res as string, base(), key);
    await advance(7 * 86_400_000 - 60_000);
    expect((await c.report(cookies.res as string, base(), key)).json().case.id).toBe(a.json().case.id);
    await advance(2 * 60_000);
    expect((await c.report(cookies.res as string, base(), key)).json().case.id).not.toBe(a.json().case.id);
  });
});

describe('every legal path', () => {
  it('closes: report → verify → accept → dispatch → start → handle (with photos) → close → rate', async () => {
    const id = await newCase();
    await toInProgress(id);
    // Handling needs photos uploaded to this case.
    const noPhoto = await c.move(cookies.gm as string, id, {
      action: 'handle',
      note: '处理了',
      attachmentIds: [randomUUID()],
    });
    expect(noPhoto.json().error.code).toBe('CASES_PHOTOS_REQUIRED');
    expect((await c.move(cookies.gm as string, id, { action: 'handle', note: '处理了' })).statusCode).toBe(400);
    const p = await photo('gm', id);
    await step('gm', id, { action: 'handle', note: '已清理完毕', attachmentIds: [p] });
    expect((await c.move(cookies.worker as string, id, { action: 'close' })).statusCode).toBe(400);
    const closed = await step('worker', id, { action: 'close', checkResult: '现场核查已清理' });
    expect(closed.state).toBe('closed');
    expect(closed.allowedActions).toEqual([]);
    const rated = await step('res', id, { action: 'rate', rating: 'satisfied' });
    expect(rated.rating).toBe('satisfied');
    expect(rated.timeline.map((e: { action: string; from: string; to: string }) => [e.action, e.from, e.to])).toEqual([
      ['report', null, 'reported'],
      ['verify', 'reported', 'verified'],
      ['accept', 'verified', 'accepted'],
      ['dispatch', 'accepted', 'dispatched'],
      ['start', 'dispatched', 'in_progress'],
      ['attachment', 'in_progress', 'in_progress'],
      ['handle', 'in_progress', 'handled'],
      ['close', 'handled', 'closed'],
      ['rate', 'closed', 'closed'],
    ]);
    const tl = await c.inject('GET', `/api/cases/${id}/timeline`, cookies.res as string);
    expect(tl.json().items).toHaveLength(9);
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('object_id', '=', id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'case.report',
      'case.verify',
      'case.accept',
      'case.dispatch',
      'case.start',
      'case.attachment.add',
      'case.handle',
      'case.close',
      'case.rate',
    ]);
    // In-app notifications reach the assignee and the reporter at each step, through the outbox relay.
    await c.runJobs();
    const gmNotes = (await c.inject('GET', '/api/notifications', cookies.gm as string)).json().items;
    expect(gmNotes.some((n: { kind: string; caseId: string }) => n.kind === 'case.dispatch' && n.caseId === id)).toBe(
      true,
    );
    const resNotes = (await c.inject('GET', '/api/notifications', cookies.res as string)).json().items;
    expect(resNotes.filter((n: { caseId: string }) => n.caseId === id).map((n: { kind: string }) => n.kind)).toEqual(
      expect.arrayContaining([
        'case.verify',
        'case.accept',
        'case.dispatch',
        'case.start',
        'case.handle',
        'case.close',
      ]),
    );
    const pending = await t.ctx.db.selectFrom('outbox').select('id').where('status', '=', 'pending').execute();
    expect(pending).toHaveLength(0);
  });

  it('reworks then closes: handled → rework (with reason) → dispatched → … → closed', async () => {
    const id = await newCase();
    await toHandled(id);
    expect((await c.move(cookies.worker as string, id, { action: 'rework' })).statusCode).toBe(400);
    const back = await step('worker', id, { action: 'rework', reason: '现场仍有垃圾' });
    expect(back.state).toBe('rework');
    const again = await step('worker', id, { action: 'dispatch', assigneeId: ids.gm });
    expect(again.state).toBe('dispatched');
    await step('gm', id, { action: 'start' });
    const p = await photo('gm', id);
    await step('gm', id, { action: 'handle', note: '已彻底清理', attachmentIds: [p] });
    const closed = await step('worker', id, { action: 'close', checkResult: '复查合格' });
    expect(closed.state).toBe('closed');
    const row = await t.ctx.db
      .selectFrom('cases')
      .select(['rework_count', 'handled_count'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ rework_count: 1, handled_count: 2 });
  });

  it('discards with a reason', async () => {
    const id = await newCase();
    expect((await c.move(cookies.worker as string, id, { action: 'discard' })).statusCode).toBe(400);
    const d = await step('worker', id, { action: 'discard', reason: '重复上报，已现场核实无此问题' });
    expect(d.state).toBe('discarded');
    expect(d.deadline).toBe('none');
    expect(d.timeline.at(-1).details.reason).toBe('重复上报，已现场核实无此问题');
  });

  it("suspends on a leader's approval, stopping the clock, and resumes with the time that was left", async () => {
    const id = await newCase({ categoryId: fire });
    await toInProgress(id);
    const before = (await c.inject('GET', `/api/cases/${id}`, cookies.worker as string)).json();
    await advance(30 * 60_000);
    // The assignee cannot approve their own suspension; a leader can.
    expect((await c.move(cookies.gm as string, id, { action: 'suspend', reason: '等待燃气公司' })).statusCode).toBe(
      403,
    );
    const s = await step('leader', id, { action: 'suspend', reason: '等待燃气公司检修' });
    expect(s.state).toBe('suspended');
    expect(s.deadline).toBe('paused');
    await advance(300 * 60_000);
    await c.runJobs();
    expect(
      await t.ctx.db.selectFrom('case_deadline_flags').selectAll().where('case_id', '=', id).execute(),
    ).toHaveLength(0);
    const r = await step('leader', id, { action: 'resume' });
    expect(r.state).toBe('in_progress');
    const shifted = new Date(r.expectedAt).getTime() - new Date(before.expectedAt).getTime();
    expect(shifted).toBe(300 * 60_000);
    const p = await photo('gm', id);
    await step('gm', id, { action: 'handle', note: '已处置', attachmentIds: [p] });
    expect((await step('worker', id, { action: 'close', checkResult: '合格' })).state).toBe('closed');
  });

  it('lets the reporter reopen within 7 days of close, and refuses after', async () => {
    const id = await newCase();
    await toHandled(id);
    await step('worker', id, { action: 'close', checkResult: '合格' });
    await advance(6 * 86_400_000);
    // Only the reporter may reopen.
    expect((await c.move(cookies.res2 as string, id, { action: 'reopen', reason: '没处理好' })).statusCode).toBe(404);
    expect((await c.move(cookies.worker as string, id, { action: 'reopen', reason: '没处理好' })).statusCode).toBe(403);
    const re = await step('res', id, { action: 'reopen', reason: '垃圾又堆起来了', rating: 'dissatisfied' });
    expect(re.state).toBe('reopened');
    expect(re.rating).toBe('dissatisfied');
    await step('worker', id, { action: 'dispatch', assigneeId: ids.gm });
    await step('gm', id, { action: 'start' });
    const p = await photo('gm', id);
    await step('gm', id, { action: 'handle', note: '再次清理', attachmentIds: [p] });
    await step('worker', id, { action: 'close', checkResult: '合格' });
    await advance(7 * 86_400_000 + 60_000);
    const late = await c.move(cookies.res as string, id, { action: 'reopen', reason: '还是不行' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('CASES_REOPEN_WINDOW_PASSED');
    expect((await c.move(cookies.res as string, id, { action: 'rate', rating: 'satisfied' })).statusCode).toBe(409);
  });
});

describe('illegal transitions (generated from the workflow table)', () => {
  const bodies: Record<Exclude<CaseAction, 'merge'>, Record<string, unknown>> = {
    verify: {},
    discard: { reason: 'x' },
    accept: {},
    dispatch: { assigneeId: '00000000-0000-4000-8000-000000000001' },
    start: {},
    handle: { note: 'x', attachmentIds: ['00000000-0000-4000-8000-000000000001'] },
    close: { checkResult: 'x' },
    rework: { reason: 'x' },
    suspend: { reason: 'x' },
    resume: {},
    reopen: { reason: 'x' },
    rate: { rating: 'satisfied' },
  };

  it('refuses every action from every state it does not start from, with from/to in the details', async () => {
    const id = await newCase();
    const target = await newCase();
    let refused = 0;
    for (const state of caseStates) {
      await t.ctx.db.updateTable('cases').set({ state }).where('id', '=', id).execute();
      for (const tr of transitions) {
        if (tr.from.includes(state as CaseState)) continue;
        const res =
          tr.action === 'merge'
            ? await c.inject('POST', `/api/cases/${id}/merge`, cookies.leader as string, { intoId: target })
            : await c.move(cookies.leader as string, id, { action: tr.action, ...bodies[tr.action] });
        expect(res.statusCode, `${tr.action} from ${state}`).toBe(409);
        const err = res.json().error;
        expect(err.code).toBe('CASES_ILLEGAL_TRANSITION');
        expect(err.details).toEqual({ from: state, to: tr.to === 'same' ? tr.from[0] : tr.to, action: tr.action });
        refused++;
      }
    }
    const legalPairs = transitions.reduce((n, tr) => n + tr.from.length, 0);
    expect(refused).toBe(caseStates.length * transitions.length - legalPairs);
    const en = await c.inject(
      'POST',
      `/api/cases/${id}/transitions`,
      cookies.leader as string,
      { action: 'verify' },
      {
        'accept-language': 'en',
      },
    );
    expect(en.json().error.message).toMatch(/cannot be moved/);
  });
});

describe('who may move a case (AC-8) and who sees it', () => {
  it('lets only the assignee start and handle, and hides cases out of scope', async () => {
    const id = await newCase();
    await step('gm', id, { action: 'verify' });
    // A resident may not verify; another community's leader does not even see the case.
    expect((await c.move(cookies.res as string, id, { action: 'accept' })).statusCode).toBe(403);
    expect((await c.move(cookies.leaderB as string, id, { action: 'accept' })).statusCode).toBe(404);
    expect((await c.inject('GET', `/api/cases/${id}`, cookies.leaderB as string)).statusCode).toBe(404);
    await step('worker', id, { action: 'accept' });
    // Only the owner (or the community leader) dispatches; the assignee must cover the case.
    expect((await c.move(cookies.gm as string, id, { action: 'dispatch', assigneeId: ids.gm })).statusCode).toBe(403);
    const wrong = await c.move(cookies.worker as string, id, { action: 'dispatch', assigneeId: ids.leaderB });
    expect(wrong.json().error.code).toBe('CASES_ASSIGNEE_INVALID');
    const toResident = await c.move(cookies.worker as string, id, { action: 'dispatch', assigneeId: ids.res });
    expect(toResident.json().error.code).toBe('CASES_ASSIGNEE_INVALID');
    const d = await c.inject('POST', `/api/cases/${id}/dispatch`, cookies.worker as string, { assigneeId: ids.gm });
    expect(d.statusCode).toBe(200);
    expect(d.json().allowedActions).toEqual([]);
    const r = await c.move(cookies.gm2 as string, id, { action: 'start' });
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe('CASES_ACTION_FORBIDDEN');
    const asGm = (await c.inject('GET', `/api/cases/${id}`, cookies.gm as string)).json();
    expect(asGm.allowedActions).toEqual(['start']);
  });
});

describe('uploads (IN-5)', () => {
  it('strips EXIF/GPS, stores under a generated name and serves as an attachment', async () => {
    const id = await newCase();
    const up = await c.upload(cookies.res as string, id, jpegWithExif(), '../../etc/passwd.jpg');
    expect(up.statusCode).toBe(201);
    expect(up.json()).toMatchObject({ mime: 'image/jpeg', kind: 'report' });
    const row = await t.ctx.db
      .selectFrom('case_attachments')
      .selectAll()
      .where('id', '=', up.json().id)
      .executeTakeFirstOrThrow();
    expect(row.storage_name).toMatch(/^cases\/\d{4}\/\d{2}\/[0-9a-f-]{36}$/);
    const dl = await c.inject('GET', `/api/cases/${id}/attachments/${up.json().id}`, cookies.worker as string);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('image/jpeg');
    expect(dl.headers['content-disposition']).toMatch(/^attachment; filename="430602-2026-\d{6}-[0-9a-f]{8}\.jpg"$/);
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    const bytes = dl.rawPayload;
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(bytes.includes(Buffer.from('Exif'))).toBe(false);
    expect(bytes.includes(Buffer.from('GPS'))).toBe(false);
    expect(bytes.includes(Buffer.from('JFIF'))).toBe(true);
    expect(bytes.at(-1)).toBe(0xd9);
  });

  it('refuses wrong content (415), oversized files (413), and downloads out of scope (404)', async () => {
    const id = await newCase();
    const html = await c.upload(cookies.res as string, id, Buffer.from('<html><script>alert(1)</script>'), 'x.jpg');
    expect(html.statusCode).toBe(415);
    expect(html.json().error.code).toBe('CASES_ATTACHMENT_TYPE');
    const big = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(10 * 1024 * 1024)]);
    const tooBig = await c.upload(cookies.res as string, id, big);
    expect(tooBig.statusCode).toBe(413);
    expect(await t.ctx.db.selectFrom('case_attachments').select('id').where('case_id', '=', id).execute()).toHaveLength(
      0,
    );
    const pdf = await c.upload(cookies.res as string, id, Buffer.from('%PDF-1.4\n%%EOF\n'), 'a.pdf', 'application/pdf');
    expect(pdf.statusCode).toBe(201);
    expect(
      (await c.inject('GET', `/api/cases/${id}/attachments/${pdf.json().id}`, cookies.leaderB as string)).statusCode,
    ).toBe(404);
    expect((await c.upload(cookies.leaderB as string, id, jpegWithExif())).statusCode).toBe(404);
  });
});

describe('duplicates and merge', () => {
  it('offers open reports of the same 小类 within 50 m and 24 h, and merges one into the other', async () => {
    const at = { lng: 113.1, lat: 29.37 };
    const first = await newCase({ ...at });
    const near = await c.report(cookies.res2 as string, { ...base(), lng: 113.1003, lat: 29.3701 });
    expect(near.statusCode).toBe(201);
    const offered = near.json().possibleDuplicates;
    expect(offered.map((d: { id: string }) => d.id)).toContain(first);
    expect(offered.find((d: { id: string }) => d.id === first).distanceM).toBeLessThan(50);
    const far = await c.report(cookies.res2 as string, { ...base(), lng: 113.101, lat: 29.3705 });
    expect(far.json().possibleDuplicates.map((d: { id: string }) => d.id)).not.toContain(first);
    const otherKind = await c.report(cookies.res2 as string, {
      ...base(),
      ...at,
      categoryId: await c.categoryId('environment.sewage'),
    });
    expect(otherKind.json().possibleDuplicates).toEqual([]);
    await advance(25 * 3600_000);
    const late = await c.report(cookies.res2 as string, { ...base(), ...at });
    expect(late.json().possibleDuplicates.map((d: { id: string }) => d.id)).not.toContain(first);

    const dup = near.json().case.id;
    expect(
      (await c.inject('POST', `/api/cases/${dup}/merge`, cookies.res as string, { intoId: first })).statusCode,
    ).toBe(404);
    const bad = await c.inject('POST', `/api/cases/${dup}/merge`, cookies.worker as string, {
      intoId: otherKind.json().case.id,
    });
    expect(bad.json().error.code).toBe('CASES_MERGE_INVALID');
    const m = await c.inject('POST', `/api/cases/${dup}/merge`, cookies.worker as string, {
      intoId: first,
      note: '同一堆垃圾',
    });
    expect(m.statusCode).toBe(200);
    expect(m.json()).toMatchObject({ state: 'discarded', mergedInto: first });
    const target = (await c.inject('GET', `/api/cases/${first}`, cookies.worker as string)).json();
    expect(target.timeline.at(-1)).toMatchObject({ action: 'merged_from', details: { from: dup } });
  });
});

describe('listing', () => {
  it('filters by state, category, urgency, deadline colour and grid, pages by keyset, and stays in scope', async () => {
    const mine: string[] = [];
    for (let i = 0; i < 5; i++) mine.push(await newCase({ description: `列表测试 ${i}` }));
    const page1 = await c.inject(
      'GET',
      `/api/cases?state=reported&categoryId=${garbage}&limit=3`,
      cookies.worker as string,
    );
    expect(page1.statusCode).toBe(200);
    expect(page1.json().items).toHaveLength(3);
    const page2 = await c.inject(
      'GET',
      `/api/cases?state=reported&categoryId=${garbage}&limit=3&cursor=${page1.json().nextCursor}`,
      cookies.worker as string,
    );
    const seen = [...page1.json().items, ...page2.json().items].map((x: { id: string }) => x.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(page1.json().items.every((x: { state: string }) => x.state === 'reported')).toBe(true);
    const major = await c.categoryId('environment');
    expect(
      (await c.inject('GET', `/api/cases?categoryId=${major}&limit=200`, cookies.worker as string)).json().items.length,
    ).toBeGreaterThan(5);
    const red = await c.inject('GET', '/api/cases?urgency=red&deadline=green', cookies.worker as string);
    expect(red.json().items.every((x: { urgency: string }) => x.urgency === 'red')).toBe(true);
    const byGrid = await c.inject('GET', `/api/cases?gridId=${t.tree.gridA1.id}&limit=200`, cookies.worker as string);
    expect(byGrid.json().items.every((x: { gridId: string }) => x.gridId === t.tree.gridA1.id)).toBe(true);
    const other = await c.inject('GET', '/api/cases?limit=200', cookies.leaderB as string);
    expect(other.json().items.every((x: { jurisdictionId: string }) => x.jurisdictionId !== t.tree.gridA1.id)).toBe(
      true,
    );
    // A resident sees only their own reports.
    const res2 = await c.inject('GET', '/api/cases?limit=200', cookies.res2 as string);
    expect(res2.json().items.some((x: { id: string }) => mine.includes(x.id))).toBe(false);
    expect((await c.inject('GET', '/api/cases?deadline=purple', cookies.worker as string)).statusCode).toBe(400);
    expect((await c.inject('GET', '/api/cases?cursor=abc', cookies.worker as string)).statusCode).toBe(400);
  });
});

describe('categories, routing and the calendar', () => {
  it('lets a community leader add a local 小类 and route it to a department, and keeps global ones for the system admin', async () => {
    const env = await c.categoryId('environment');
    const local = await c.inject('POST', '/api/cases/categories', cookies.leader as string, {
      parentId: env,
      code: 'environment.dogs',
      name: '犬只粪便',
      jurisdictionId: t.tree.communityA.id,
      defaultUrgency: 'blue',
      timeLimitMinutes: 480,
      extraFields: [{ key: 'count', label: '数量', type: 'number', required: true }],
    });
    expect(local.statusCode, local.body).toBe(201);
    expect(local.json()).toMatchObject({ effectiveLimitMinutes: 480, jurisdictionId: t.tree.communityA.id });
    const global = await c.inject('PATCH', `/api/cases/categories/${garbage}`, cookies.leader as string, {
      timeLimitMinutes: 60,
    });
    expect(global.statusCode).toBe(403);
    const leaderBSees = (await c.inject('GET', '/api/cases/categories', cookies.leaderB as string)).json().items;
    expect(leaderBSees.some((x: { code: string }) => x.code === 'environment.dogs')).toBe(false);
    expect(leaderBSees.length).toBe(8 + 30);

    const dept = await c.inject('POST', '/api/cases/departments', cookies.street as string, {
      name: '街道城管中队',
      jurisdictionId: t.tree.street.id,
    });
    expect(dept.statusCode).toBe(201);
    const rule = await c.inject('PUT', '/api/cases/routing-rules', cookies.street as string, {
      categoryId: env,
      jurisdictionId: t.tree.street.id,
      departmentId: dept.json().id,
    });
    expect(rule.statusCode).toBe(200);
    const id = await newCase({ categoryId: local.json().id, extra: { count: 3 } });
    await step('gm', id, { action: 'verify' });
    const accepted = await step('worker', id, { action: 'accept' });
    expect(accepted.departmentId).toBe(dept.json().id);
    expect(accepted.timeLimitMinutes).toBe(480);
  });

  it('lets the system admin replace a year of the calendar', async () => {
    await t.makeUser('sys', ['system_admin'], 'city');
    const { cookie } = await t.loginWithTotp('sys');
    const y = await c.inject('GET', '/api/cases/calendar/2026', cookie);
    expect(y.json().days).toHaveLength(39);
    expect(
      y
        .json()
        .days.filter((d: { kind: string }) => d.kind === 'workday')
        .map((d: { day: string }) => d.day),
    ).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    const put = await c.inject('PUT', '/api/cases/calendar/2027', cookie, {
      days: [{ day: '2027-01-01', kind: 'holiday', name: '元旦' }],
    });
    expect(put.statusCode).toBe(200);
    const wrongYear = await c.inject('PUT', '/api/cases/calendar/2027', cookie, {
      days: [{ day: '2026-01-01', kind: 'holiday', name: '元旦' }],
    });
    expect(wrongYear.json().error.code).toBe('CASES_CALENDAR_INVALID');
    expect((await c.inject('PUT', '/api/cases/calendar/2027', cookies.leader as string, { days: [] })).statusCode).toBe(
      403,
    );
    // Admin roles never read cases (nor their reporters).
    expect((await c.inject('GET', '/api/cases', cookie)).json().items).toEqual([]);
  });
});

describe('schema', () => {
  it('registers the scoped tables and moves their paths with the jurisdiction tree', async () => {
    const rows = await sql<{
      n: string;
    }>`select count(*) as n from cases where path <@ ${t.tree.communityA.path}::ltree`.execute(t.ctx.db);
    expect(Number(rows.rows[0]?.n)).toBeGreaterThan(0);
  });
});
