import { randomBytes } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import type { Ctx } from '../shared/context.ts';
import type { Keyring } from '../shared/crypto.ts';
import * as q from './runner.queries.ts';

/**
 * The jobs runner (ARCHITECTURE.md): a `jobs` table in the application database, claimed with
 * `SELECT … FOR UPDATE SKIP LOCKED`. The handler runs inside the claiming transaction, so its database effects
 * commit together with the job's `done` mark, exactly once, even with several processes. A failing handler is rolled
 * back to a savepoint and the job retried later with backoff. Cron ticks are jobs too: each process inserts the tick of
 * the current slot with a unique key and `ON CONFLICT DO NOTHING`, so a slot runs once however many processes tick.
 *
 * PGlite traps: the handler must use the context it is given (touching the pool inside the transaction waits for
 * ever on PGlite's single connection), and the loop yields to the event loop between batches so HTTP requests are
 * not starved while it drains.
 */
export type JobInfo = { id: string; name: string; attempts: number; runAt: Date };
export type JobHandler = (ctx: Ctx, payload: unknown, job: JobInfo) => Promise<void>;
export type JobDefinition = {
  name: string;
  handler: JobHandler;
  /** A cron tick every so many ms (one job per slot, deduplicated across processes). */
  everyMs?: number;
  maxAttempts?: number;
};

export type RunnerOptions = {
  db: Kysely<DB>;
  clock: Clock;
  keyring: Keyring;
  jobs: readonly JobDefinition[];
  workerId?: string;
  /** Jobs run per batch before the loop yields. */
  batchSize?: number;
  /** Sleep when nothing is due. */
  idleMs?: number;
  log?: { error(obj: object, msg: string): void; info?(obj: object, msg: string): void };
};

export type JobRunner = {
  /** Inserts the current slot's tick of every scheduled job (no-op for slots already there). */
  scheduleTicks(): Promise<void>;
  /** Runs up to `max` due jobs, one transaction each; returns how many ran. */
  runBatch(max?: number): Promise<number>;
  /** Ticks and runs until nothing is due (tests, CLI). */
  drain(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
};

const backoffMs = (attempts: number) => Math.min(60 * 60_000, 2 ** attempts * 5_000);

export function createJobRunner(opts: RunnerOptions): JobRunner {
  const defs = new Map(opts.jobs.map((j) => [j.name, j]));
  const names = [...defs.keys()];
  const workerId = opts.workerId ?? `w-${process.pid}-${randomBytes(3).toString('hex')}`;
  const batchSize = opts.batchSize ?? 20;
  const idleMs = opts.idleMs ?? 1000;
  let stopped = true;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;

  const baseCtx = (db: Kysely<DB>, jobId: string): Ctx => ({
    db,
    actor: null,
    clock: opts.clock,
    keyring: opts.keyring,
    requestId: `job-${jobId}`,
    ip: null,
    lang: 'zh-CN',
  });

  async function scheduleTicks() {
    const now = opts.clock.now().getTime();
    for (const d of defs.values()) {
      if (!d.everyMs) continue;
      const slot = Math.floor(now / d.everyMs) * d.everyMs;
      await q.insertJob(opts.db, {
        name: d.name,
        key: `tick:${d.name}:${new Date(slot).toISOString()}`,
        payload: {},
        runAt: new Date(slot),
        maxAttempts: d.maxAttempts ?? 3,
      });
    }
  }

  async function runOne(): Promise<boolean> {
    if (names.length === 0) return false;
    return opts.db.transaction().execute(async (trx) => {
      const now = opts.clock.now();
      const job = await q.claimNext(trx, now, names, workerId);
      if (!job) return false;
      const def = defs.get(job.name) as JobDefinition;
      await q.savepoint(trx, 'savepoint');
      try {
        await def.handler(baseCtx(trx, job.id), job.payload, {
          id: job.id,
          name: job.name,
          attempts: job.attempts,
          runAt: new Date(job.run_at),
        });
        await q.savepoint(trx, 'release savepoint');
        await q.markDone(trx, job.id, opts.clock.now());
      } catch (e) {
        await q.savepoint(trx, 'rollback to savepoint');
        const attempts = job.attempts + 1;
        const dead = attempts >= job.max_attempts;
        opts.log?.error({ job: job.name, id: job.id, attempts, dead, errType: (e as Error)?.name }, 'job failed');
        await q.markFailed(trx, job.id, {
          attempts,
          dead,
          retryAt: new Date(now.getTime() + backoffMs(attempts)),
          error: `${(e as Error)?.name ?? 'Error'}: ${(e as Error)?.message ?? String(e)}`,
          now: opts.clock.now(),
        });
      }
      return true;
    });
  }

  async function runBatch(max = batchSize) {
    let n = 0;
    while (n < max && (await runOne())) n++;
    return n;
  }

  async function drain() {
    let total = 0;
    await scheduleTicks();
    for (;;) {
      const n = await runBatch();
      total += n;
      if (n === 0) return total;
      await yieldToEventLoop();
    }
  }

  async function run() {
    while (!stopped) {
      let n = 0;
      try {
        await scheduleTicks();
        n = await runBatch();
      } catch (e) {
        // The database may be down for a while (RL-6): log, wait, try again.
        opts.log?.error({ errType: (e as Error)?.name, code: (e as { code?: string })?.code }, 'job loop error');
      }
      await yieldToEventLoop();
      if (n === 0 && !stopped)
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, idleMs);
          wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
      wake = null;
    }
  }

  return {
    scheduleTicks,
    runBatch,
    drain,
    start() {
      if (!stopped) return;
      stopped = false;
      loop = run();
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      loop = null;
    },
  };
}

/** Queues a job in the caller's transaction (so it exists exactly when the change that wants it commits). */
export async function enqueueJob(
  ctx: Ctx,
  j: { name: string; payload?: unknown; runAt?: Date; key?: string; maxAttempts?: number },
): Promise<boolean> {
  return q.insertJob(ctx.db, {
    name: j.name,
    key: j.key ?? null,
    payload: j.payload ?? {},
    runAt: j.runAt ?? ctx.clock.now(),
    maxAttempts: j.maxAttempts ?? 5,
  });
}

/** Deletes finished jobs after 7 days. */
export const jobsCleanup: JobDefinition = {
  name: 'jobs.cleanup',
  everyMs: 3600_000,
  handler: async (ctx) => {
    await q.purgeFinished(ctx.db, new Date(ctx.clock.now().getTime() - 7 * 86_400_000));
  },
};
