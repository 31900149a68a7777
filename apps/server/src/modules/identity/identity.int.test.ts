import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieOf, makeTestApp, PASSWORD, type TestApp } from '../../../test/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(async () => {
  await t?.close();
});

const login = (username: string, password: string, lang = 'zh-CN') =>
  t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password },
    headers: { 'accept-language': lang },
  });
const me = (cookie: string) => t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });

describe('password sign-in', () => {
  it('signs in, sets a __Host- HttpOnly Secure SameSite cookie and answers the user', async () => {
    await t.makeUser('worker1', ['community_worker'], 'communityA');
    const res = await login('worker1', PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'ok',
      user: { username: 'worker1', roles: ['community_worker'], idleMinutes: 15 },
    });
    const c = res.cookies[0];
    expect(c?.name).toBe('__Host-jy_session');
    expect(c?.httpOnly).toBe(true);
    expect(c?.secure).toBe(true);
    expect(c?.sameSite).toBe('Lax');
    expect(c?.path).toBe('/');
    expect((await me(cookieOf(res))).statusCode).toBe(200);
  });

  it('answers the same for a wrong password, an unknown account and a disabled one', async () => {
    const id = await t.makeUser('gone1', ['grid_manager'], 'gridA1');
    await t.ctx.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', id).execute();
    await t.makeUser('known1', ['grid_manager'], 'gridA1');
    const a = await login('known1', 'Wrong#Password2026');
    const b = await login('nobody-at-all', 'Wrong#Password2026');
    const c = await login('gone1', PASSWORD);
    for (const r of [a, b, c]) {
      expect(r.statusCode).toBe(401);
      expect(r.json().error.code).toBe('IDENTITY_INVALID_CREDENTIALS');
      expect(r.json().error.message).toBe('用户名或密码错误');
    }
    expect((await login('known1', 'x', 'en')).json().error.message).toBe('Wrong username or password');
  });

  it('locks after 5 consecutive failures — even the right password — and releases after 15 minutes', async () => {
    await t.makeUser('lockme', ['grid_manager'], 'gridA1');
    for (let i = 1; i <= 4; i++) expect((await login('lockme', `Bad#Password${i}x`)).statusCode).toBe(401);
    const fifth = await login('lockme', 'Bad#Password5x');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().error.code).toBe('IDENTITY_LOCKED');
    const sixth = await login('lockme', PASSWORD);
    expect(sixth.statusCode).toBe(423);
    t.clock.advanceMinutes(14);
    expect((await login('lockme', PASSWORD)).statusCode).toBe(423);
    t.clock.advanceMinutes(1);
    const ok = await login('lockme', PASSWORD);
    expect(ok.statusCode).toBe(200);
    // Counting starts again from zero after a success.
    for (let i = 1; i <= 4; i++) expect((await login('lockme', `Bad#Password${i}x`)).statusCode).toBe(401);
    expect((await login('lockme', PASSWORD)).statusCode).toBe(200);
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'success'])
      .where('actor_name', '=', 'lockme')
      .orderBy('id')
      .execute();
    const actions = audit.map((a) => a.action);
    expect(actions.filter((a) => a === 'auth.login_failed').length).toBe(9);
    expect(actions).toContain('auth.lockout');
    expect(actions).toContain('auth.login_locked');
  });

  it('locks an unknown user name exactly like a real one, so lockout reveals nothing', async () => {
    for (let i = 1; i <= 4; i++) expect((await login('ghost-user', `Bad#Password${i}x`)).statusCode).toBe(401);
    expect((await login('ghost-user', 'Bad#Password5x')).json().error.code).toBe('IDENTITY_LOCKED');
  });

  it('lets a security admin unlock a locked account', async () => {
    await t.makeUser('lock2', ['grid_manager'], 'gridA1');
    for (let i = 1; i <= 5; i++) await login('lock2', `Bad#Password${i}x`);
    expect((await login('lock2', PASSWORD)).statusCode).toBe(423);
    await t.makeUser('sec1', ['security_admin'], 'city');
    const { cookie } = await t.loginWithTotp('sec1');
    const list = await t.app.inject({ method: 'GET', url: '/api/users?q=lock2', headers: { cookie } });
    const target = list.json().items[0];
    expect(target.lockedUntil).not.toBeNull();
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/users/${target.id}/unlock`,
      headers: { cookie },
      payload: {},
    });
    expect(r.statusCode).toBe(200);
    expect((await login('lock2', PASSWORD)).statusCode).toBe(200);
  });
});

describe('sessions', () => {
  it('ends a staff session after 15 idle minutes, and keeps it while in use', async () => {
    await t.makeUser('idle1', ['community_worker'], 'communityA');
    const cookie = await t.login('idle1');
    t.clock.advanceMinutes(14);
    expect((await me(cookie)).statusCode).toBe(200);
    t.clock.advanceMinutes(14);
    expect((await me(cookie)).statusCode).toBe(200);
    t.clock.advanceMinutes(15);
    const r = await me(cookie);
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('SESSION_EXPIRED');
    // An expired session never comes back.
    t.clock.advanceMinutes(-20);
    expect((await me(cookie)).statusCode).toBe(401);
    t.clock.advanceMinutes(20);
  });

  it('gives residents 30 idle minutes and everyone 12 hours at most', async () => {
    await t.makeUser('res2', ['resident'], 'gridA1');
    const cookie = await t.login('res2');
    t.clock.advanceMinutes(29);
    expect((await me(cookie)).statusCode).toBe(200);
    let elapsed = 29;
    while (elapsed + 28 < 12 * 60) {
      t.clock.advanceMinutes(28);
      elapsed += 28;
      expect((await me(cookie)).statusCode).toBe(200);
    }
    t.clock.advanceMinutes(28);
    const r = await me(cookie);
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('SESSION_EXPIRED');
  });

  it('kills the session at logout, and a cookie that was never issued is refused', async () => {
    await t.makeUser('out1', ['grid_manager'], 'gridA1');
    const cookie = await t.login('out1');
    const r = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie }, payload: {} });
    expect(r.statusCode).toBe(200);
    expect((await me(cookie)).statusCode).toBe(401);
    expect((await me('__Host-jy_session=forged-token')).statusCode).toBe(401);
  });
});

describe('second factor (TOTP)', () => {
  it('makes admins enrol, then asks for a code each time, refusing replays and wrong codes', async () => {
    await t.makeUser('sys1', ['system_admin'], 'city');
    const first = await login('sys1', PASSWORD);
    expect(first.json().status).toBe('totp_enrollment_required');
    const pending = cookieOf(first);
    // A pending session opens nothing else.
    const blocked = await t.app.inject({ method: 'GET', url: '/api/jurisdictions', headers: { cookie: pending } });
    expect(blocked.statusCode).toBe(401);
    expect(blocked.json().error.code).toBe('IDENTITY_STEP_REQUIRED');
    const { secret } = await t.loginWithTotp('sys1');
    t.clock.advance(31_000);
    const again = await login('sys1', PASSWORD);
    expect(again.json().status).toBe('totp_required');
    const c = cookieOf(again);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp',
      headers: { cookie: c },
      payload: { code: '000000' },
    });
    expect(wrong.statusCode).toBe(401);
    const code = await t.totp(secret);
    const ok = await t.app.inject({ method: 'POST', url: '/api/auth/totp', headers: { cookie: c }, payload: { code } });
    expect(ok.json().status).toBe('ok');
    // The same code again, in a new sign-in within the same 30 s: refused.
    const third = await login('sys1', PASSWORD);
    const replay = await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp',
      headers: { cookie: cookieOf(third) },
      payload: { code },
    });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('IDENTITY_TOTP_INVALID');
    // A code from 5 minutes ago: refused.
    t.clock.advanceMinutes(5);
    const stale = await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp',
      headers: { cookie: cookieOf(third) },
      payload: { code },
    });
    expect(stale.statusCode).toBe(401);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp',
      headers: { cookie: cookieOf(third) },
      payload: { code: '12ab56' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('stores the TOTP secret encrypted', async () => {
    const row = await t.ctx.db
      .selectFrom('users')
      .select('totp_secret_enc')
      .where('username', '=', 'sys1')
      .executeTakeFirstOrThrow();
    expect(row.totp_secret_enc).toMatch(/^v1\./);
  });

  it('can be required for other staff too', async () => {
    await t.makeUser('mfaworker', ['community_worker'], 'communityA', { mfa: true });
    expect((await login('mfaworker', PASSWORD)).json().status).toBe('totp_enrollment_required');
  });
});

describe('passwords', () => {
  it('makes a user with a one-time password change it, by the rules, never to one of the last five', async () => {
    await t.makeUser('newbie', ['front_desk'], 'communityA', { mustChange: true });
    const r = await login('newbie', PASSWORD);
    expect(r.json().status).toBe('password_change_required');
    let cookie = cookieOf(r);
    const change = (currentPassword: string, newPassword: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/password',
        headers: { cookie },
        payload: { currentPassword, newPassword },
      });
    for (const weak of ['short1A!', 'alllowercaseletters', 'Password123!', 'newbie#Strong2026', 'abcdefghijk1']) {
      const w = await change(PASSWORD, weak);
      expect(w.statusCode, weak).toBe(400);
      expect(w.json().error.code).toBe('IDENTITY_PASSWORD_POLICY');
    }
    expect((await change(PASSWORD, PASSWORD)).json().error.code).toBe('IDENTITY_PASSWORD_REUSED');
    expect((await change('Wrong#Current2026', 'Fresh#Harbour2026')).json().error.code).toBe(
      'IDENTITY_CURRENT_PASSWORD_WRONG',
    );
    const ok = await change(PASSWORD, 'Fresh#Harbour2026');
    expect(ok.json().status).toBe('ok');
    cookie = cookieOf(ok);
    expect((await me(cookie)).statusCode).toBe(200);
    const passwords = ['Second#Harbour2026', 'Third#Harbour2026', 'Fourth#Harbour2026', 'Fifth#Harbour2026'];
    let current = 'Fresh#Harbour2026';
    for (const p of passwords) {
      const x = await change(current, p);
      expect(x.statusCode).toBe(200);
      cookie = cookieOf(x);
      current = p;
    }
    // Fresh… was 5 changes ago together with the current one: the first one, PASSWORD, is now 6 back.
    expect((await change(current, 'Fresh#Harbour2026')).json().error.code).toBe('IDENTITY_PASSWORD_REUSED');
    expect((await change(current, PASSWORD)).statusCode).toBe(200);
  });

  it('asks staff to change a password older than 90 days', async () => {
    await t.makeUser('oldpw', ['community_worker'], 'communityA');
    t.clock.advance(91 * 86_400_000);
    expect((await login('oldpw', PASSWORD)).json().status).toBe('password_change_required');
  });
});

describe('三权分立 separation of duties', () => {
  it('refuses to give one account two admin roles, in the service and in the database', async () => {
    const id = await t.makeUser('target1', ['grid_manager'], 'gridA1');
    await t.makeUser('sec2', ['security_admin'], 'city');
    const { cookie } = await t.loginWithTotp('sec2');
    const r = await t.app.inject({
      method: 'PUT',
      url: `/api/users/${id}/roles`,
      headers: { cookie },
      payload: { roles: ['system_admin', 'audit_admin'] },
    });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe('IDENTITY_ADMIN_ROLES_EXCLUSIVE');
    const create = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie },
      payload: {
        username: 'double',
        displayName: 'x',
        roles: ['security_admin', 'system_admin'],
        jurisdictionId: t.tree.city.id,
        password: 'Some#Password2026',
      },
    });
    expect(create.statusCode).toBe(409);
    await t.ctx.db.insertInto('user_roles').values({ user_id: id, role: 'system_admin' }).execute();
    await expect(
      t.ctx.db.insertInto('user_roles').values({ user_id: id, role: 'audit_admin' }).execute(),
    ).rejects.toThrow(/user_roles_one_admin_role/);
  });

  it('lets only the security admin manage accounts and only within their scope', async () => {
    await t.makeUser('leader1', ['community_leader'], 'communityA');
    const leader = await t.login('leader1');
    const denied = await t.app.inject({ method: 'GET', url: '/api/users', headers: { cookie: leader } });
    expect(denied.statusCode).toBe(403);
    await t.makeUser('sec3', ['security_admin'], 'communityB');
    const { cookie } = await t.loginWithTotp('sec3');
    const list = await t.app.inject({ method: 'GET', url: '/api/users', headers: { cookie } });
    const names = list.json().items.map((u: { username: string }) => u.username);
    expect(names).toContain('sec3');
    expect(names).not.toContain('leader1');
    const leaderId = (
      await t.ctx.db.selectFrom('users').select('id').where('username', '=', 'leader1').executeTakeFirstOrThrow()
    ).id;
    const out = await t.app.inject({
      method: 'POST',
      url: `/api/users/${leaderId}/disable`,
      headers: { cookie },
      payload: {},
    });
    expect(out.statusCode).toBe(404);
    const badId = await t.app.inject({
      method: 'POST',
      url: '/api/users/not-a-uuid/disable',
      headers: { cookie },
      payload: {},
    });
    expect(badId.statusCode).toBe(400);
  });

  it('ends every session of an account when it is disabled', async () => {
    const id = await t.makeUser('victim', ['grid_manager'], 'gridA1');
    const victim = await t.login('victim');
    await t.makeUser('sysadm2', ['system_admin'], 'city');
    const { cookie } = await t.loginWithTotp('sysadm2');
    const r = await t.app.inject({ method: 'POST', url: `/api/users/${id}/disable`, headers: { cookie }, payload: {} });
    expect(r.statusCode).toBe(200);
    expect((await me(victim)).statusCode).toBe(401);
    expect((await login('victim', PASSWORD)).statusCode).toBe(401);
  });

  it('never stores a password or a token in plain text', async () => {
    const dump = await sql<{ t: string }>`select string_agg(password_hash, ',') as t from users`.execute(t.ctx.db);
    expect(dump.rows[0]?.t).not.toContain(PASSWORD);
    expect(dump.rows[0]?.t).toContain('$argon2id$');
  });
});
