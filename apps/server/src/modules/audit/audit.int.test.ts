import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../../test/app.ts';
import { testDbKind } from '../../../test/db.ts';
import { migrateToLatest, openDatabase } from '../../db/database.ts';
import { FakeClock } from '../../shared/clock.ts';
import { systemCtx } from '../../shared/context.ts';
import { testKeyring } from '../../shared/crypto.ts';
import { recordAudit, verifyChain } from './audit.service.ts';

const CLI = path.resolve(import.meta.dirname, '../../../../cli/bin/jiayuan.mjs');

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function tamper(db: TestApp['ctx']['db'], statement: ReturnType<typeof sql>) {
  // What a superuser could do: switch the append-only trigger off, change history, switch it back on.
  await sql`alter table audit_log disable trigger audit_log_no_update_delete`.execute(db);
  await statement.execute(db);
  await sql`alter table audit_log enable trigger audit_log_no_update_delete`.execute(db);
}

describe('the audit chain', () => {
  it('records in the same transaction as the change: a rolled-back change leaves no audit row', async () => {
    const before = await verifyChain(t.ctx.db);
    await expect(
      t.ctx.db.transaction().execute(async (trx) => {
        await recordAudit({ ...t.ctx, db: trx }, { action: 'test.rolled_back' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const after = await verifyChain(t.ctx.db);
    expect(after.rows).toBe(before.rows);
    const n = await t.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'test.rolled_back').execute();
    expect(n).toHaveLength(0);
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the audit table', async () => {
    await recordAudit(t.ctx, { action: 'test.append_only', details: { b: 2, a: [1, { z: 1, y: 'é' }] } });
    await expect(sql`update audit_log set action = 'x'`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
    expect((await verifyChain(t.ctx.db)).ok).toBe(true);
  });

  it('verifies many rows written concurrently', async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => recordAudit(t.ctx, { action: 'test.concurrent', details: { i } })),
    );
    const r = await verifyChain(t.ctx.db, 7);
    expect(r.ok).toBe(true);
    expect(r.rows).toBeGreaterThanOrEqual(41);
  });

  it('names the first row changed by hand, even by a superuser', async () => {
    for (let i = 0; i < 5; i++) await recordAudit(t.ctx, { action: 'test.tamper', details: { i } });
    const rows = await t.ctx.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'test.tamper')
      .orderBy('id')
      .execute();
    const victim = rows[2]?.id as string;
    await tamper(t.ctx.db, sql`update audit_log set details = '{"i": 99}' where id = ${victim}`);
    const r = await verifyChain(t.ctx.db);
    expect(r).toMatchObject({ ok: false, firstBadId: victim });
    expect(r.problem).toMatch(/content_changed/);
  });

  it('finds a removed row by the broken link after it', async () => {
    const db = await openDatabase({ kind: 'pglite', dataDir: 'memory' });
    await migrateToLatest(db.db);
    const ctx = systemCtx({ db: db.db, clock: new FakeClock(), keyring: testKeyring() });
    for (let i = 0; i < 4; i++) await recordAudit(ctx, { action: 'test.remove', details: { i } });
    const rows = await db.db.selectFrom('audit_log').select('id').orderBy('id').execute();
    await tamper(db.db, sql`delete from audit_log where id = ${rows[1]?.id as string}`);
    const r = await verifyChain(db.db);
    expect(r).toMatchObject({ ok: false, firstBadId: rows[2]?.id });
    expect(r.problem).toMatch(/chain_break/);
    await db.close();
  });

  it('lets only the audit admin search it, and audits the search', async () => {
    await t.makeUser('auditor', ['audit_admin'], 'city');
    const { cookie } = await t.loginWithTotp('auditor');
    const r = await t.app.inject({ method: 'GET', url: '/api/audit?action=test.tamper&limit=2', headers: { cookie } });
    expect(r.statusCode).toBe(200);
    expect(r.json().items).toHaveLength(2);
    expect(r.json().nextBefore).not.toBeNull();
    const next = await t.app.inject({
      method: 'GET',
      url: `/api/audit?action=test.tamper&limit=2&before=${r.json().nextBefore}`,
      headers: { cookie },
    });
    expect(Number(next.json().items[0].id)).toBeLessThan(Number(r.json().items[1].id));
    const searched = await t.ctx.db
      .selectFrom('audit_log')
      .select('actor_name')
      .where('action', '=', 'audit.search')
      .execute();
    expect(searched.map((s) => s.actor_name)).toContain('auditor');
    const verify = await t.app.inject({ method: 'POST', url: '/api/audit/verify', headers: { cookie }, payload: {} });
    expect(verify.json().ok).toBe(false);
    await t.makeUser('sec9', ['security_admin'], 'city');
    const sec = await t.loginWithTotp('sec9');
    expect((await t.app.inject({ method: 'GET', url: '/api/audit', headers: { cookie: sec.cookie } })).statusCode).toBe(
      403,
    );
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/audit?before=1;drop', headers: { cookie } })).statusCode,
    ).toBe(400);
  });
});

describe('jiayuan audit verify (CLI)', () => {
  it('exits 0 on an intact chain and non-zero, naming the row, after tampering', async () => {
    let env: NodeJS.ProcessEnv;
    let db: Awaited<ReturnType<typeof openDatabase>>;
    let dir: string | undefined;
    if (testDbKind() === 'postgres') {
      const url = (t.database as unknown as { url: string }).url;
      env = {
        ...process.env,
        DATABASE_URL: url,
        JIAYUAN_KEYS: '',
        DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'jy-cli-')),
      };
      db = t.database;
    } else {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jy-cli-'));
      db = await openDatabase({ kind: 'pglite', dataDir: dir });
      await migrateToLatest(db.db);
      const ctx = systemCtx({ db: db.db, clock: new FakeClock(), keyring: testKeyring() });
      for (let i = 0; i < 3; i++) await recordAudit(ctx, { action: 'test.cli', details: { i } });
      await db.close();
      env = { ...process.env, DATA_DIR: dir, DATABASE_URL: '' };
    }
    if (testDbKind() === 'postgres') {
      // The shared test database already had a row changed above; use a clean one.
      const clean = await makeTestApp();
      for (let i = 0; i < 3; i++) await recordAudit(clean.ctx, { action: 'test.cli', details: { i } });
      env.DATABASE_URL = (clean.database as unknown as { url: string }).url;
      const ok = spawnSync(process.execPath, [CLI, 'audit', 'verify'], { env, encoding: 'utf8' });
      expect(ok.status, ok.stderr).toBe(0);
      const rows = await clean.ctx.db.selectFrom('audit_log').select('id').orderBy('id').execute();
      await tamper(clean.ctx.db, sql`update audit_log set success = false where id = ${rows[1]?.id as string}`);
      const bad = spawnSync(process.execPath, [CLI, 'audit', 'verify'], { env, encoding: 'utf8' });
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain(`row id ${rows[1]?.id}`);
      await clean.close();
      return;
    }
    const ok = spawnSync(process.execPath, [CLI, 'audit', 'verify'], { env, encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('3 rows');
    db = await openDatabase({ kind: 'pglite', dataDir: dir as string });
    const rows = await db.db.selectFrom('audit_log').select('id').orderBy('id').execute();
    await tamper(db.db, sql`update audit_log set action = 'test.cli.forged' where id = ${rows[1]?.id as string}`);
    await db.close();
    const bad = spawnSync(process.execPath, [CLI, 'audit', 'verify'], { env, encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(`row id ${rows[1]?.id}`);
  });
});
