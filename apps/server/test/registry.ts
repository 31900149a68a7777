import { idCardCheckChar } from '@jiayuan/contracts';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/** Full ID numbers and mobile numbers, as SECURITY.md PI-3 scans for them. */
export const FULL_ID = /\d{17}[\dXx]/;
export const FULL_PHONE = /1[3-9]\d{9}/;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * The full ID number or phone found in a text, or null. UUIDs are taken out first: a random one holds eleven digits
 * in a row often enough (about 1 in 1,000) to look like a phone.
 */
export function leakIn(text: string): string | null {
  const t = text.replace(UUID, '');
  return FULL_ID.exec(t)?.[0] ?? FULL_PHONE.exec(t)?.[0] ?? null;
}

let counter = 0;

/**
 * A fresh, valid 18-digit ID (430602 = 岳阳楼区): a birth date that moves with the counter, a sequence number, the
 * MOD 11-2 check character. `female` picks an even 17th digit.
 */
export function makeId(opts: { birth?: string; female?: boolean; province?: string } = {}): string {
  counter++;
  const birth =
    opts.birth ??
    `19${String(40 + (counter % 60)).padStart(2, '0')}0${1 + (counter % 9)}${String(10 + (counter % 18))}`;
  let seq = 100 + (counter % 900);
  if ((seq % 2 === 0) !== !!opts.female) seq = seq === 999 ? 998 : seq + 1;
  const first17 = `${opts.province ?? '43'}0602${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  return first17 + idCardCheckChar(first17);
}

export function makePhone(): string {
  counter++;
  return `139${String(10_000_000 + counter * 7919).slice(-8)}`;
}

/** An ID with its check character changed to a wrong one. */
export const badCheck = (id: string): string => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');

/** A thin client that keeps every response body, so a test can scan them all for leaks. */
export function client(app: FastifyInstance, cookie: string, seen: { url: string; body: string }[] = []) {
  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => {
    const res: LightMyRequestResponse = await app.inject({
      method,
      url,
      headers: { cookie },
      ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
    });
    seen.push({ url, body: res.body });
    return res;
  };
  return {
    seen,
    get: (url: string) => call('GET', url),
    post: (url: string, body: unknown = {}) => call('POST', url, body),
    patch: (url: string, body: unknown) => call('PATCH', url, body),
    del: (url: string) => call('DELETE', url),
  };
}
export type Client = ReturnType<typeof client>;
