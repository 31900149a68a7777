import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../../test/app.ts';
import { badCheck, type Client, client, leakIn, makeId, makePhone } from '../../../test/registry.ts';
import { systemCtx } from '../../shared/context.ts';
import { decrypt, loadKeyring } from '../../shared/crypto.ts';
import { createResident, rotateKeys } from './index.ts';

let t: TestApp;
/** Every response body seen by any client, for the leak scan at the end. */
const seen: { url: string; body: string }[] = [];
let workerA: Client; // community_worker @ 金鹗社区 (A): reveal + care tags
let workerB: Client; // community_worker @ 五里牌社区 (B)
let deskA: Client; // front_desk @ A: reveal, no care tags
let headA: Client; // building_head @ grid A1, assigned to building A1-1 only
let gridMgr: Client; // grid_manager whose account sits at community A, assigned grid A1
let street: Client; // street_staff: not a registry role
let place: { buildingA: string; dwellingA: string; dwellingA2: string; buildingA2: string; dwellingB: string };
let headAId: string;

const baseResident = (over: Record<string, unknown> = {}) => ({
  name: '张三丰',
  idType: 'id_card',
  idNumber: makeId(),
  phone: makePhone(),
  residenceType: 'permanent',
  dwellingId: place.dwellingA,
  ...over,
});

async function created(c: Client, body: Record<string, unknown>) {
  const r = await c.post('/api/residents', body);
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string; [k: string]: unknown };
}

/** Signs every test user in again (after the fake clock jumps past the idle timeout). */
async function signIn() {
  const c = async (name: string) => client(t.app, await t.login(name), seen);
  workerA = await c('worker-a');
  workerB = await c('worker-b');
  deskA = await c('desk-a');
  headA = await c('head-a');
  gridMgr = await c('gm-a');
  street = await c('street-1');
}

beforeAll(async () => {
  t = await makeTestApp();
  await t.makeUser('worker-a', ['community_worker'], 'communityA');
  await t.makeUser('worker-b', ['community_worker'], 'communityB');
  await t.makeUser('desk-a', ['front_desk'], 'communityA');
  headAId = await t.makeUser('head-a', ['building_head'], 'gridA1');
  const gmId = await t.makeUser('gm-a', ['grid_manager'], 'communityA');
  await t.makeUser('street-1', ['street_staff'], 'street');
  await signIn();

  const post = async (c: Client, url: string, body: unknown) => {
    const r = await c.post(url, body);
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  };
  const complexA = await post(workerA, '/api/complexes', { jurisdictionId: t.tree.gridA1.id, name: '金鹗山庄' });
  const buildingA = await post(workerA, '/api/buildings', { complexId: complexA, name: '3栋', lng: 113.1, lat: 29.36 });
  const unitA = await post(workerA, '/api/units', { buildingId: buildingA, name: '2单元' });
  const dwellingA = await post(workerA, '/api/dwellings', {
    buildingId: buildingA,
    unitId: unitA,
    number: '0302',
    use: 'self_occupied',
    area: 89.5,
  });
  const dwellingA2b = await post(workerA, '/api/dwellings', { buildingId: buildingA, number: '0101', use: 'rented' });
  const buildingA2 = await post(workerA, '/api/buildings', { jurisdictionId: t.tree.gridA1.id, name: '5栋' });
  const dwellingA2 = await post(workerA, '/api/dwellings', { buildingId: buildingA2, number: '0501', use: 'rented' });
  const buildingB = await post(workerB, '/api/buildings', { jurisdictionId: t.tree.gridB1.id, name: '1栋' });
  const dwellingB = await post(workerB, '/api/dwellings', {
    buildingId: buildingB,
    number: '0101',
    use: 'self_occupied',
  });
  place = { buildingA, dwellingA, dwellingA2, buildingA2, dwellingB };
  void dwellingA2b;
  // Assignments: the building head to building 3栋 only; the grid manager (a community-level account) to grid A1.
  expect((await workerA.post(`/api/buildings/${buildingA}/heads`, { userId: headAId })).statusCode).toBe(200);
  expect((await workerA.post(`/api/grids/${t.tree.gridA1.id}/managers`, { userId: gmId })).statusCode).toBe(200);
});
afterAll(async () => {
  await t?.close();
});

describe('registering and reading residents', () => {
  it('creates a resident with derived sex and age, and answers masked', async () => {
    const idNumber = makeId({ birth: '19900315', female: true });
    const phone = makePhone();
    const r = await created(
      workerA,
      baseResident({
        idNumber,
        phone,
        careTags: ['living_alone'],
        registeredPlace: '湖南省岳阳市岳阳楼区金鹗山庄3栋2单元0302',
        note: `电话 ${phone}`,
      }),
    );
    expect(r).toMatchObject({
      name: '张*丰',
      idType: 'id_card',
      idNumber: `${idNumber.slice(0, 3)}***********${idNumber.slice(-4)}`,
      phone: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
      sex: 'F',
      age: 35,
      address: '金鹗山庄3栋***',
      registeredPlace: '湖南省岳阳市岳阳楼区金鹗山庄3栋***',
      careTags: ['living_alone'],
      status: 'active',
      jurisdiction: { id: t.tree.gridA1.id },
      buildingId: place.buildingA,
    });
    expect(r.note).not.toContain(phone);
    const got = await workerA.get(`/api/residents/${r.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.json().idNumber).toBe(r.idNumber);
    // Every read of a detail is audited.
    const reads = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'object_id', 'actor_name'])
      .where('action', '=', 'resident.read')
      .where('object_id', '=', r.id)
      .execute();
    expect(reads).toEqual([{ action: 'resident.read', object_id: r.id, actor_name: 'worker-a' }]);
  });

  it('registers passports with given sex and birth date, and rejects a mismatch with the ID', async () => {
    const p = await created(
      workerA,
      baseResident({
        name: 'John Smith',
        idType: 'passport',
        idNumber: 'e1234 5678',
        sex: 'M',
        birthDate: '1980-01-02',
        residenceType: 'overseas',
      }),
    );
    expect(p).toMatchObject({ name: 'J*** S****', idNumber: 'E1****678', sex: 'M' });
    const bad = await workerA.post('/api/residents', baseResident({ idNumber: makeId({ female: true }), sex: 'M' }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('REGISTRY_ID_SEX_MISMATCH');
  });

  it('lists in keyset pages without repeats', async () => {
    for (let i = 0; i < 5; i++)
      await created(workerA, baseResident({ name: `分页${i}`, dwellingId: place.dwellingA2 }));
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/residents?dwellingId=${place.dwellingA2}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const r = await workerA.get(url);
      expect(r.statusCode).toBe(200);
      ids.push(...r.json().items.map((x: { id: string }) => x.id));
      cursor = r.json().nextCursor;
    } while (cursor);
    expect(ids.length).toBe(5);
    expect(new Set(ids).size).toBe(5);
    expect((await workerA.get('/api/residents?cursor=not!valid')).statusCode).toBe(400);
  });
});

describe('validation', () => {
  const code = async (body: Record<string, unknown>) => {
    const r = await workerA.post('/api/residents', body);
    expect(r.statusCode, r.body).toBe(400);
    return r.json().error.code as string;
  };
  it('rejects a bad check digit, an impossible date, a bad region, a bad phone', async () => {
    expect(await code(baseResident({ idNumber: badCheck(makeId()) }))).toBe('REGISTRY_ID_CHECK_DIGIT');
    expect(await code(baseResident({ idNumber: makeId({ birth: '19900230' }) }))).toBe('REGISTRY_ID_BIRTH_DATE');
    expect(await code(baseResident({ idNumber: makeId({ birth: '20991231' }) }))).toBe('REGISTRY_ID_BIRTH_DATE');
    expect(await code(baseResident({ idNumber: makeId({ province: '99' }) }))).toBe('REGISTRY_ID_REGION');
    expect(await code(baseResident({ idNumber: '12345' }))).toBe('REGISTRY_ID_FORMAT');
    expect(await code(baseResident({ phone: '12812345678' }))).toBe('REGISTRY_PHONE_INVALID');
    expect(await code(baseResident({ residenceType: 'floating' }))).toBe('REGISTRY_ARRIVAL_REQUIRED');
  });
  it('lists every problem in the details, in Chinese by default and in English on request', async () => {
    const r = await workerA.post('/api/residents', baseResident({ idNumber: badCheck(makeId()), phone: '123' }));
    expect(r.json().error.message).toBe('身份证号校验位错误，请核对');
    expect(r.json().error.details.problems.map((p: { field: string }) => p.field)).toEqual(['idNumber', 'phone']);
    const en = await t.app.inject({
      method: 'POST',
      url: '/api/residents',
      headers: { cookie: (await t.login('worker-a')).toString(), 'accept-language': 'en' },
      payload: baseResident({ phone: '123' }),
    });
    expect(en.json().error.message).toBe('The mobile number is not valid');
  });
  it('rejects unknown places, malformed ids and unknown fields', async () => {
    expect(await code(baseResident({ dwellingId: '00000000-0000-4000-8000-000000000000' }))).toBe(
      'REGISTRY_UNKNOWN_DWELLING',
    );
    expect(await code(baseResident({ dwellingId: place.dwellingB }))).toBe('REGISTRY_UNKNOWN_DWELLING');
    expect(await code(baseResident({ dwellingId: 'not-a-uuid' }))).toBe('VALIDATION_FAILED');
    expect(await code(baseResident({ secretField: 1 }))).toBe('VALIDATION_FAILED');
    expect(await code(baseResident({ dwellingId: null }))).toBe('REGISTRY_PLACE_REQUIRED');
    const d = await workerA.post('/api/dwellings', {
      buildingId: '00000000-0000-4000-8000-000000000000',
      number: '1',
      use: 'vacant',
    });
    expect(d.statusCode).toBe(400);
    expect(d.json().error.code).toBe('REGISTRY_UNKNOWN_BUILDING');
    expect((await workerA.get('/api/residents/12345')).statusCode).toBe(400);
  });
  it('keeps one active registration per ID: 409, naming it only in scope', async () => {
    const idNumber = makeId();
    const first = await created(workerA, baseResident({ idNumber }));
    const again = await workerA.post('/api/residents', baseResident({ idNumber }));
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'REGISTRY_ID_NUMBER_EXISTS', details: { residentId: first.id } });
    const elsewhere = await workerB.post('/api/residents', baseResident({ idNumber, dwellingId: place.dwellingB }));
    expect(elsewhere.statusCode).toBe(409);
    expect(elsewhere.json().error.code).toBe('REGISTRY_ID_NUMBER_ELSEWHERE');
    expect(elsewhere.json().error.details).toBeUndefined();
  });
});

describe('scope', () => {
  it('answers 404 to another community, in every route', async () => {
    const r = await created(workerA, baseResident());
    for (const res of [
      await workerB.get(`/api/residents/${r.id}`),
      await workerB.patch(`/api/residents/${r.id}`, { name: '李四' }),
      await workerB.get(`/api/residents/${r.id}/history`),
      await workerB.post(`/api/residents/${r.id}/end`, { reason: 'moved_out', date: '2026-03-01' }),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('REGISTRY_RESIDENT_NOT_FOUND');
    }
    const list = await workerB.get('/api/residents?limit=200');
    expect(list.json().items.map((x: { id: string }) => x.id)).not.toContain(r.id);
    expect((await workerB.get(`/api/residents?jurisdictionId=${t.tree.communityA.id}`)).statusCode).toBe(404);
  });

  it('keeps roles without the registry out, and admins out of personal data', async () => {
    expect((await street.get('/api/residents')).statusCode).toBe(403);
    await t.makeUser('sysadm', ['system_admin'], 'city');
    const admin = client(t.app, (await t.loginWithTotp('sysadm')).cookie, seen);
    expect((await admin.get('/api/residents')).statusCode).toBe(403);
    expect((await admin.get('/api/residents/search?q=张')).statusCode).toBe(403);
  });

  it('limits a building head to their buildings, without care tags', async () => {
    const inMine = await created(workerA, baseResident({ careTags: ['disabled'] }));
    const inOther = await created(workerA, baseResident({ dwellingId: place.dwellingA2 }));
    const mine = await headA.get(`/api/residents/${inMine.id}`);
    expect(mine.statusCode).toBe(200);
    expect(mine.json().careTags).toBeNull();
    expect((await headA.get(`/api/residents/${inOther.id}`)).statusCode).toBe(404);
    const list = (await headA.get('/api/residents?limit=200')).json().items as { buildingId: string }[];
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((x) => x.buildingId === place.buildingA)).toBe(true);
    // They record population changes in their building, but no care tags.
    expect((await headA.post('/api/residents', baseResident())).statusCode).toBe(201);
    expect((await headA.post('/api/residents', baseResident({ dwellingId: place.dwellingA2 }))).statusCode).toBe(400);
    const care = await headA.post('/api/residents', baseResident({ careTags: ['living_alone'] }));
    expect(care.statusCode).toBe(403);
    expect(care.json().error.code).toBe('REGISTRY_CARE_TAGS_FORBIDDEN');
    expect((await headA.get('/api/residents?careTag=disabled')).statusCode).toBe(403);
  });

  it('limits a grid manager to the grids assigned to them', async () => {
    const inA1 = await created(workerA, baseResident({ dwellingId: place.dwellingA2 }));
    const atCommunity = await created(
      workerA,
      baseResident({ dwellingId: null, jurisdictionId: t.tree.communityA.id }),
    );
    expect((await gridMgr.get(`/api/residents/${inA1.id}`)).statusCode).toBe(200);
    expect((await gridMgr.get(`/api/residents/${atCommunity.id}`)).statusCode).toBe(404);
  });

  it('property: a (user, resident) pair is readable exactly when the resident lies in the user’s scope', async () => {
    const nodes = ['city', 'district', 'street', 'communityA', 'communityB', 'gridA1', 'gridB1'] as const;
    const users: { at: (typeof nodes)[number]; c: Client }[] = [];
    for (const at of nodes) {
      await t.makeUser(`prop-${at}`, ['community_worker'], at);
      users.push({ at, c: client(t.app, await t.login(`prop-${at}`), seen) });
    }
    const system = systemCtx({ db: t.ctx.db, clock: t.clock, keyring: t.ctx.keyring });
    const residents: { id: string; path: string }[] = [];
    for (const at of ['communityA', 'communityB', 'gridA1', 'gridB1'] as const) {
      const r = await createResident(system, {
        name: `属性${at}`,
        idType: 'id_card',
        idNumber: makeId(),
        residenceType: 'registered',
        jurisdictionId: t.tree[at].id,
      });
      residents.push({ id: r.id, path: t.tree[at].path });
    }
    const within = (p: string, s: string) => p === s || p.startsWith(`${s}.`);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: users.length - 1 }),
        fc.integer({ min: 0, max: residents.length - 1 }),
        async (u, r) => {
          const user = users[u] as (typeof users)[number];
          const res = residents[r] as (typeof residents)[number];
          const got = await user.c.get(`/api/residents/${res.id}`);
          expect(got.statusCode).toBe(within(res.path, t.tree[user.at].path) ? 200 : 404);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('search', () => {
  it('finds by part of a name, exact ID and exact phone, within scope only', async () => {
    const idNumber = makeId();
    const phone = makePhone();
    const r = await created(workerA, baseResident({ name: '欧阳晓明', idNumber, phone }));
    const search = (c: Client, q: string) => c.get(`/api/residents/search?q=${encodeURIComponent(q)}`);
    for (const q of ['晓明', '欧阳晓', '欧阳晓明', idNumber, idNumber.toLowerCase(), phone]) {
      const res = await search(workerA, q);
      expect(res.statusCode).toBe(200);
      expect(
        res.json().items.map((x: { id: string }) => x.id),
        q,
      ).toContain(r.id);
      expect(res.json().items.find((x: { id: string }) => x.id === r.id).name).toBe('欧阳*明');
    }
    expect((await search(workerA, idNumber)).json().kind).toBe('idNumber');
    expect((await search(workerA, phone)).json().kind).toBe('phone');
    for (const q of ['晓明', idNumber, phone]) expect((await search(workerB, q)).json().items).toEqual([]);
    // Searches are audited by kind, never with the text searched.
    const audits = await t.ctx.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'resident.search')
      .execute();
    expect(JSON.stringify(audits)).not.toContain(idNumber);
    expect(JSON.stringify(audits)).not.toContain(phone);
  });
  it('pages search results', async () => {
    for (let i = 0; i < 3; i++) await created(workerA, baseResident({ name: `司马懿${i}` }));
    const first = (await workerA.get('/api/residents/search?q=司马懿&limit=2')).json();
    expect(first.items.length).toBe(2);
    const second = (await workerA.get(`/api/residents/search?q=司马懿&limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items.length).toBe(1);
    expect(second.nextCursor).toBeNull();
  });
});

describe('reveal', () => {
  it('needs the permission and a reason, is audited with the reason, and answers the full value', async () => {
    const idNumber = makeId();
    const phone = makePhone();
    const r = await created(workerA, baseResident({ idNumber, phone }));
    expect(
      (await headA.post(`/api/residents/${r.id}/reveal`, { field: 'idNumber', reason: '核实身份' })).statusCode,
    ).toBe(403);
    expect((await deskA.post(`/api/residents/${r.id}/reveal`, { field: 'idNumber' })).statusCode).toBe(400);
    expect((await deskA.post(`/api/residents/${r.id}/reveal`, { field: 'idNumber', reason: 'x' })).statusCode).toBe(
      400,
    );
    expect(
      (await workerB.post(`/api/residents/${r.id}/reveal`, { field: 'idNumber', reason: '核实身份' })).statusCode,
    ).toBe(404);
    const ok = await deskA.post(`/api/residents/${r.id}/reveal`, { field: 'idNumber', reason: '办理低保核对身份' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ field: 'idNumber', value: idNumber, remainingToday: 49 });
    expect(
      (await deskA.post(`/api/residents/${r.id}/reveal`, { field: 'phone', reason: '电话回访' })).json().value,
    ).toBe(phone);
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['actor_name', 'reason', 'details', 'success'])
      .where('action', '=', 'resident.reveal')
      .where('object_id', '=', r.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => [a.actor_name, a.reason, a.success])).toEqual([
      ['desk-a', '办理低保核对身份', true],
      ['desk-a', '电话回访', true],
    ]);
    expect(JSON.stringify(audit)).not.toContain(idNumber);
  });

  it('caps reveals at 50 per user per day (429), and allows them again the next day', async () => {
    await t.makeUser('capped', ['community_worker'], 'communityA');
    const c = client(t.app, await t.login('capped'));
    const r = await created(workerA, baseResident());
    for (let i = 1; i <= 50; i++) {
      const ok = await c.post(`/api/residents/${r.id}/reveal`, { field: 'idNumber', reason: `第${i}次核对` });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().remainingToday).toBe(50 - i);
    }
    const over = await c.post(`/api/residents/${r.id}/reveal`, { field: 'phone', reason: '再看一次' });
    expect(over.statusCode).toBe(429);
    expect(over.json().error.code).toBe('REGISTRY_REVEAL_LIMIT');
    expect(over.headers['retry-after']).toBeDefined();
    const refused = await t.ctx.db
      .selectFrom('audit_log')
      .select(['success', 'reason'])
      .where('action', '=', 'resident.reveal')
      .where('actor_name', '=', 'capped')
      .where('success', '=', false)
      .execute();
    expect(refused).toEqual([{ success: false, reason: '再看一次' }]);
    // Others are not affected; the next calendar day (China time) starts afresh.
    expect((await deskA.post(`/api/residents/${r.id}/reveal`, { field: 'phone', reason: '回访' })).statusCode).toBe(
      200,
    );
    t.clock.advance(15 * 3600_000); // 09:00 → 00:00 the next day
    await signIn();
    const c2 = client(t.app, await t.login('capped'));
    const next = await c2.post(`/api/residents/${r.id}/reveal`, { field: 'idNumber', reason: '次日核对' });
    expect(next.statusCode).toBe(200);
    expect(next.json().remainingToday).toBe(49);
    t.clock.advance(9 * 3600_000);
    await signIn();
  });
});

describe('history and end of residence', () => {
  it('records who changed what, masking ID and phone and sealing care tags', async () => {
    const oldPhone = makePhone();
    const newPhone = makePhone();
    const r = await created(workerA, baseResident({ phone: oldPhone }));
    const p = await workerA.patch(`/api/residents/${r.id}`, {
      name: '张三',
      phone: newPhone,
      careTags: ['oldest_old', 'living_alone'],
      note: null,
    });
    expect(p.statusCode, p.body).toBe(200);
    expect(p.json()).toMatchObject({ name: '张*', careTags: ['living_alone', 'oldest_old'] });
    const h = (await workerA.get(`/api/residents/${r.id}/history`)).json().items as {
      field: string;
      before: string | null;
      after: string | null;
      actorName: string;
    }[];
    const by = Object.fromEntries(h.map((x) => [x.field, x]));
    expect(by.name).toMatchObject({ before: '张*丰', after: '张*', actorName: 'worker-a' });
    expect(by.phone).toMatchObject({ before: `${oldPhone.slice(0, 3)}****${oldPhone.slice(-4)}` });
    expect(by.careTags?.after).toBe('["living_alone","oldest_old"]');
    // A building head sees the change but not the care tags.
    const hh = (await headA.get(`/api/residents/${r.id}/history`)).json().items as { field: string; after: string }[];
    expect(hh.find((x) => x.field === 'careTags')?.after).toBe('***');
    const raw = await t.ctx.db.selectFrom('resident_history').selectAll().where('resident_id', '=', r.id).execute();
    expect(JSON.stringify(raw)).not.toContain(newPhone);
    expect(JSON.stringify(raw)).not.toContain('oldest_old');
    // No change, no history row.
    const n = raw.length;
    await workerA.patch(`/api/residents/${r.id}`, { name: '张三' });
    expect(
      (await t.ctx.db.selectFrom('resident_history').select('id').where('resident_id', '=', r.id).execute()).length,
    ).toBe(n);
  });

  it('ends a residence instead of deleting; the person stays readable and can register again elsewhere', async () => {
    const idNumber = makeId();
    const r = await created(workerA, baseResident({ idNumber }));
    expect((await workerA.del(`/api/residents/${r.id}`)).statusCode).toBe(404);
    expect(
      (await workerA.post(`/api/residents/${r.id}/end`, { reason: 'moved_out', date: '2099-01-01' })).statusCode,
    ).toBe(400);
    const e = await workerA.post(`/api/residents/${r.id}/end`, { reason: 'moved_out', date: '2026-03-01' });
    expect(e.statusCode).toBe(200);
    expect(e.json()).toMatchObject({ status: 'ended', endReason: 'moved_out', endedOn: '2026-03-01' });
    expect((await workerA.get(`/api/residents/${r.id}`)).json().status).toBe('ended');
    expect((await workerA.patch(`/api/residents/${r.id}`, { name: '王五' })).json().error.code).toBe(
      'REGISTRY_RESIDENT_ENDED',
    );
    expect(
      (await workerA.get('/api/residents?status=ended&limit=200')).json().items.map((x: { id: string }) => x.id),
    ).toContain(r.id);
    expect((await workerA.get('/api/residents?limit=200')).json().items.map((x: { id: string }) => x.id)).not.toContain(
      r.id,
    );
    const moved = await workerB.post('/api/residents', baseResident({ idNumber, dwellingId: place.dwellingB }));
    expect(moved.statusCode).toBe(201);
    const row = await t.ctx.db.selectFrom('residents').select('status').where('id', '=', r.id).executeTakeFirst();
    expect(row?.status).toBe('ended');
  });
});

describe('households', () => {
  it('makes the first "self" the head, refuses a second, and lists members', async () => {
    const h = await workerA.post('/api/households', { number: '430602-0001', dwellingId: place.dwellingA });
    expect(h.statusCode).toBe(201);
    const hid = h.json().id;
    const head = await created(workerA, baseResident({ name: '李大', householdId: hid, relationToHead: 'self' }));
    await created(workerA, baseResident({ name: '李二', householdId: hid, relationToHead: 'child' }));
    const second = await workerA.post('/api/residents', baseResident({ householdId: hid, relationToHead: 'self' }));
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('REGISTRY_HOUSEHOLD_HEAD_EXISTS');
    expect((await workerA.post('/api/residents', baseResident({ householdId: hid }))).json().error.code).toBe(
      'REGISTRY_RELATION_REQUIRED',
    );
    const got = (await workerA.get(`/api/households/${hid}`)).json();
    expect(got).toMatchObject({ headResidentId: head.id, headName: '李*', memberCount: 2, address: '金鹗山庄3栋***' });
    expect((await workerA.get(`/api/residents?householdId=${hid}`)).json().items.length).toBe(2);
    expect((await workerB.get(`/api/households/${hid}`)).statusCode).toBe(404);
    expect(
      (await workerA.post('/api/households', { number: '430602-0001', dwellingId: place.dwellingA })).statusCode,
    ).toBe(409);
  });
});

describe('floating population', () => {
  it('lists arrivals, overdue leaves and registrations, and departures', async () => {
    const f = (over: Record<string, unknown>) => created(workerA, baseResident({ residenceType: 'floating', ...over }));
    const arriving = await f({ arrivedOn: '2026-02-20' });
    const lateLeave = await f({
      arrivedOn: '2025-06-01',
      expectedLeaveOn: '2026-01-31',
      residenceRegisteredOn: '2025-06-10',
    });
    const unregistered = await f({ arrivedOn: '2026-01-10' });
    const settled = await f({
      arrivedOn: '2025-01-10',
      residenceRegisteredOn: '2025-01-20',
      expectedLeaveOn: '2027-01-01',
    });
    const departed = await f({ arrivedOn: '2025-05-01', residenceRegisteredOn: '2025-05-02' });
    await workerA.post(`/api/residents/${departed.id}/end`, { reason: 'departed', date: '2026-02-28' });
    const ids = async (status: string) =>
      (await workerA.get(`/api/residents/floating?status=${status}&limit=200`))
        .json()
        .items.map((x: { id: string }) => x.id);
    expect(await ids('arriving')).toEqual([arriving.id]);
    expect((await ids('overdue')).sort()).toEqual([lateLeave.id, unregistered.id].sort());
    expect(await ids('departed')).toEqual([departed.id]);
    expect((await ids('all')).sort()).toEqual([arriving.id, lateLeave.id, unregistered.id, settled.id].sort());
    const item = (await workerA.get('/api/residents/floating?status=overdue'))
      .json()
      .items.find((x: { id: string }) => x.id === unregistered.id);
    expect(item).toMatchObject({ overdueRegistration: true, overdueLeave: false, arriving: false });
    expect((await workerB.get('/api/residents/floating')).json().items).toEqual([]);
  });
});

describe('protection at rest', () => {
  it('masks every response to a role without reveal, and leaks nothing in any response but a reveal', () => {
    expect(seen.length).toBeGreaterThan(100);
    expect(leakIn(`x${makeId()}x`)).not.toBeNull(); // the scanner does find one
    expect(leakIn(`x${makePhone()}x`)).not.toBeNull();
    for (const s of seen) {
      if (s.url.endsWith('/reveal')) continue;
      expect(leakIn(s.body), s.url).toBeNull();
    }
  });

  it('stores no full ID number or phone in any text column of the registry, its history or the audit log', async () => {
    for (const table of ['residents', 'resident_history', 'organisations', 'households', 'audit_log', 'reveal_log']) {
      const cols = await sql<{ column_name: string }>`select column_name from information_schema.columns
        where table_name = ${table} and data_type in ('text', 'character varying', 'jsonb', 'ARRAY')`.execute(t.ctx.db);
      // The audit chain's hashes are hex digests (the genesis one is all zeros), not personal data.
      for (const { column_name } of cols.rows.filter((c) => !['hash', 'prev_hash'].includes(c.column_name))) {
        const rows = await sql<{
          v: string | null;
        }>`select ${sql.ref(column_name)}::text as v from ${sql.table(table)}`.execute(t.ctx.db);
        for (const { v } of rows.rows) {
          if (v === null) continue;
          expect(leakIn(v), `${table}.${column_name}`).toBeNull();
        }
      }
    }
    const n = await t.ctx.db
      .selectFrom('residents')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBeGreaterThan(20);
  });

  it('follows a jurisdiction move: the paths are rewritten, so scope follows the grid', async () => {
    const r = await created(workerA, baseResident({ dwellingId: place.dwellingA2 }));
    expect((await workerB.get(`/api/residents/${r.id}`)).statusCode).toBe(404);
    await t.makeUser('mover', ['system_admin'], 'city');
    const { cookie } = await t.loginWithTotp('mover');
    const mv = await t.app.inject({
      method: 'POST',
      url: `/api/jurisdictions/${t.tree.gridA1.id}/move`,
      headers: { cookie },
      payload: { newParentId: t.tree.communityB.id },
    });
    expect(mv.statusCode, mv.body).toBe(200);
    const fresh = client(t.app, await t.login('worker-b'));
    expect((await fresh.get(`/api/residents/${r.id}`)).statusCode).toBe(200);
    const bld = await t.ctx.db
      .selectFrom('buildings')
      .select(sql<string>`path::text`.as('p'))
      .where('id', '=', place.buildingA2)
      .executeTakeFirstOrThrow();
    expect(bld.p.startsWith(t.tree.communityB.path)).toBe(true);
  });
  it('rotates keys: every value re-encrypted under the new key, old values still readable before', async () => {
    const system = systemCtx({ db: t.ctx.db, clock: t.clock, keyring: t.ctx.keyring });
    const idNumber = makeId();
    const r = await createResident(system, {
      name: '轮换',
      idType: 'id_card',
      idNumber,
      phone: makePhone(),
      residenceType: 'registered',
      jurisdictionId: t.tree.gridA1.id,
      careTags: ['veteran'],
    });
    const spec = (keys: Record<string, string>, current: string) =>
      JSON.stringify({ current, keys, index: Buffer.alloc(32, 9).toString('base64') });
    const oldKey = Buffer.alloc(32, 7).toString('base64');
    const newKey = Buffer.alloc(32, 42).toString('base64');
    const both = loadKeyring(spec({ test1: oldKey, k2: newKey }, 'k2'), '/nonexistent');
    const counts = await rotateKeys({ ...system, keyring: both });
    expect(counts.residents).toBeGreaterThan(20);
    expect(counts.history).toBeGreaterThan(0);
    const newOnly = loadKeyring(spec({ k2: newKey }, 'k2'), '/nonexistent');
    const rows = await t.ctx.db
      .selectFrom('residents')
      .select(['id', 'id_number_enc', 'phone_enc', 'care_tags_enc'])
      .execute();
    for (const row of rows) {
      for (const v of [row.id_number_enc, row.phone_enc, row.care_tags_enc]) {
        if (v === null) continue;
        expect(v.startsWith('v1.k2.')).toBe(true);
        expect(() => decrypt(newOnly, v)).not.toThrow();
      }
    }
    const mine = rows.find((x) => x.id === r.id);
    expect(decrypt(newOnly, mine?.id_number_enc as string)).toBe(idNumber);
    // Running it again finds nothing left to do.
    expect(await rotateKeys({ ...system, keyring: both })).toEqual({ residents: 0, organisations: 0, history: 0 });
  });
});
