import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type Config, openDatabase } from '@jiayuan/server';

/**
 * Embedded: a consistent copy of the PGlite data directory (PGlite's own dump), taken while holding the data-dir
 * lock, so no server writes meanwhile. PostgreSQL: pg_dump's custom format.
 */
export async function backup(config: Config, file: string): Promise<string> {
  const target = path.resolve(file);
  if (config.databaseUrl) {
    const r = spawnSync('pg_dump', ['--format=custom', '--no-owner', `--file=${target}`, config.databaseUrl], {
      stdio: 'inherit',
    });
    if (r.status !== 0) throw new Error('pg_dump failed 备份失败');
    return `PostgreSQL → ${target}`;
  }
  const database = await openDatabase({ kind: 'pglite', dataDir: config.dataDir });
  try {
    const blob = await database.pglite?.dumpDataDir('gzip');
    if (!blob) throw new Error('no embedded database');
    fs.writeFileSync(target, Buffer.from(await blob.arrayBuffer()), { mode: 0o600 });
    return `PGlite ${config.dataDir} → ${target} (${blob.size} bytes)`;
  } finally {
    await database.close();
  }
}

/** Replaces the database with the backup. The embedded data directory is kept aside as pglite.before-restore-<time>. */
export async function restore(config: Config, file: string): Promise<string> {
  const source = path.resolve(file);
  if (!fs.existsSync(source)) throw new Error(`找不到备份文件 backup file not found: ${source}`);
  if (config.databaseUrl) {
    const r = spawnSync(
      'pg_restore',
      ['--clean', '--if-exists', '--no-owner', `--dbname=${config.databaseUrl}`, source],
      {
        stdio: 'inherit',
      },
    );
    if (r.status !== 0) throw new Error('pg_restore failed 恢复失败');
    return `${source} → PostgreSQL`;
  }
  const dir = path.join(config.dataDir, 'pglite');
  // Opening first proves no server holds the data directory (it throws DataDirLockedError otherwise).
  const aside = `${dir}.before-restore-${Date.now()}`;
  const probe = await openDatabase({ kind: 'pglite', dataDir: config.dataDir });
  await probe.close();
  if (fs.existsSync(dir)) fs.renameSync(dir, aside);
  const blob = new Blob([fs.readFileSync(source)]);
  const database = await openDatabase({ kind: 'pglite', dataDir: config.dataDir, loadDataDir: blob });
  await database.close();
  return `${source} → PGlite ${config.dataDir}${fs.existsSync(aside) ? ` (previous data kept in ${aside})` : ''}`;
}
