import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../../test/app.ts';

let t: TestApp;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  t = await makeTestApp();
  for (const [name, roles, at] of [
    ['gm', ['grid_manager'], 'gridA1'],
    ['bh', ['building_head'], 'gridA1'],
    ['leader', ['community_leader'], 'communityA'],
    ['leaderB', ['community_leader'], 'communityB'],
    ['res', ['resident'], 'gridA1'],
  ] as const) {
    await t.makeUser(name, [...roles], at);
    cookies[name] = await t.login(name);
  }
});
afterAll(async () => {
  await t?.close();
});

const call = (method: 'GET' | 'POST', url: string, who: string, payload?: unknown) =>
  t.app.inject({
    method,
    url,
    headers: { cookie: cookies[who] as string },
    ...(payload ? { payload: payload as object } : {}),
  });

describe('patrol logs', () => {
  it('records start, route points, end and findings, with the distance walked', async () => {
    const start = await call('POST', '/api/patrols', 'gm', { lng: 113.1, lat: 29.37 });
    expect(start.statusCode, start.body).toBe(201);
    const id = start.json().id;
    const at = t.clock.now().toISOString();
    const pts = await call('POST', `/api/patrols/${id}/points`, 'gm', {
      points: [
        { lng: 113.101, lat: 29.37, at },
        { lng: 113.102, lat: 29.37, at },
      ],
    });
    expect(pts.json().pointCount).toBe(3);
    expect(pts.json().distanceM).toBeGreaterThan(180);
    expect(pts.json().distanceM).toBeLessThan(200);
    expect(
      (await call('POST', `/api/patrols/${id}/points`, 'bh', { points: [{ lng: 1, lat: 1, at }] })).statusCode,
    ).toBe(404);
    const end = await call('POST', `/api/patrols/${id}/end`, 'gm', {
      findings: '发现一处垃圾堆放，已上报',
      findingCount: 1,
    });
    expect(end.json()).toMatchObject({ findingCount: 1, findings: '发现一处垃圾堆放，已上报' });
    expect(end.json().endedAt).not.toBeNull();
    expect((await call('POST', `/api/patrols/${id}/end`, 'gm', {})).json().error.code).toBe('PATROL_ENDED');
    const detail = await call('GET', `/api/patrols/${id}`, 'leader');
    expect(detail.json().route).toHaveLength(3);
    expect((await call('GET', `/api/patrols/${id}`, 'leaderB')).statusCode).toBe(404);
    expect((await call('POST', '/api/patrols', 'res', {})).statusCode).toBe(403);
  });
});

describe('building-head records', () => {
  it('records the five kinds and counts them per building, grid and community', async () => {
    const kinds = ['population_report', 'neighbour_dispute', 'hazard_check', 'help_given', 'security_patrol'];
    for (const [i, kind] of kinds.entries())
      for (let k = 0; k <= i; k++) {
        const r = await call('POST', '/api/building-records', 'bh', {
          kind,
          buildingLabel: k % 2 ? '3栋' : '1栋',
          occurredOn: '2026-03-02',
          summary: `${kind} ${k}`,
        });
        expect(r.statusCode, r.body).toBe(201);
      }
    expect(
      (
        await call('POST', '/api/building-records', 'bh', {
          kind: 'bad',
          buildingLabel: '1栋',
          occurredOn: '2026-03-02',
          summary: 'x',
        })
      ).statusCode,
    ).toBe(400);
    const gridRes = await call('GET', '/api/fieldwork/stats?groupBy=grid', 'leader');
    expect(gridRes.statusCode, gridRes.body).toBe(200);
    const grid = gridRes.json();
    expect(grid.rows).toEqual([
      {
        key: t.tree.gridA1.path,
        label: '金鹗第一网格',
        patrols: 1,
        population_report: 1,
        neighbour_dispute: 2,
        hazard_check: 3,
        help_given: 4,
        security_patrol: 5,
      },
    ]);
    const community = (await call('GET', '/api/fieldwork/stats?groupBy=community', 'leader')).json();
    expect(community.rows[0]).toMatchObject({ label: '金鹗社区', security_patrol: 5, patrols: 1 });
    const building = (await call('GET', '/api/fieldwork/stats?groupBy=building', 'leader')).json();
    const b1 = building.rows.find((x: { key: string }) => x.key === '1栋');
    const b3 = building.rows.find((x: { key: string }) => x.key === '3栋');
    expect(b1.hazard_check + b3.hazard_check).toBe(3);
    expect(b1.security_patrol).toBe(3);
    expect(b3.security_patrol).toBe(2);
    expect((await call('GET', '/api/fieldwork/stats?groupBy=grid', 'leaderB')).json().rows).toEqual([]);
    const list = (await call('GET', '/api/building-records?kind=hazard_check', 'leader')).json();
    expect(list.items).toHaveLength(3);
  });
});
