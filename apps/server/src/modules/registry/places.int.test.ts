import { usccCheckChar } from '@jiayuan/contracts';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../../test/app.ts';
import { type Client, client, leakIn, makePhone } from '../../../test/registry.ts';

let t: TestApp;
let workerA: Client;
let workerB: Client;
let workerStreet: Client;
let gm: Client; // grid manager at community A with no grid assigned
let headA: Client;
const seen: { url: string; body: string }[] = [];

const uscc = (body: string) => body + usccCheckChar(body);

beforeAll(async () => {
  t = await makeTestApp();
  await t.makeUser('worker-a', ['community_worker'], 'communityA');
  await t.makeUser('worker-b', ['community_worker'], 'communityB');
  await t.makeUser('worker-s', ['community_worker'], 'street');
  await t.makeUser('gm-a', ['grid_manager'], 'communityA');
  await t.makeUser('head-a', ['building_head'], 'gridA1');
  workerA = client(t.app, await t.login('worker-a'), seen);
  workerB = client(t.app, await t.login('worker-b'), seen);
  workerStreet = client(t.app, await t.login('worker-s'), seen);
  gm = client(t.app, await t.login('gm-a'), seen);
  headA = client(t.app, await t.login('head-a'), seen);
});
afterAll(async () => {
  await t?.close();
});

const ok = async (p: Promise<LightMyRequestResponse>, status = 201) => {
  const r = await p;
  expect(r.statusCode, r.body).toBe(status);
  return r.json();
};
const errorCode = async (p: Promise<LightMyRequestResponse>) => {
  const r = await p;
  return [r.statusCode, r.json().error.code] as const;
};

describe('places: complexes, buildings, units, dwellings', () => {
  it('creates the chain, reads it back, updates it', async () => {
    const complex = await ok(
      workerA.post('/api/complexes', {
        jurisdictionId: t.tree.communityA.id,
        name: '金鹗山庄',
        address: '金鹗东路1号',
      }),
    );
    expect(complex).toMatchObject({ name: '金鹗山庄', jurisdiction: { code: '430602001001' }, buildingCount: 0 });
    const building = await ok(
      workerA.post('/api/buildings', {
        complexId: complex.id,
        jurisdictionId: t.tree.gridA1.id,
        name: '3栋',
        lng: 113.11,
        lat: 29.37,
        floors: 18,
      }),
    );
    expect(building).toMatchObject({
      complexName: '金鹗山庄',
      lng: 113.11,
      lat: 29.37,
      floors: 18,
      jurisdiction: { id: t.tree.gridA1.id },
    });
    const unit = await ok(workerA.post('/api/units', { buildingId: building.id, name: '1单元' }));
    const dwelling = await ok(
      workerA.post('/api/dwellings', {
        buildingId: building.id,
        unitId: unit.id,
        number: '1801',
        floor: 18,
        area: 120.5,
        use: 'rented',
      }),
    );
    expect(dwelling).toMatchObject({ number: '1801', area: 120.5, use: 'rented', unitId: unit.id });
    expect((await workerA.get(`/api/complexes/${complex.id}`)).json().buildingCount).toBe(1);
    const patched = await ok(workerA.patch(`/api/dwellings/${dwelling.id}`, { use: 'vacant', area: null }), 200);
    expect(patched).toMatchObject({ use: 'vacant', area: null });
    expect((await ok(workerA.patch(`/api/buildings/${building.id}`, { name: '3号楼' }), 200)) as unknown).toMatchObject(
      { name: '3号楼' },
    );
    const listed = (await workerA.get(`/api/dwellings?buildingId=${building.id}`)).json();
    expect(listed.items.map((d: { id: string }) => d.id)).toEqual([dwelling.id]);
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('object_id', '=', dwelling.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['place.create', 'place.update']);
  });

  it('checks levels, pairs and belonging', async () => {
    expect(await errorCode(workerA.post('/api/complexes', { jurisdictionId: t.tree.street.id, name: 'x' }))).toEqual([
      400,
      'REGISTRY_UNKNOWN_JURISDICTION',
    ]);
    expect(
      await errorCode(workerStreet.post('/api/complexes', { jurisdictionId: t.tree.street.id, name: 'x' })),
    ).toEqual([400, 'REGISTRY_LEVEL_INVALID']);
    expect(
      await errorCode(workerA.post('/api/buildings', { jurisdictionId: t.tree.communityA.id, name: 'x' })),
    ).toEqual([400, 'REGISTRY_GRID_REQUIRED']);
    expect(
      await errorCode(workerA.post('/api/buildings', { jurisdictionId: t.tree.gridA1.id, name: 'x', lng: 113 })),
    ).toEqual([400, 'REGISTRY_COORDINATES_PAIR']);
    expect(
      (await workerA.post('/api/buildings', { jurisdictionId: t.tree.gridA1.id, name: 'x', lng: 200, lat: 29 }))
        .statusCode,
    ).toBe(400);
    const complexA = await ok(workerA.post('/api/complexes', { jurisdictionId: t.tree.gridA1.id, name: '南湖苑' }));
    expect(
      await errorCode(
        workerStreet.post('/api/buildings', { complexId: complexA.id, jurisdictionId: t.tree.gridB1.id, name: 'x' }),
      ),
    ).toEqual([400, 'REGISTRY_COMPLEX_MISMATCH']);
    // Without a grid, a building takes its complex's grid.
    const inferred = await ok(workerA.post('/api/buildings', { complexId: complexA.id, name: '1栋' }));
    expect(inferred.jurisdiction.id).toBe(t.tree.gridA1.id);
    expect(await errorCode(workerA.post('/api/buildings', { complexId: complexA.id, name: '1栋' }))).toEqual([
      409,
      'REGISTRY_NAME_TAKEN',
    ]);
    const other = await ok(workerA.post('/api/buildings', { complexId: complexA.id, name: '2栋' }));
    const unitOther = await ok(workerA.post('/api/units', { buildingId: other.id, name: '1单元' }));
    expect(
      await errorCode(
        workerA.post('/api/dwellings', { buildingId: inferred.id, unitId: unitOther.id, number: '101', use: 'vacant' }),
      ),
    ).toEqual([400, 'REGISTRY_UNKNOWN_UNIT']);
    expect(
      (await workerA.post('/api/dwellings', { buildingId: inferred.id, number: '101', use: 'hotel' })).statusCode,
    ).toBe(400);
  });

  it('keeps other communities out: 404 to read, 400 to attach to', async () => {
    const b = await ok(workerA.post('/api/buildings', { jurisdictionId: t.tree.gridA1.id, name: '7栋' }));
    expect((await workerB.get(`/api/buildings/${b.id}`)).statusCode).toBe(404);
    expect((await workerB.patch(`/api/buildings/${b.id}`, { name: 'y' })).statusCode).toBe(404);
    expect(await errorCode(workerB.post('/api/units', { buildingId: b.id, name: '1单元' }))).toEqual([
      400,
      'REGISTRY_UNKNOWN_BUILDING',
    ]);
    expect((await workerB.get('/api/buildings?limit=200')).json().items.map((x: { id: string }) => x.id)).not.toContain(
      b.id,
    );
    // A grid manager reads the community's places but changes only their own grids (none assigned here).
    expect((await gm.get(`/api/buildings/${b.id}`)).statusCode).toBe(200);
    expect((await gm.patch(`/api/buildings/${b.id}`, { name: 'z' })).statusCode).toBe(403);
    expect(await errorCode(gm.post('/api/buildings', { jurisdictionId: t.tree.gridA1.id, name: 'gm' }))).toEqual([
      400,
      'REGISTRY_UNKNOWN_JURISDICTION',
    ]);
    await t.makeUser('sys', ['system_admin'], 'city');
    const sys = client(t.app, (await t.loginWithTotp('sys')).cookie);
    expect((await sys.get('/api/buildings')).statusCode).toBe(403);
  });

  it('pages with keyset cursors', async () => {
    for (let i = 0; i < 5; i++)
      await ok(workerA.post('/api/complexes', { jurisdictionId: t.tree.communityA.id, name: `分页小区${i}` }));
    const seenIds = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = (await workerA.get(`/api/complexes?limit=3${cursor ? `&cursor=${cursor}` : ''}`)).json() as {
        items: { id: string }[];
        nextCursor: string | null;
      };
      for (const x of r.items) seenIds.add(x.id);
      cursor = r.nextCursor;
      pages++;
    } while (cursor);
    expect(seenIds.size).toBeGreaterThanOrEqual(7);
    expect(pages).toBeGreaterThanOrEqual(3);
  });
});

describe('organisations (实有单位)', () => {
  it('registers with a valid credit code and a protected contact, filters by flag, closes', async () => {
    const b = await ok(workerA.post('/api/buildings', { jurisdictionId: t.tree.gridA1.id, name: '商业楼' }));
    const phone = makePhone();
    const code = uscc('91430602MA4L0000X');
    const o = await ok(
      workerA.post('/api/organisations', {
        name: '金鹗便利店',
        uscc: code.toLowerCase(),
        category: 'shop',
        buildingId: b.id,
        contactName: '王小二',
        contactPhone: phone,
        employees: 3,
        isCatering: true,
      }),
    );
    expect(o).toMatchObject({
      uscc: code,
      contactName: '王*二',
      contactPhone: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
      isCatering: true,
      isRental: false,
      address: '商业楼',
      status: 'active',
    });
    expect(
      await errorCode(
        workerA.post('/api/organisations', { name: 'x', uscc: code, category: 'shop', buildingId: b.id }),
      ),
    ).toEqual([409, 'REGISTRY_USCC_TAKEN']);
    const flagged = (await workerA.get('/api/organisations?flag=isCatering'))
      .json()
      .items.map((x: { id: string }) => x.id);
    expect(flagged).toEqual([o.id]);
    expect((await workerA.get('/api/organisations?flag=isRental')).json().items).toEqual([]);
    const closed = await ok(workerA.patch(`/api/organisations/${o.id}`, { status: 'closed' }), 200);
    expect(closed).toMatchObject({ status: 'closed', closedOn: '2026-03-02' });
    expect((await headA.get(`/api/organisations/${o.id}`)).statusCode).toBe(200);
    expect((await workerB.get(`/api/organisations/${o.id}`)).statusCode).toBe(404);
  });

  it('rejects a wrong check character, a bad phone, an unknown place', async () => {
    const code = uscc('91430602MA4L0001X');
    const wrong = code.slice(0, 17) + (code[17] === '0' ? '1' : '0');
    const base = { name: 'x', category: 'enterprise', jurisdictionId: t.tree.gridA1.id };
    expect(await errorCode(workerA.post('/api/organisations', { ...base, uscc: wrong }))).toEqual([
      400,
      'REGISTRY_USCC_INVALID',
    ]);
    expect(await errorCode(workerA.post('/api/organisations', { ...base, contactPhone: '1234' }))).toEqual([
      400,
      'REGISTRY_PHONE_INVALID',
    ]);
    expect(await errorCode(workerA.post('/api/organisations', { ...base, jurisdictionId: undefined }))).toEqual([
      400,
      'REGISTRY_PLACE_REQUIRED',
    ]);
    expect(
      await errorCode(
        workerA.post('/api/organisations', { ...base, buildingId: '00000000-0000-4000-8000-000000000000' }),
      ),
    ).toEqual([400, 'REGISTRY_UNKNOWN_BUILDING']);
  });

  it('reveals the contact phone with a reason, to roles allowed, audited', async () => {
    const phone = makePhone();
    const o = await ok(
      workerA.post('/api/organisations', {
        name: '出租屋',
        category: 'rental_operator',
        jurisdictionId: t.tree.gridA1.id,
        contactPhone: phone,
        isRental: true,
      }),
    );
    expect(
      (await headA.post(`/api/organisations/${o.id}/reveal`, { field: 'contactPhone', reason: '联系房东' })).statusCode,
    ).toBe(403);
    expect(
      (await workerB.post(`/api/organisations/${o.id}/reveal`, { field: 'contactPhone', reason: '联系房东' }))
        .statusCode,
    ).toBe(404);
    const r = await workerA.post(`/api/organisations/${o.id}/reveal`, { field: 'contactPhone', reason: '联系房东' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ value: phone, remainingToday: 49 });
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['reason'])
      .where('action', '=', 'org.reveal')
      .execute();
    expect(audit).toEqual([{ reason: '联系房东' }]);
  });

  it('never answers a full phone outside a reveal', () => {
    for (const s of seen) if (!s.url.endsWith('/reveal')) expect(leakIn(s.body), s.url).toBeNull();
  });
});
