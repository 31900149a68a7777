import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from './data-lock.ts';
import { openDatabase } from './database.ts';

const CLI = path.resolve(import.meta.dirname, '../../../cli/bin/jiayuan.mjs');

describe('the embedded data directory lock', () => {
  it('stops a second process at once with a clear message and a non-zero exit', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jy-lock-'));
    const db = await openDatabase({ kind: 'pglite', dataDir: dir });
    try {
      const started = Date.now();
      const r = spawnSync(process.execPath, [CLI, 'migrate'], {
        env: { ...process.env, DATA_DIR: dir, DATABASE_URL: '' },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('正被另一个 Jiayuan 进程');
      expect(r.stderr).toContain(String(process.pid));
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      await db.close();
    }
    expect(fs.existsSync(path.join(dir, 'jiayuan.lock'))).toBe(false);
  });

  it('takes over the lock of a process that died without releasing it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jy-lock-'));
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    fs.writeFileSync(path.join(dir, 'jiayuan.lock'), dead.stdout);
    const release = lockDataDir(dir);
    expect(fs.readFileSync(path.join(dir, 'jiayuan.lock'), 'utf8')).toBe(String(process.pid));
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    release();
  });
});
