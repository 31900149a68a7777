import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { type Database, openDatabase } from '../src/db/database.ts';

export const TEMPLATE_DB = 'jy_template';
declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}
export const templateDumpPath = (): string => inject('pgliteTemplate') ?? '';

export const testDbKind = (): 'postgres' | 'pglite' => (process.env.JY_TEST_DB === 'postgres' ? 'postgres' : 'pglite');

export function adminUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

export function urlFor(dbName: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${dbName}`;
  return u.toString();
}

/**
 * A migrated database of its own for one test file: on PostgreSQL a clone of the migrated template database, on
 * PGlite an in-memory engine loaded from the migrated template dump. Tests build their own data; nothing is shared.
 */
export async function freshDatabase(): Promise<Database & { name: string; url?: string }> {
  if (testDbKind() === 'postgres') {
    const name = `jy_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    try {
      await admin.query(`create database ${name} template ${TEMPLATE_DB}`);
    } finally {
      await admin.end();
    }
    const url = urlFor(name);
    const database = await openDatabase({ kind: 'postgres', url, poolMax: 10 });
    const close = database.close;
    return {
      ...database,
      name,
      url,
      close: async () => {
        await close();
        const a = new pg.Client({ connectionString: adminUrl() });
        await a.connect();
        await a.query(`drop database if exists ${name} with (force)`).catch(() => undefined);
        await a.end();
      },
    };
  }
  const dump = templateDumpPath();
  const loadDataDir = dump && fs.existsSync(dump) ? new Blob([fs.readFileSync(dump)]) : undefined;
  const database = await openDatabase({ kind: 'pglite', dataDir: 'memory', ...(loadDataDir ? { loadDataDir } : {}) });
  return { ...database, name: 'memory' };
}
