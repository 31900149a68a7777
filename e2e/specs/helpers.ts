import fs from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { generate } from 'otplib';

export const DEMO_PASSWORD = 'Demo#Jiayuan2026';
export const shots = path.resolve(import.meta.dirname, '../artifacts/screenshots');
fs.mkdirSync(shots, { recursive: true });

export const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

/** Every API answer the run sees, scanned for full ID numbers, phones and tokens (SECURITY.md PI-3, PI-11). */
export const leaks: string[] = [];
const patterns = [/\b\d{17}[\dXx]\b/, /\b1[3-9]\d{9}\b/];
export function watchResponses(page: Page) {
  page.on('response', async (res) => {
    if (!res.url().includes('/api/') || res.url().includes('/api/docs')) return;
    const body = await res.text().catch(() => '');
    for (const p of patterns) if (p.test(body)) leaks.push(`${res.url()}: ${p}`);
  });
}

export async function signIn(page: Page, username: string) {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
}

/** An admin's first sign-in enrols a TOTP authenticator: read the secret the page shows and answer with a code. */
export async function enrolTotp(page: Page): Promise<string> {
  const el = page.getByTestId('totp-secret');
  await expect(el).toBeVisible();
  const secret = (await el.getAttribute('data-secret')) ?? '';
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  await page.getByTestId('totp-code').fill(await generate({ secret }));
  await page.getByTestId('totp-submit').click();
  return secret;
}
