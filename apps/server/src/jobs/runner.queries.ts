import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema.ts';

/** Inserts a job; with a key, a second insert of the same key does nothing (cron ticks, deduplicated work). */
export async function insertJob(
  db: Kysely<DB>,
  j: { name: string; key: string | null; payload: unknown; runAt: Date; maxAttempts: number },
): Promise<boolean> {
  const r = await db
    .insertInto('jobs')
    .values({
      name: j.name,
      key: j.key,
      payload: JSON.stringify(j.payload ?? {}),
      run_at: j.runAt,
      max_attempts: j.maxAttempts,
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

/** The next due job among `names`, locked for this transaction; rows other runners hold are skipped. */
export async function claimNext(db: Kysely<DB>, now: Date, names: readonly string[], workerId: string) {
  const row = await db
    .selectFrom('jobs')
    .select(['id', 'name', 'payload', 'attempts', 'max_attempts', 'run_at'])
    .where('status', '=', 'queued')
    .where('run_at', '<=', now)
    .where('name', 'in', names)
    .orderBy('run_at')
    .orderBy('id')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
  if (row) await db.updateTable('jobs').set({ locked_by: workerId }).where('id', '=', row.id).execute();
  return row;
}

export async function markDone(db: Kysely<DB>, id: string, now: Date) {
  await db.updateTable('jobs').set({ status: 'done', finished_at: now }).where('id', '=', id).execute();
}

export async function markFailed(
  db: Kysely<DB>,
  id: string,
  f: { attempts: number; dead: boolean; retryAt: Date; error: string; now: Date },
) {
  await db
    .updateTable('jobs')
    .set({
      attempts: f.attempts,
      status: f.dead ? 'failed' : 'queued',
      run_at: f.retryAt,
      last_error: f.error.slice(0, 500),
      finished_at: f.dead ? f.now : null,
    })
    .where('id', '=', id)
    .execute();
}

export async function savepoint(db: Kysely<DB>, op: 'savepoint' | 'release savepoint' | 'rollback to savepoint') {
  await sql.raw(`${op} job_handler`).execute(db);
}

/** Finished jobs older than `before` go; queued ones stay. */
export async function purgeFinished(db: Kysely<DB>, before: Date): Promise<number> {
  const r = await db
    .deleteFrom('jobs')
    .where('status', '<>', 'queued')
    .where('finished_at', '<', before)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function jobCounts(db: Kysely<DB>) {
  return db
    .selectFrom('jobs')
    .select(['name', 'status', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy(['name', 'status'])
    .execute();
}
