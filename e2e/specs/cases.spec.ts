import zlib from 'node:zlib';
import { type Browser, type BrowserContext, expect, type Page, test } from '@playwright/test';
import { leaks, shot, signIn, watchResponses } from './helpers.ts';

/**
 * The case screens: the hotline intake (one case per form however often it is submitted, duplicates offered for
 * merging), the closed loop from report to close through the case detail, the dispatch board, and the patrol views.
 * Each test makes its own data.
 */

const GRID1 = '43060200100101';

/** The contexts a test opened, closed after it (an open board page would keep polling the server). */
const opened: BrowserContext[] = [];
test.afterEach(async () => {
  for (const c of opened.splice(0)) await c.close();
});

/** A page signed in as `username`, in its own browser context, its API answers watched by the leak scan. */
async function as(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext();
  opened.push(context);
  const page = await context.newPage();
  watchResponses(page);
  await signIn(page, username);
  await expect(page.getByTestId('home-page')).toBeVisible();
  return page;
}

/** A point inside 第一网格 of 金鹗社区 (from its boundary), a little off its centre. */
async function pointInGrid1(page: Page): Promise<{ lng: number; lat: number }> {
  const fc = await (await page.request.get('/api/grids/boundaries')).json();
  const f = (fc.features as { properties: { code: string }; geometry: { coordinates: number[][][] } }[]).find(
    (x) => x.properties.code === GRID1,
  );
  if (!f) throw new Error('the demo city has no boundary for 第一网格');
  const ring = f.geometry.coordinates[0] as number[][];
  const xs = ring.map((p) => p[0] as number);
  const ys = ring.map((p) => p[1] as number);
  const fx = 0.3 + Math.random() * 0.4;
  const fy = 0.3 + Math.random() * 0.4;
  const r6 = (v: number) => Math.round(v * 1e6) / 1e6;
  return {
    lng: r6(Math.min(...xs) + (Math.max(...xs) - Math.min(...xs)) * fx),
    lat: r6(Math.min(...ys) + (Math.max(...ys) - Math.min(...ys)) * fy),
  };
}

/** A small valid PNG (a photo of the handling, as far as the server can tell). */
function png(w = 64, h = 48): Buffer {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = (table[(c ^ x) & 255] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const raw = Buffer.alloc((w * 3 + 1) * h, 0x80);
  for (let y = 0; y < h; y++) raw[y * (w * 3 + 1)] = 0;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A text input by its test id (on the input itself, or on the component around it). */
const input = (page: Page, id: string) =>
  page.locator(`input[data-testid="${id}"], [data-testid="${id}"] input`).first();

/** Picks 大类 › 小类 in the intake cascader. */
async function pickCategory(page: Page, main: string, sub: string) {
  await page.getByTestId('intake-category').click();
  await page.locator('.ant-cascader-menu-item', { hasText: main }).click();
  await page.locator('.ant-cascader-menu-item', { hasText: sub }).click();
}

async function fillIntake(page: Page, description: string, at: { lng: number; lat: number }) {
  await pickCategory(page, '环境卫生', '垃圾堆放');
  await page.getByTestId('intake-description').fill(description);
  await page.getByTestId('intake-caller-name').fill('王先生');
  await page.getByTestId('intake-caller-phone').fill('13912345678');
  await page.getByTestId('intake-address').fill('金鹗山庄北门');
  await input(page, 'intake-lng').fill(String(at.lng));
  await input(page, 'intake-lat').fill(String(at.lat));
  await input(page, 'intake-lat').blur();
  await expect(page.getByTestId('intake-located')).toContainText('第一网格');
}

/** The number of a case shown on the page after filing. */
async function createdNumber(page: Page): Promise<string> {
  const title = page.getByTestId('intake-created').locator('.ant-result-title');
  await expect(title).toContainText('已登记');
  const m = /(\d{6}-\d{4}-\d{6})/.exec((await title.textContent()) ?? '');
  if (!m?.[1]) throw new Error('no case number');
  return m[1];
}

const stamp = () => Date.now().toString().slice(-7);

test('[CASES][INTAKE]: the hotline desk files one case however often it submits; a duplicate is offered and merged', async ({
  browser,
}) => {
  const desk = await as(browser, 'demo.front_desk');
  const at = await pointInGrid1(desk);
  const description = `E2E${stamp()} 来电反映小区北门垃圾堆放多日未清运`;
  await desk.getByTestId('shortcut-cases-new').click();
  await expect(desk.getByTestId('intake-form')).toBeVisible();
  await fillIntake(desk, description, at);
  await shot(desk, 'cases-01-intake');
  // a double click: the form's Idempotency-Key makes it one case
  await desk.getByTestId('intake-submit').dblclick();
  const first = await createdNumber(desk);
  await shot(desk, 'cases-02-filed');
  const list = await (await desk.request.get('/api/cases?limit=200')).json();
  expect((list.items as { title: string }[]).filter((c) => description.startsWith(c.title))).toHaveLength(1);

  // the same spot again from the community worker (who may merge): offered as a duplicate, merged
  const worker = await as(browser, 'demo.community_worker');
  await worker.goto('/cases/new');
  await fillIntake(worker, `E2E${stamp()} 同一处垃圾又有人来电反映`, at);
  await worker.getByTestId('intake-submit').click();
  const second = await createdNumber(worker);
  expect(second).not.toBe(first);
  const dupes = worker.getByTestId('intake-duplicates');
  await expect(dupes).toContainText(first);
  await shot(worker, 'cases-03-duplicate');
  await dupes.getByTestId('intake-merge').first().click();
  await expect(dupes).toContainText(`已合并到 ${first}`);
  await worker.getByTestId('intake-open').click();
  await expect(worker.getByTestId('case-state')).toHaveAttribute('data-state', 'discarded');
  await expect(worker.getByTestId('case-timeline')).toContainText('合并');
});

test('[CASES][LOOP]: a case goes from report to close through the case detail: verify, accept, dispatch, start, handle with a photo, close', async ({
  browser,
}) => {
  const leader = await as(browser, 'demo.community_leader');
  const gm = await as(browser, 'demo.grid_manager');
  const gmId = (await (await gm.request.get('/api/auth/me')).json()).user.id as string;
  // the grid manager is assigned to 第一网格 (so the dispatch offers them)
  const grids = await (await leader.request.get(`/api/jurisdictions?parentId=${await communityId(leader)}`)).json();
  const grid1 = (grids.items as { id: string; code: string }[]).find((g) => g.code === GRID1);
  if (!grid1) throw new Error('no 第一网格');
  await leader.request.post(`/api/grids/${grid1.id}/managers`, { data: { userId: gmId } });

  // the grid manager reports from patrol through the intake form
  const at = await pointInGrid1(gm);
  const description = `E2E${stamp()} 巡查发现路灯不亮`;
  await gm.goto('/cases/new');
  await expect(gm.getByTestId('intake-source')).toContainText('网格员巡查');
  await pickCategory(gm, '市政设施', '路灯');
  await gm.getByTestId('intake-extra-lampNo').fill('JE-0042');
  await gm.getByTestId('intake-description').fill(description);
  await input(gm, 'intake-lng').fill(String(at.lng));
  await input(gm, 'intake-lat').fill(String(at.lat));
  await input(gm, 'intake-lat').blur();
  await expect(gm.getByTestId('intake-located')).toContainText('第一网格');
  await gm.getByTestId('intake-submit').click();
  const number = await createdNumber(gm);

  // the leader finds it in the list (filtered by category) and opens it
  await leader.getByTestId('nav-cases').click();
  await leader.getByTestId('filter-category').click();
  await leader.locator('.ant-cascader-menu-item', { hasText: '市政设施' }).click();
  await leader.getByTestId('case-search').click();
  const row = leader.getByTestId('case-table').locator('tr', { hasText: number });
  await expect(row).toBeVisible();
  await expect(row.getByTestId('case-deadline')).toHaveAttribute('data-deadline', 'not-started');
  await shot(leader, 'cases-04-list');
  await row.getByTestId('case-link').click();
  await expect(leader.getByTestId('case-number')).toHaveText(number);
  await expect(leader.getByTestId('case-info')).toContainText('JE-0042');

  const step = async (page: Page, action: string) => {
    await page.getByTestId(`action-${action}`).click();
    await page.getByTestId('confirm-ok').click();
  };
  await step(leader, 'verify');
  await expect(leader.getByTestId('case-state')).toHaveAttribute('data-state', 'verified');
  await step(leader, 'accept');
  await expect(leader.getByTestId('case-state')).toHaveAttribute('data-state', 'accepted');
  await leader.getByTestId('action-dispatch').click();
  await leader.getByTestId('action-assignee').click();
  await leader
    .getByTitle(/张网格/)
    .first()
    .click();
  await leader.getByTestId('action-note').fill('请今天内处理');
  await leader.getByTestId('action-submit').click();
  await expect(leader.getByTestId('case-state')).toHaveAttribute('data-state', 'dispatched');
  await expect(leader.getByTestId('case-deadline')).toHaveAttribute('data-deadline', 'green');

  // the grid manager starts it and reports it handled with a photo
  await gm.goto(leader.url());
  await step(gm, 'start');
  await expect(gm.getByTestId('case-state')).toHaveAttribute('data-state', 'in_progress');
  await gm.getByTestId('action-handle').click();
  await gm
    .locator('.ant-modal')
    .locator('input[type=file]')
    .setInputFiles({ name: 'after.png', mimeType: 'image/png', buffer: png() });
  await expect(gm.getByTestId('action-photos').locator('input[type=checkbox]:checked')).toHaveCount(1);
  await gm.getByTestId('action-note').fill('已更换灯泡，恢复照明');
  await gm.getByTestId('action-submit').click();
  await expect(gm.getByTestId('case-state')).toHaveAttribute('data-state', 'handled');
  await expect(gm.getByTestId('case-photo')).toHaveCount(1);

  // the leader checks and closes it
  await leader.reload();
  await leader.getByTestId('action-close').click();
  await leader.getByTestId('action-check').fill('现场核查：路灯已恢复');
  await leader.getByTestId('action-submit').click();
  await expect(leader.getByTestId('case-state')).toHaveAttribute('data-state', 'closed');
  const timeline = leader.getByTestId('case-timeline');
  for (const label of ['上报', '核实', '立案', '派遣', '签收处置', '处置反馈', '核查结案'])
    await expect(timeline).toContainText(label);
  await expect(leader.getByTestId('case-map')).toBeVisible();
  await shot(leader, 'cases-05-closed');
});

test('[CASES][BOARD]: the dispatch board moves a new report along with the card actions', async ({ browser }) => {
  const gm = await as(browser, 'demo.grid_manager');
  const at = await pointInGrid1(gm);
  const categories = await (await gm.request.get('/api/cases/categories')).json();
  const garbage = (categories.items as { id: string; code: string }[]).find((c) => c.code === 'environment.garbage');
  // the grid's index is warmed first (see the report on the embedded database), then the case is filed through the API
  await gm.request.get(`/api/grids/locate?lng=${at.lng}&lat=${at.lat}`);
  const r = await gm.request.post('/api/cases', {
    headers: { 'Idempotency-Key': `e2e-board-${stamp()}` },
    data: { categoryId: garbage?.id, source: 'grid_manager', description: `E2E${stamp()} 看板测试`, ...at },
  });
  expect(r.status()).toBe(201);
  const number = (await r.json()).case.number as string;

  const leader = await as(browser, 'demo.community_leader');
  await leader.getByTestId('nav-cases-board').click();
  const card = leader.locator(`[data-testid=board-card][data-number="${number}"]`);
  await expect(leader.getByTestId('board-col-reported').locator(`[data-number="${number}"]`)).toBeVisible();
  await card.getByTestId('board-card-actions').click();
  await card.getByTestId('action-verify').click();
  await leader.getByTestId('confirm-ok').click();
  await expect(card).toContainText('已核实');
  await card.getByTestId('action-accept').click();
  await leader.getByTestId('confirm-ok').click();
  await expect(leader.getByTestId('board-col-accepted').locator(`[data-number="${number}"]`)).toBeVisible();
  await shot(leader, 'cases-06-board');
});

test('[CASES][PATROL]: a patrol route is drawn on its page; building-head records are listed', async ({ browser }) => {
  const gm = await as(browser, 'demo.grid_manager');
  const at = await pointInGrid1(gm);
  const started = await gm.request.post('/api/patrols', { data: at });
  expect(started.status()).toBe(201);
  const patrol = (await started.json()).id as string;
  const t0 = Date.now() - 30 * 60_000;
  const points = Array.from({ length: 8 }, (_, i) => ({
    lng: Math.round((at.lng + i * 0.0002) * 1e6) / 1e6,
    lat: Math.round((at.lat + (i % 3) * 0.0001) * 1e6) / 1e6,
    at: new Date(t0 + i * 180_000).toISOString(),
  }));
  expect((await gm.request.post(`/api/patrols/${patrol}/points`, { data: { points } })).status()).toBe(200);
  const findings = `E2E${stamp()} 发现楼道堆放杂物`;
  expect((await gm.request.post(`/api/patrols/${patrol}/end`, { data: { findings, findingCount: 1 } })).status()).toBe(
    200,
  );
  const record = await gm.request.post('/api/building-records', {
    data: {
      kind: 'hazard_check',
      buildingLabel: '金鹗山庄1栋',
      occurredOn: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10),
      summary: `E2E${stamp()} 检查消防通道`,
    },
  });
  expect(record.status()).toBe(201);

  await gm.getByTestId('nav-fieldwork').click();
  const row = gm.getByTestId('patrol-table').locator('tr', { hasText: findings });
  await expect(row).toBeVisible();
  await row.click();
  await expect(gm.getByTestId('patrol-page')).toContainText(findings);
  await expect(gm.getByTestId('patrol-map').locator('canvas, path').first()).toBeVisible();
  await shot(gm, 'cases-07-patrol');
  await gm.goto('/fieldwork?tab=records');
  await expect(gm.getByTestId('record-table')).toContainText('检查消防通道');
});

async function communityId(page: Page): Promise<string> {
  return (await (await page.request.get('/api/auth/me')).json()).user.jurisdiction.id as string;
}

test.afterAll(() => {
  expect(leaks, 'full ID numbers or phones in API responses').toEqual([]);
});
