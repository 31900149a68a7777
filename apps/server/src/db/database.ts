import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { ltree } from '@electric-sql/pglite/contrib/ltree';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './data-lock.ts';
import { migrations } from './migrations/index.ts';
import type { DB } from './schema.ts';

// bigint (int8) as string so ids never lose precision; numeric as string.
pg.types.setTypeParser(20, (v) => v);

export type DatabaseKind = 'pglite' | 'postgres';

export type Database = {
  kind: DatabaseKind;
  db: Kysely<DB>;
  pool: pg.Pool;
  /** The embedded engine, when there is one (backup uses it). */
  pglite?: PGlite;
  close(): Promise<void>;
};

export type OpenOptions =
  | { kind: 'postgres'; url: string; poolMax?: number; statementTimeoutMs?: number }
  | { kind: 'pglite'; dataDir: string | 'memory'; lock?: boolean; loadDataDir?: Blob };

export const pgliteExtensions = { ltree, pg_trgm, citext };

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolMax ?? 20,
      // A stopped database answers within seconds, not never (SECURITY.md RL-6).
      connectionTimeoutMillis: 5000,
      statement_timeout: opts.statementTimeoutMs ?? 30000,
      idle_in_transaction_session_timeout: 60000,
    });
    pool.on('error', () => {
      /* a dropped idle connection is replaced on next use */
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return {
      kind: 'postgres',
      db,
      pool,
      close: async () => {
        await db.destroy();
      },
    };
  }
  let release: (() => void) | undefined;
  let dir: string | undefined;
  if (opts.dataDir !== 'memory') {
    if (opts.lock !== false) release = lockDataDir(opts.dataDir);
    dir = path.join(opts.dataDir, 'pglite');
  }
  try {
    const pglite = await PGlite.create({
      ...(dir ? { dataDir: dir } : {}),
      extensions: pgliteExtensions,
      ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
    });
    const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return {
      kind: 'pglite',
      db,
      pool,
      pglite,
      close: async () => {
        await db.destroy();
        await pglite.close();
        release?.();
      },
    };
  } catch (e) {
    release?.();
    throw e;
  }
}

export async function migrateToLatest(db: Kysely<DB>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function currentMigration(db: Kysely<DB>): Promise<string | null> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const list = await migrator.getMigrations();
  return list.filter((m) => m.executedAt).at(-1)?.name ?? null;
}
