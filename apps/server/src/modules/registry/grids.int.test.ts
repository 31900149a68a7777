import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../../test/app.ts';
import { type Client, client } from '../../../test/registry.ts';
import { gridLocator } from './index.ts';

let t: TestApp;
let leaderStreet: Client; // community_leader @ street: may draw both grids
let leaderA: Client; // community_leader @ community A
let workerA: Client;
let workerB: Client;
const A1 = '43060200100101';
const B1 = '43060200100201';

const ring = (x0: number, y0: number, x1: number, y1: number) => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
const feature = (code: string | undefined, geometry: unknown) => ({
  type: 'Feature',
  properties: code === undefined ? {} : { code },
  geometry,
});
const square = (x0: number, y0: number, x1: number, y1: number, hole?: number[][]) => ({
  type: 'Polygon',
  coordinates: hole ? [ring(x0, y0, x1, y1), hole] : [ring(x0, y0, x1, y1)],
});
const collection = (...features: unknown[]) => ({ type: 'FeatureCollection', features });
// A1 with a hole, and B1 sharing A1's eastern border.
const a1 = () => feature(A1, square(113.1, 29.36, 113.12, 29.38, ring(113.105, 29.365, 113.108, 29.368)));
const b1 = () => feature(B1, square(113.12, 29.36, 113.14, 29.38));

const locate = async (c: Client, lng: number, lat: number) => {
  const r = await c.get(`/api/grids/locate?lng=${lng}&lat=${lat}`);
  expect(r.statusCode, r.body).toBe(200);
  return (r.json().grid?.code as string | undefined) ?? null;
};
const countBoundaries = async () =>
  Number(
    (
      await t.ctx.db
        .selectFrom('grid_boundaries')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  t = await makeTestApp();
  await t.makeUser('leader-s', ['community_leader'], 'street');
  await t.makeUser('leader-a', ['community_leader'], 'communityA');
  await t.makeUser('worker-a', ['community_worker'], 'communityA');
  await t.makeUser('worker-b', ['community_worker'], 'communityB');
  leaderStreet = client(t.app, await t.login('leader-s'));
  leaderA = client(t.app, await t.login('leader-a'));
  workerA = client(t.app, await t.login('worker-a'));
  workerB = client(t.app, await t.login('worker-b'));
});
afterAll(async () => {
  await t?.close();
});

describe('importing boundaries', () => {
  it('imports a valid collection and locates points: inside, outside, in a hole, on a shared border', async () => {
    const r = await leaderStreet.post('/api/grids/boundaries', collection(a1(), b1()));
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ imported: 2 });
    expect(
      r
        .json()
        .grids.map((g: { code: string }) => g.code)
        .sort(),
    ).toEqual([A1, B1]);
    expect(await locate(leaderStreet, 113.11, 29.37)).toBe(A1);
    expect(await locate(leaderStreet, 113.13, 29.37)).toBe(B1);
    expect(await locate(leaderStreet, 113.2, 29.37)).toBeNull();
    expect(await locate(leaderStreet, 113.1065, 29.3665)).toBeNull(); // in A1's hole
    expect([A1, B1]).toContain(await locate(leaderStreet, 113.12, 29.37)); // on the shared border: exactly one
    expect((await leaderStreet.get('/api/grids/locate?lng=113.1&lat=100')).statusCode).toBe(400);
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'grid.boundaries_import')
      .execute();
    expect(audit.length).toBe(1);
  });

  it('answers locate within the caller’s scope only', async () => {
    expect(await locate(workerB, 113.11, 29.37)).toBeNull();
    expect(await locate(workerB, 113.13, 29.37)).toBe(B1);
    const fn = gridLocator(t.ctx.db);
    expect(await fn(113.11, 29.37)).toMatchObject({ code: A1, path: t.tree.gridA1.path });
    expect(await fn(0, 0)).toBeNull();
  });

  it('serves the boundaries of a scope as a FeatureCollection for the map', async () => {
    const all = (await leaderStreet.get('/api/grids/boundaries')).json();
    expect(all.type).toBe('FeatureCollection');
    expect(all.features.map((f: { properties: { code: string } }) => f.properties.code)).toEqual([A1, B1]);
    const mine = (await workerA.get('/api/grids/boundaries')).json();
    expect(mine.features.map((f: { properties: { code: string } }) => f.properties.code)).toEqual([A1]);
    expect(mine.features[0].geometry.coordinates.length).toBe(2); // shell + hole
    const within = (await leaderStreet.get(`/api/grids/boundaries?within=${t.tree.communityB.id}`)).json();
    expect(within.features.map((f: { properties: { code: string } }) => f.properties.code)).toEqual([B1]);
    expect((await workerA.get(`/api/grids/boundaries?within=${t.tree.communityB.id}`)).statusCode).toBe(404);
  });

  it('reports every bad feature and imports nothing', async () => {
    const bowtie = {
      type: 'Polygon',
      coordinates: [
        [
          [113.12, 29.36],
          [113.14, 29.38],
          [113.14, 29.36],
          [113.12, 29.37],
          [113.12, 29.36],
        ],
      ],
    };
    const r = await leaderStreet.post(
      '/api/grids/boundaries',
      collection(
        feature('43060200100199', square(113.3, 29.3, 113.31, 29.31)),
        feature(A1, { type: 'Point', coordinates: [113.11, 29.37] }),
        feature(B1, bowtie),
        feature(undefined, square(113.4, 29.3, 113.41, 29.31)),
        feature(B1, square(113.12, 29.36, 113.14, 29.38)),
        feature(A1, {
          type: 'Polygon',
          coordinates: [
            [
              [113.1, 29.36],
              [113.12, 29.36],
              [113.12, 29.38],
            ],
          ],
        }),
      ),
    );
    expect(r.statusCode).toBe(400);
    const err = r.json().error;
    expect(err.code).toBe('REGISTRY_BOUNDARY_INVALID');
    expect(err.message).toBe('网格边界文件有误，未导入任何边界，请按提示修改后重试');
    const codes = Object.fromEntries(
      err.details.features.map((f: { index: number; problems: { code: string }[] }) => [
        f.index,
        f.problems.map((p) => p.code),
      ]),
    );
    expect(codes).toEqual({
      0: ['REGISTRY_BOUNDARY_UNKNOWN_GRID'],
      1: ['REGISTRY_GEOMETRY_TYPE'],
      2: ['REGISTRY_GEOMETRY_SELF_INTERSECTS'],
      3: ['REGISTRY_BOUNDARY_CODE_MISSING'],
      4: ['REGISTRY_BOUNDARY_CODE_DUPLICATE'],
      5: ['REGISTRY_BOUNDARY_CODE_DUPLICATE', 'REGISTRY_GEOMETRY_INVALID'],
    });
    expect(err.details.features[1].problems[0].message).toBe('几何类型须为 Polygon 或 MultiPolygon');
    expect(await countBoundaries()).toBe(2);
    expect(await locate(leaderStreet, 113.11, 29.37)).toBe(A1);
  });

  it('refuses overlapping features, naming each other', async () => {
    const r = await leaderStreet.post(
      '/api/grids/boundaries',
      collection(feature(A1, square(113.1, 29.36, 113.13, 29.38)), b1()),
    );
    expect(r.statusCode).toBe(400);
    const f = r.json().error.details.features as { code: string; problems: { code: string; with: string }[] }[];
    expect(f.map((x) => [x.code, x.problems[0]?.code, x.problems[0]?.with])).toEqual([
      [A1, 'REGISTRY_BOUNDARY_OVERLAP', B1],
      [B1, 'REGISTRY_BOUNDARY_OVERLAP', A1],
    ]);
  });

  it('refuses a feature overlapping a stored boundary of another grid, and replaces a grid’s own', async () => {
    const over = await leaderStreet.post(
      '/api/grids/boundaries',
      collection(feature(B1, square(113.115, 29.36, 113.14, 29.38))),
    );
    expect(over.statusCode).toBe(400);
    expect(over.json().error.details.features[0].problems[0]).toMatchObject({
      code: 'REGISTRY_BOUNDARY_OVERLAP',
      with: A1,
    });
    // An importer who cannot see the other grid is not told its code.
    await t.makeUser('leader-b', ['community_leader'], 'communityB');
    const leaderB = client(t.app, await t.login('leader-b'));
    const hidden = await leaderB.post(
      '/api/grids/boundaries',
      collection(feature(B1, square(113.115, 29.36, 113.14, 29.38))),
    );
    expect(hidden.json().error.details.features[0].problems[0]).toMatchObject({
      code: 'REGISTRY_BOUNDARY_OVERLAP',
      with: null,
    });
    // Moving A1's own boundary west is fine: its old shape is being replaced. The index follows at once.
    const moved = await leaderStreet.post(
      '/api/grids/boundaries',
      collection({
        type: 'Feature',
        properties: { code: A1 },
        geometry: {
          type: 'MultiPolygon',
          coordinates: [[ring(113.08, 29.36, 113.1, 29.38)], [ring(113.1, 29.36, 113.11, 29.38)]],
        },
      }),
    );
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await locate(leaderStreet, 113.09, 29.37)).toBe(A1);
    expect(await locate(leaderStreet, 113.115, 29.37)).toBeNull();
    expect(await countBoundaries()).toBe(2);
  });

  it('imports only grids in the importer’s scope, and only for those allowed', async () => {
    const r = await leaderA.post('/api/grids/boundaries', collection(b1()));
    expect(r.statusCode).toBe(400);
    expect(r.json().error.details.features[0].problems[0].code).toBe('REGISTRY_BOUNDARY_UNKNOWN_GRID');
    expect((await workerA.post('/api/grids/boundaries', collection(a1()))).statusCode).toBe(403);
    expect((await leaderA.post('/api/grids/boundaries', { ...collection(a1()), extra: true })).statusCode).toBe(400);
    await t.makeUser('sys', ['system_admin'], 'city');
    const sys = client(t.app, (await t.loginWithTotp('sys')).cookie);
    const ok = await sys.post('/api/grids/boundaries', collection(a1()));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await locate(leaderStreet, 113.11, 29.37)).toBe(A1);
  });
});

describe('assignments', () => {
  it('assigns grid managers and building heads who hold the role and whose jurisdiction covers the place', async () => {
    const gm = await t.makeUser('gm-1', ['grid_manager'], 'communityA');
    const gmElsewhere = await t.makeUser('gm-b', ['grid_manager'], 'gridB1');
    const plain = await t.makeUser('plain-1', ['front_desk'], 'communityA');
    const grid = t.tree.gridA1.id;
    const ok = await workerA.post(`/api/grids/${grid}/managers`, { userId: gm });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().items.map((x: { username: string }) => x.username)).toEqual(['gm-1']);
    expect((await workerA.post(`/api/grids/${grid}/managers`, { userId: plain })).json().error.code).toBe(
      'REGISTRY_ASSIGNMENT_ROLE',
    );
    expect((await workerA.post(`/api/grids/${grid}/managers`, { userId: gmElsewhere })).statusCode).toBe(400);
    expect((await workerB.post(`/api/grids/${grid}/managers`, { userId: gm })).statusCode).toBe(404);
    expect((await leaderStreet.post(`/api/grids/${grid}/managers`, { userId: gmElsewhere })).json().error.code).toBe(
      'REGISTRY_ASSIGNMENT_SCOPE',
    );
    expect((await workerA.get(`/api/grids/${grid}/managers`)).json().items.length).toBe(1);
    expect((await workerA.del(`/api/grids/${grid}/managers/${gm}`)).statusCode).toBe(200);
    expect((await workerA.del(`/api/grids/${grid}/managers/${gm}`)).statusCode).toBe(404);

    const b = await workerA.post('/api/buildings', { jurisdictionId: grid, name: '9栋' });
    const head = await t.makeUser('head-9', ['building_head'], 'gridA1');
    const assigned = await workerA.post(`/api/buildings/${b.json().id}/heads`, { userId: head });
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect(assigned.json().items[0]).toMatchObject({ username: 'head-9', targetName: '9栋' });
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('action', 'like', '%assign%').execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'building.head_assign',
      'grid.manager_assign',
      'grid.manager_unassign',
    ]);
  });
});
