import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDbKind } from '../../test/db.ts';

const CLI = path.resolve(import.meta.dirname, '../../../cli/bin/jiayuan.mjs');

async function waitFor(url: string, ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer`);
}

const exited = (p: ChildProcess) => new Promise<number | null>((resolve) => p.once('exit', (code) => resolve(code)));

describe.runIf(testDbKind() === 'pglite')('graceful shutdown', () => {
  it('finishes the request in flight, then exits 0 and releases the data directory', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jy-stop-'));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child = spawn(process.execPath, [CLI, 'start'], {
      env: {
        ...process.env,
        DATA_DIR: dir,
        PORT: String(port),
        DATABASE_URL: '',
        LOG_LEVEL: 'warn',
        WEB_DIST: '/none',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d) => {
      out += String(d);
    });
    child.stderr?.on('data', (d) => {
      err += String(d);
    });
    const done = exited(child);
    await waitFor(`http://127.0.0.1:${port}/api/health`, 60_000);
    expect(out).toContain('Demo#Jiayuan2026');
    // A sign-in takes a while (argon2id): send it, then SIGTERM while it runs.
    const inflight = fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'demo.grid_manager', password: 'Demo#Jiayuan2026' }),
    });
    await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGTERM');
    const res = await inflight;
    expect(res.status).toBe(200);
    expect(await done, out + err).toBe(0);
    expect(fs.existsSync(path.join(dir, 'jiayuan.lock'))).toBe(false);
    // The demo is seeded once: a second start on the same directory prints no credentials.
    const again = spawn(process.execPath, [CLI, 'start'], {
      env: {
        ...process.env,
        DATA_DIR: dir,
        PORT: String(port),
        DATABASE_URL: '',
        LOG_LEVEL: 'warn',
        WEB_DIST: '/none',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out2 = '';
    again.stdout?.on('data', (d) => {
      out2 += String(d);
    });
    const done2 = exited(again);
    await waitFor(`http://127.0.0.1:${port}/api/health`, 60_000);
    again.kill('SIGINT');
    expect(await done2).toBe(0);
    expect(out2).not.toContain('Demo#Jiayuan2026');
  });
});
