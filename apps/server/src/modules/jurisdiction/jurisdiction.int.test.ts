import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../../test/app.ts';

let t: TestApp;
let sys: string;
let leaderA: string;
beforeAll(async () => {
  t = await makeTestApp();
  await t.makeUser('sys', ['system_admin'], 'city');
  sys = (await t.loginWithTotp('sys')).cookie;
  await t.makeUser('leaderA', ['community_leader'], 'communityA');
  leaderA = await t.login('leaderA');
});
afterAll(async () => {
  await t?.close();
});

const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
const post = (url: string, cookie: string, payload: unknown, method: 'POST' | 'PATCH' = 'POST') =>
  t.app.inject({ method, url, headers: { cookie }, payload: payload as object });

describe('reading the tree within scope', () => {
  it('starts a community-scoped user at their own community and lists its grids', async () => {
    const roots = await get('/api/jurisdictions', leaderA);
    expect(roots.statusCode).toBe(200);
    expect(roots.json().items.map((n: { code: string }) => n.code)).toEqual(['430602001001']);
    const kids = await get(`/api/jurisdictions?parentId=${t.tree.communityA.id}`, leaderA);
    expect(kids.json().items.map((n: { level: string }) => n.level)).toEqual(['grid']);
  });

  it("answers 404 — not 403 — for another community's node and its children", async () => {
    for (const url of [
      `/api/jurisdictions/${t.tree.communityB.id}`,
      `/api/jurisdictions/${t.tree.gridB1.id}`,
      `/api/jurisdictions/${t.tree.street.id}`,
      `/api/jurisdictions?parentId=${t.tree.communityB.id}`,
    ]) {
      const r = await get(url, leaderA);
      expect(r.statusCode, url).toBe(404);
      expect(r.json().error.code).toBe('JURISDICTION_NOT_FOUND');
    }
    // A node that does not exist at all looks the same.
    const none = await get('/api/jurisdictions/00000000-0000-4000-8000-000000000000', leaderA);
    expect(none.statusCode).toBe(404);
    expect(none.json().error.code).toBe('JURISDICTION_NOT_FOUND');
  });

  it('rejects malformed ids and unknown query values with 400', async () => {
    expect((await get('/api/jurisdictions/123', leaderA)).statusCode).toBe(400);
    expect((await get('/api/jurisdictions?parentId=abc', leaderA)).statusCode).toBe(400);
    expect((await get("/api/jurisdictions/1' or '1'='1", leaderA)).statusCode).toBe(400);
  });

  it('needs a signed-in staff member', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/jurisdictions' })).statusCode).toBe(401);
    await t.makeUser('resident1', ['resident'], 'gridA1');
    const res = await t.login('resident1');
    expect((await get('/api/jurisdictions', res)).statusCode).toBe(403);
  });
});

describe('changing the tree (system admin)', () => {
  it('creates a grid with a code that extends its community code, and refuses bad codes', async () => {
    const ok = await post('/api/jurisdictions', sys, {
      parentId: t.tree.communityA.id,
      code: '43060200100102',
      name: '金鹗第二网格',
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({
      level: 'grid',
      path: `${t.tree.communityA.path}.43060200100102`,
      status: 'active',
    });
    const dup = await post('/api/jurisdictions', sys, {
      parentId: t.tree.communityA.id,
      code: '43060200100102',
      name: 'x',
    });
    expect(dup.statusCode).toBe(409);
    const wrongPrefix = await post('/api/jurisdictions', sys, {
      parentId: t.tree.communityA.id,
      code: '43060200100203',
      name: 'x',
    });
    expect(wrongPrefix.statusCode).toBe(400);
    expect(wrongPrefix.json().error.code).toBe('JURISDICTION_CODE_MISMATCH');
    const wrongLength = await post('/api/jurisdictions', sys, {
      parentId: t.tree.communityA.id,
      code: '430602001001',
      name: 'x',
    });
    expect(wrongLength.statusCode).toBe(400);
    const underGrid = await post('/api/jurisdictions', sys, {
      parentId: t.tree.gridA1.id,
      code: '43060200100101',
      name: 'x',
    });
    expect(underGrid.json().error.code).toBe('JURISDICTION_LEVEL_INVALID');
    const extra = await post('/api/jurisdictions', sys, {
      parentId: t.tree.communityA.id,
      code: '43060200100109',
      name: 'x',
      level: 'city',
    });
    expect(extra.statusCode).toBe(400);
  });

  it('lets only the system admin change the tree', async () => {
    const r = await post('/api/jurisdictions', leaderA, {
      parentId: t.tree.communityA.id,
      code: '43060200100108',
      name: 'x',
    });
    expect(r.statusCode).toBe(403);
  });

  it('renames, and records before and after in the audit log', async () => {
    const r = await post(`/api/jurisdictions/${t.tree.gridB1.id}`, sys, { name: '五里牌一网格' }, 'PATCH');
    expect(r.statusCode).toBe(200);
    expect(r.json().name).toBe('五里牌一网格');
    const a = await t.ctx.db
      .selectFrom('audit_log')
      .select(['details'])
      .where('action', '=', 'jurisdiction.rename')
      .where('object_id', '=', t.tree.gridB1.id)
      .executeTakeFirstOrThrow();
    expect(a.details).toEqual({ before: '五里牌第一网格', after: '五里牌一网格' });
  });

  it('moves a grid to another community, rewriting the path of its subtree, and refuses impossible moves', async () => {
    const created = await post('/api/jurisdictions', sys, {
      parentId: t.tree.communityB.id,
      code: '43060200100205',
      name: '待迁网格',
    });
    const id = created.json().id as string;
    const targets = await get(`/api/jurisdictions/${id}/move-targets`, sys);
    expect(targets.json().items.map((n: { id: string }) => n.id)).toContain(t.tree.communityA.id);
    const moved = await post(`/api/jurisdictions/${id}/move`, sys, { newParentId: t.tree.communityA.id });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().path).toBe(`${t.tree.communityA.path}.43060200100205`);
    expect(moved.json().parentId).toBe(t.tree.communityA.id);
    // Now inside community A's scope.
    expect((await get(`/api/jurisdictions/${id}`, leaderA)).statusCode).toBe(200);
    const toGrid = await post(`/api/jurisdictions/${id}/move`, sys, { newParentId: t.tree.gridA1.id });
    expect(toGrid.json().error.code).toBe('JURISDICTION_MOVE_INVALID');
    const streetUnderOwnChild = await post(`/api/jurisdictions/${t.tree.street.id}/move`, sys, {
      newParentId: t.tree.communityA.id,
    });
    expect(streetUnderOwnChild.statusCode).toBe(400);
  });

  it('retires (never deletes) a node without active children, and refuses one with children', async () => {
    const parentBusy = await post(`/api/jurisdictions/${t.tree.communityB.id}/retire`, sys, { reason: '合并' });
    expect(parentBusy.statusCode).toBe(409);
    expect(parentBusy.json().error.code).toBe('JURISDICTION_HAS_ACTIVE_CHILDREN');
    const g = await post('/api/jurisdictions', sys, {
      parentId: t.tree.communityB.id,
      code: '43060200100209',
      name: '撤销网格',
    });
    const id = g.json().id as string;
    const noReason = await post(`/api/jurisdictions/${id}/retire`, sys, { reason: '' });
    expect(noReason.statusCode).toBe(400);
    const r = await post(`/api/jurisdictions/${id}/retire`, sys, { reason: '网格调整' });
    expect(r.statusCode).toBe(200);
    expect(r.json().status).toBe('retired');
    expect((await post(`/api/jurisdictions/${id}/retire`, sys, { reason: 'again' })).statusCode).toBe(409);
    const hidden = await get(`/api/jurisdictions?parentId=${t.tree.communityB.id}`, sys);
    expect(hidden.json().items.map((n: { id: string }) => n.id)).not.toContain(id);
    const shown = await get(`/api/jurisdictions?parentId=${t.tree.communityB.id}&includeRetired=true`, sys);
    expect(shown.json().items.map((n: { id: string }) => n.id)).toContain(id);
    const under = await post('/api/jurisdictions', sys, { parentId: id, code: '4306020010020901', name: 'x' });
    expect(under.statusCode).toBe(400);
    expect(
      await t.ctx.db.selectFrom('jurisdictions').select('id').where('id', '=', id).executeTakeFirst(),
    ).toBeDefined();
  });
});
