import { Writable } from 'node:stream';
import type { Role } from '@jiayuan/contracts';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { generate } from 'otplib';
import type { Database } from '../src/db/database.ts';
import { buildApp, sessionCookieName } from '../src/http/app.ts';
import { createUserUnchecked } from '../src/modules/identity/index.ts';
import { FakeClock } from '../src/shared/clock.ts';
import { type Ctx, systemCtx } from '../src/shared/context.ts';
import { testKeyring } from '../src/shared/crypto.ts';
import { freshDatabase } from './db.ts';

export const PASSWORD = 'Test#Password2026';

export type Tree = {
  city: { id: string; path: string };
  district: { id: string; path: string };
  street: { id: string; path: string };
  communityA: { id: string; path: string };
  communityB: { id: string; path: string };
  gridA1: { id: string; path: string };
  gridB1: { id: string; path: string };
};

async function node(ctx: Ctx, code: string, name: string, level: string, parent?: { id: string; path: string }) {
  const r = await ctx.db
    .insertInto('jurisdictions')
    .values({
      code,
      name,
      level: level as never,
      parent_id: parent?.id ?? null,
      path: parent ? `${parent.path}.${code}` : code,
      updated_at: new Date(),
    })
    .returning(['id', 'path'])
    .executeTakeFirstOrThrow();
  return { id: r.id, path: r.path };
}

/** A small tree of its own: 岳阳市 › 岳阳楼区 › 岳阳楼街道 › 金鹗社区 (A), 五里牌社区 (B) › a grid each. */
export async function buildTree(ctx: Ctx): Promise<Tree> {
  const city = await node(ctx, '430600', '岳阳市', 'city');
  const district = await node(ctx, '430602', '岳阳楼区', 'district', city);
  const street = await node(ctx, '430602001', '岳阳楼街道', 'street', district);
  const communityA = await node(ctx, '430602001001', '金鹗社区', 'community', street);
  const communityB = await node(ctx, '430602001002', '五里牌社区', 'community', street);
  const gridA1 = await node(ctx, '43060200100101', '金鹗第一网格', 'grid', communityA);
  const gridB1 = await node(ctx, '43060200100201', '五里牌第一网格', 'grid', communityB);
  return { city, district, street, communityA, communityB, gridA1, gridB1 };
}

export type TestApp = {
  app: FastifyInstance;
  database: Database;
  clock: FakeClock;
  ctx: Ctx;
  tree: Tree;
  logs: string[];
  makeUser(
    username: string,
    roles: Role[],
    at: keyof Tree,
    opts?: { mustChange?: boolean; mfa?: boolean },
  ): Promise<string>;
  /** Signs in (password only; no MFA) and returns the cookie header value. */
  login(username: string, password?: string): Promise<string>;
  /** Signs in an account with TOTP: enrols on first use. Returns the cookie and the secret. */
  loginWithTotp(username: string, secret?: string): Promise<{ cookie: string; secret: string }>;
  totp(secret: string): Promise<string>;
  close(): Promise<void>;
};

export const cookieOf = (res: LightMyRequestResponse): string => {
  const c = res.cookies.find((x) => x.name === sessionCookieName(true));
  return c ? `${c.name}=${c.value}` : '';
};

export async function makeTestApp(): Promise<TestApp> {
  const database = await freshDatabase();
  const clock = new FakeClock('2026-03-02T09:00:00+08:00');
  const keyring = testKeyring();
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const app = await buildApp({
    database,
    clock,
    keyring,
    config: { cookieSecure: true, trustProxy: false, logLevel: 'info', webDist: '/nonexistent' },
    logStream,
  });
  await app.ready();
  const ctx = systemCtx({ db: database.db, clock, keyring });
  const tree = await buildTree(ctx);
  const t: TestApp = {
    app,
    database,
    clock,
    ctx,
    tree,
    logs,
    async makeUser(username, roles, at, opts = {}) {
      const { id } = await createUserUnchecked(ctx, {
        username,
        displayName: username,
        roles,
        jurisdictionId: tree[at].id,
        password: PASSWORD,
        mustChangePassword: opts.mustChange ?? false,
        mfaRequired: opts.mfa ?? false,
      });
      return id;
    },
    async login(username, password = PASSWORD) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
      if (res.statusCode !== 200 || res.json().status !== 'ok')
        throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
      return cookieOf(res);
    },
    async totp(secret) {
      return generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) });
    },
    async loginWithTotp(username, secret) {
      let res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
      let cookie = cookieOf(res);
      let s = secret;
      if (res.json().status === 'totp_enrollment_required') {
        const setup = await app.inject({
          method: 'POST',
          url: '/api/auth/totp/setup',
          headers: { cookie },
          payload: {},
        });
        s = setup.json().secret as string;
        res = await app.inject({
          method: 'POST',
          url: '/api/auth/totp/enable',
          headers: { cookie },
          payload: { code: await t.totp(s) },
        });
      } else {
        if (!s) throw new Error('secret needed');
        res = await app.inject({
          method: 'POST',
          url: '/api/auth/totp',
          headers: { cookie },
          payload: { code: await t.totp(s) },
        });
      }
      if (res.json().status !== 'ok') throw new Error(`totp ${username}: ${res.body}`);
      cookie = cookieOf(res);
      return { cookie, secret: s as string };
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
  return t;
}
