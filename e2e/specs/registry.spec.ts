import { expect, type Page, test } from '@playwright/test';
import { leaks, shot, signIn, watchResponses } from './helpers.ts';

/**
 * The registry screens: browse places down to a dwelling, register a resident with live validation, search, the
 * change history, revealing a full value (and the daily cap), the floating population, the grid map and a refused
 * boundary upload. Each test makes its own data.
 */

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** A valid 居民身份证 number (GB 11643 check character) for a random birth date: no clash with the demo population. */
function randomId(): string {
  const y = 1950 + Math.floor(Math.random() * 50);
  const m = 1 + Math.floor(Math.random() * 12);
  const d = 1 + Math.floor(Math.random() * 28);
  const seq = Math.floor(Math.random() * 999);
  const first17 = `430602${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${String(seq).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (W[i] as number);
  return first17 + '10X98765432'[sum % 11];
}
/** The same number with a wrong check character. */
const withWrongCheck = (id: string) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
const randomPhone = () => `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

/** A text input by its test id (on the input itself, or on the component around it). */
const input = (page: Page, id: string) =>
  page.locator(`input[data-testid="${id}"], [data-testid="${id}"] input`).first();

/** The box of the first element matching `selector` once the map has stopped moving (fitting its grids animates). */
async function settledBox(page: Page, selector: string) {
  let last = '';
  for (let i = 0; i < 40; i++) {
    const box = await page.locator(selector).first().boundingBox();
    const now = JSON.stringify(box);
    if (box && now === last) return box;
    last = now;
    await page.waitForTimeout(150);
  }
  throw new Error(`${selector} never settled`);
}

/** Opens the tree down to the first dwelling of 第一网格 and selects it. */
async function openFirstDwelling(page: Page) {
  await page.goto('/registry');
  const tree = page.getByTestId('place-tree');
  const expand = async (row: ReturnType<Page['locator']>) => {
    await expect(row).toBeVisible();
    await row.locator('.ant-tree-switcher').click();
  };
  await expand(tree.locator('.ant-tree-treenode', { hasText: '第一网格' }));
  await expand(tree.locator('.ant-tree-treenode', { has: page.getByTestId('place-complex') }).first());
  await expand(tree.locator('.ant-tree-treenode', { has: page.getByTestId('place-building') }).first());
  // a building has units (then dwellings) or dwellings directly
  await expect(tree.getByTestId('place-unit').or(tree.getByTestId('place-dwelling')).first()).toBeVisible();
  const unit = tree.locator('.ant-tree-treenode', { has: page.getByTestId('place-unit') }).first();
  if (await unit.count()) await expand(unit);
  await tree.getByTestId('place-dwelling').first().click();
  await expect(page.getByTestId('place-panel')).toBeVisible();
}

test('[REGISTRY][RESIDENT]: a community worker registers a resident from a dwelling with live validation, finds and edits them', async ({
  page,
}) => {
  watchResponses(page);
  const id = randomId();
  const phone = randomPhone();
  await signIn(page, 'demo.community_worker');
  await expect(page.getByTestId('shortcut-registry')).toBeVisible();
  await openFirstDwelling(page);
  await shot(page, 'registry-01-dwelling');

  await page.getByTestId('register-resident').click();
  await expect(page.getByTestId('resident-form')).toBeVisible();
  await expect(page.getByTestId('resident-dwelling')).not.toBeEmpty();
  await page.getByTestId('resident-name').fill('测试居民');
  // the GB 11643 check character is checked as soon as 18 characters are typed
  await page.getByTestId('resident-id-number').fill(withWrongCheck(id));
  await expect(page.getByText('身份证号校验位错误，请核对')).toBeVisible();
  await page.getByTestId('resident-id-number').fill(id);
  await expect(page.getByTestId('id-derived')).toContainText(
    `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
  );
  await page.getByTestId('resident-phone').fill('1234');
  await page.getByTestId('resident-phone').blur();
  await expect(page.getByText('手机号码格式不正确')).toBeVisible();
  await page.getByTestId('resident-phone').fill(phone);
  // a new household at this dwelling, with the resident as its head
  await page.getByTestId('resident-household').click();
  const householdNumber = `E2E${Date.now().toString().slice(-8)}`;
  await page.getByTestId('new-household-number').fill(householdNumber);
  await page.getByTestId('new-household').click();
  await expect(page.getByText(`已新建户 ${householdNumber}`)).toBeVisible();
  await page.getByTestId('resident-relation').click();
  await page.getByTitle('本人（户主）').click();
  await page.getByTestId('resident-care').click();
  await page.getByTitle('独居老人').click();
  await page.keyboard.press('Escape');
  await shot(page, 'registry-02-form');
  await page.getByTestId('resident-save').click();

  // the detail: masked, with care tags (this role may see them) and the history
  await expect(page.getByTestId('resident-page')).toBeVisible();
  await expect(page.getByTestId('detail-id-number')).toHaveText(`${id.slice(0, 3)}***********${id.slice(-4)}`);
  await expect(page.getByTestId('detail-phone')).toHaveText(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
  await expect(page.getByTestId('care-tags')).toContainText('独居老人');
  await expect(page.getByTestId('resident-history')).toContainText('登记');
  const url = page.url();

  // edit: a new phone; the history shows the change, masked
  await page.getByTestId('resident-edit').click();
  await expect(page.getByTestId('resident-form')).toBeVisible();
  const phone2 = randomPhone();
  await page.getByTestId('resident-phone').fill(phone2);
  await page.getByTestId('resident-save').click();
  await expect(page.getByTestId('detail-phone')).toHaveText(`${phone2.slice(0, 3)}****${phone2.slice(-4)}`);
  await expect(page.getByTestId('resident-history')).toContainText(`${phone2.slice(0, 3)}****${phone2.slice(-4)}`);
  await shot(page, 'registry-03-resident');

  // search by the full ID number finds exactly this person, masked
  await page.goto('/registry');
  await input(page, 'registry-search').fill(id);
  await input(page, 'registry-search').press('Enter');
  const results = page.getByTestId('search-table');
  await expect(results.locator('tr.ant-table-row')).toHaveCount(1);
  await expect(results).toContainText(`${id.slice(0, 3)}***********${id.slice(-4)}`);
  await results.getByTestId('resident-link').click();
  await expect(page).toHaveURL(url);
  // and by part of the name
  await page.goto('/registry?q=测试居');
  await expect(page.getByTestId('search-table').locator('tr.ant-table-row').first()).toBeVisible();
});

test('[REGISTRY][REVEAL]: a full value is shown once with a reason; past 50 a day the server refuses with a message', async ({
  browser,
}) => {
  // Not watched by the leak scan: the reveal answer is meant to carry the full value.
  const context = await browser.newContext();
  const page = await context.newPage();
  const id = randomId();
  await signIn(page, 'demo.front_desk');
  await expect(page.getByTestId('home-page')).toBeVisible();
  // a resident to look at, registered by the community worker through the API
  const worker = await browser.newContext();
  const wp = await worker.newPage();
  await signIn(wp, 'demo.community_worker');
  await expect(wp.getByTestId('home-page')).toBeVisible();
  const community = (await (await wp.request.get('/api/auth/me')).json()).user.jurisdiction.id as string;
  const created = await wp.request.post('/api/residents', {
    data: { name: '查看测试', idType: 'id_card', idNumber: id, residenceType: 'permanent', jurisdictionId: community },
  });
  expect(created.status()).toBe(201);
  const residentId = (await created.json()).id as string;
  await worker.close();

  await page.goto(`/registry/residents/${residentId}`);
  await expect(page.getByTestId('detail-id-number')).toHaveText(`${id.slice(0, 3)}***********${id.slice(-4)}`);
  await page.getByTestId('reveal-idNumber').click();
  await page.getByTestId('reveal-reason').fill('窗口办理业务核对身份');
  await page.getByRole('button', { name: '确认查看' }).click();
  await expect(page.getByTestId('reveal-value')).toHaveText(id);
  await shot(page, 'registry-04-reveal');
  await page.locator('.ant-modal-footer').getByRole('button').click();
  await expect(page.getByTestId('reveal-value')).toHaveCount(0);

  // use up the day's reveals, then the page shows the server's refusal
  for (let i = 0; i < 60; i++) {
    const r = await page.request.post(`/api/residents/${residentId}/reveal`, {
      data: { field: 'idNumber', reason: '上限测试' },
    });
    if (r.status() === 429) break;
    expect(r.status()).toBe(200);
  }
  await page.getByTestId('reveal-idNumber').click();
  await page.getByTestId('reveal-reason').fill('再次核对');
  await page.getByRole('button', { name: '确认查看' }).click();
  await expect(page.getByText(/已达 50 次上限/)).toBeVisible();
  await expect(page.getByTestId('reveal-value')).toHaveCount(0);
  await context.close();
});

test('[REGISTRY][FLOATING]: the floating population lists arrivals and overdue residents', async ({ page }) => {
  watchResponses(page);
  await signIn(page, 'demo.community_worker');
  await expect(page.getByTestId('home-page')).toBeVisible();
  const me = (await (await page.request.get('/api/auth/me')).json()).user;
  // a floating resident who arrived ten days ago, expected to have left yesterday
  const day = (n: number) => new Date(Date.now() + 8 * 3600_000 + n * 86400_000).toISOString().slice(0, 10);
  const r = await page.request.post('/api/residents', {
    data: {
      name: '流动测试',
      idType: 'id_card',
      idNumber: randomId(),
      residenceType: 'floating',
      arrivedOn: day(-10),
      expectedLeaveOn: day(-1),
      jurisdictionId: me.jurisdiction.id,
    },
  });
  expect(r.status()).toBe(201);
  await page.goto('/registry?tab=floating');
  await expect(page.getByTestId('floating-list')).toBeVisible();
  // new arrivals (a short list; the overdue one is long and oldest first): the row shows both flags
  await page.getByTestId('floating-status').getByText('新到（30天内）').click();
  const row = page.getByTestId('floating-table').locator('tr', { hasText: '流**试' }).first();
  await expect(row).toContainText('新到');
  await expect(row).toContainText('逾期未离开');
  await shot(page, 'registry-05-floating');
});

test('[REGISTRY][MAP]: the grid map draws the grids; a bad boundary file is refused with its problems listed', async ({
  page,
}) => {
  watchResponses(page);
  await signIn(page, 'demo.community_leader');
  await expect(page.getByTestId('home-page')).toBeVisible();
  await page.goto('/map');
  await expect(page.getByTestId('grid-map')).toBeVisible();
  const labels = page.locator('.jy-grid-label');
  if (await page.getByTestId('map-no-boundaries').isVisible()) {
    await expect(labels).toHaveCount(0);
  } else {
    await expect(labels.first()).toBeVisible();
    const box = await settledBox(page, '.jy-grid-label');
    // the label lets clicks through to its polygon
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect(page.getByTestId('map-grid-info')).toContainText('网格');
  }
  await page.getByTestId('layer-heat').click();
  await shot(page, 'registry-06-map');

  await page.getByTestId('boundary-upload').click();
  const bad = {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: { code: '99999999999999' },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [113.0, 29.0],
              [113.001, 29.0],
              [113.001, 29.001],
              [113.0, 29.0],
            ],
          ],
        },
      },
      {
        type: 'Feature',
        properties: { code: '43060200100101' },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [113.0, 29.0],
              [113.002, 29.002],
              [113.002, 29.0],
              [113.0, 29.001],
              [113.0, 29.0],
            ],
          ],
        },
      },
    ],
  };
  await page
    .locator('.ant-modal input[type=file]')
    .setInputFiles({ name: 'bad.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(bad)) });
  await page.getByTestId('boundary-submit').click();
  const problems = page.getByTestId('boundary-problems');
  await expect(problems).toContainText('未导入任何边界');
  await expect(problems.locator('tr.ant-table-row')).toHaveCount(2);
  await expect(problems).toContainText('99999999999999');
  await expect(problems).toContainText('自相交');
  await shot(page, 'registry-07-boundary-problems');
});

test.afterAll(() => {
  expect(leaks, 'full ID numbers or phones in API responses').toEqual([]);
});
