import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { type Database, migrateToLatest, openDatabase } from './db/database.ts';
import { buildApp } from './http/app.ts';
import { createJobRunner } from './jobs/runner.ts';
import { scheduledJobs } from './jobs/schedule.ts';
import { demoBanner, seedDemo } from './modules/demo/index.ts';
import { type Clock, systemClock } from './shared/clock.ts';
import { systemCtx } from './shared/context.ts';
import { type Keyring, loadKeyring } from './shared/crypto.ts';

export type Runtime = { database: Database; keyring: Keyring; clock: Clock };

/** Opens the configured database (PGlite in DATA_DIR when there is no DATABASE_URL) and migrates it. */
export async function openRuntime(config: Config, opts: { migrate?: boolean } = {}): Promise<Runtime> {
  const database = config.databaseUrl
    ? await openDatabase({
        kind: 'postgres',
        url: config.databaseUrl,
        poolMax: config.poolMax,
        statementTimeoutMs: config.statementTimeoutMs,
      })
    : await openDatabase({ kind: 'pglite', dataDir: config.dataDir });
  try {
    if (opts.migrate !== false) await migrateToLatest(database.db);
    return { database, keyring: loadKeyring(config.keys, config.dataDir), clock: systemClock };
  } catch (e) {
    await database.close();
    throw e;
  }
}

export async function startServer(config: Config, out: (s: string) => void = console.log): Promise<FastifyInstance> {
  const rt = await openRuntime(config);
  if (rt.database.kind === 'pglite' && config.seedDemo) {
    const users = await rt.database.db.selectFrom('users').select('id').limit(1).execute();
    if (users.length === 0) {
      out('首次启动：正在生成演示城市（岳阳市）… First start: seeding the demo city (Yueyang)…');
      const seeded = await seedDemo(systemCtx({ db: rt.database.db, clock: rt.clock, keyring: rt.keyring }));
      if (seeded.created) out(demoBanner(seeded.accounts));
    }
  }
  const app = await buildApp({ database: rt.database, config, clock: rt.clock, keyring: rt.keyring });
  app.addHook('onClose', async () => {
    await rt.database.close();
  });
  if (config.jobsEnabled) {
    const runner = createJobRunner({
      db: rt.database.db,
      clock: rt.clock,
      keyring: rt.keyring,
      jobs: scheduledJobs(config, (obj, msg) => app.log.info(obj, msg)),
      log: app.log,
    });
    runner.start();
    app.addHook('preClose', async () => runner.stop());
  }
  await app.listen({ port: config.port, host: config.host });
  out(
    `家园 Jiayuan 已启动 · listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port} (${rt.database.kind})`,
  );

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const timer = setTimeout(() => {
      app.log.error('shutdown grace period over; exiting');
      process.exit(1);
    }, config.shutdownGraceMs);
    timer.unref();
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  return app;
}
