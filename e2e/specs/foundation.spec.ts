import { expect, test } from '@playwright/test';
import { enrolTotp, leaks, shot, signIn, watchResponses } from './helpers.ts';

test.beforeEach(({ page }) => watchResponses(page));

test('[FOUNDATION][LOGIN]: a community leader signs in, switches language and opens the jurisdiction tree', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByText('家园').first()).toBeVisible();
  await shot(page, '01-login-zh');

  await signIn(page, 'demo.community_leader');
  await expect(page.getByText('陈书记').first()).toBeVisible();
  await expect(page.getByTestId('welcome-card')).toBeVisible();
  await expect(page.getByTestId('home-jurisdiction')).toContainText('金鹗社区');
  await shot(page, '02-home-zh');

  await page.getByTestId('lang-switch').click();
  await expect(page.getByText('Jurisdictions').first()).toBeVisible();
  await expect(page.getByTestId('welcome-card')).toBeVisible();
  await shot(page, '03-home-en');
  await page.getByTestId('lang-switch').click();
  await expect(page.getByText('辖区').first()).toBeVisible();

  await page.goto('/jurisdictions');
  const tree = page.getByTestId('jurisdiction-tree');
  await expect(tree.getByText('金鹗社区')).toBeVisible();
  await tree.locator('.ant-tree-switcher').first().click();
  await expect(tree.getByText('第一网格')).toBeVisible();
  await tree.getByText('第一网格').click();
  await expect(page.getByText('43060200100101').first()).toBeVisible();
  await shot(page, '04-jurisdiction-tree');
});

test('[FOUNDATION][ERRORS]: a wrong password is refused in Chinese, an unknown page is a friendly 404', async ({
  page,
}) => {
  await page.goto('/login');
  await page.getByTestId('login-username').fill('demo.grid_manager');
  await page.getByTestId('login-password').fill('Wrong#Password1');
  await page.getByTestId('login-submit').click();
  await expect(page.getByText('用户名或密码错误').first()).toBeVisible();
  await shot(page, '05-login-error');
  await signIn(page, 'demo.grid_manager');
  await expect(page.getByText('张网格').first()).toBeVisible();
  await page.goto('/no/such/page');
  await expect(page.getByText('404').first()).toBeVisible();
  await shot(page, '06-not-found');
  await page.goto('/users');
  await expect(page.getByText('403').first()).toBeVisible();
  await shot(page, '07-forbidden');
});

test('[FOUNDATION][ADMIN]: the security admin enrols TOTP and manages users; the audit admin verifies the chain', async ({
  page,
}) => {
  await signIn(page, 'demo.security_admin');
  await shot(page, '08-totp-enrol');
  await enrolTotp(page);
  await expect(page.getByText('安全管理员').first()).toBeVisible();
  await page.goto('/users');
  await expect(page.getByText('demo.grid_manager')).toBeVisible();
  await shot(page, '09-users');
  await page
    .getByRole('button', { name: /退出|Sign out|Log out/ })
    .first()
    .click();
  await expect(page).toHaveURL(/\/login/);

  await signIn(page, 'demo.audit_admin');
  await enrolTotp(page);
  await page.goto('/audit');
  await expect(page.getByText('auth.login').first()).toBeVisible();
  await page.getByRole('button', { name: /校验审计链/ }).click();
  await expect(page.getByText(/完整|intact|OK/i).first()).toBeVisible();
  await shot(page, '10-audit');
});

test.afterAll(() => {
  expect(leaks, 'full ID numbers or phones in API responses').toEqual([]);
});
