import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrateToLatest, openDatabase } from '../src/db/database.ts';
import { adminUrl, TEMPLATE_DB, testDbKind, urlFor } from './db.ts';

/**
 * Migrates once, into a template every test file clones. With CI=true an unreachable PostgreSQL fails the run
 * instead of skipping it.
 */
export default async function setup(project: TestProject) {
  if (testDbKind() === 'postgres') {
    const admin = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 5000 });
    try {
      await admin.connect();
    } catch (e) {
      throw new Error(`PostgreSQL at ${adminUrl()} is unreachable: ${(e as Error).message}`);
    }
    await admin.query(`drop database if exists ${TEMPLATE_DB} with (force)`);
    await admin.query(`create database ${TEMPLATE_DB}`);
    await admin.end();
    const db = await openDatabase({ kind: 'postgres', url: urlFor(TEMPLATE_DB), poolMax: 1 });
    await migrateToLatest(db.db);
    await db.close();
    return async () => {
      const a = new pg.Client({ connectionString: adminUrl() });
      await a.connect();
      const left = await a.query<{ datname: string }>("select datname from pg_database where datname like 'jy_t_%'");
      for (const r of left.rows)
        await a.query(`drop database if exists ${r.datname} with (force)`).catch(() => undefined);
      await a.end();
    };
  }
  const db = await openDatabase({ kind: 'pglite', dataDir: 'memory' });
  await migrateToLatest(db.db);
  const blob = await db.pglite?.dumpDataDir('none');
  await db.close();
  if (!blob) return;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jy-tpl-')), 'template.tar');
  fs.writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
  project.provide('pgliteTemplate', file);
  return () => fs.rmSync(path.dirname(file), { recursive: true, force: true });
}
