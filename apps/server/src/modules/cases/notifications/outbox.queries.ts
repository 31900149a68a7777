import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';

export async function insertOutbox(
  db: Kysely<DB>,
  rows: {
    topic: string;
    channel: 'inapp' | 'webhook' | 'sms';
    recipientId: string | null;
    payload: unknown;
    now: Date;
  }[],
) {
  if (rows.length === 0) return;
  await db
    .insertInto('outbox')
    .values(
      rows.map((r) => ({
        topic: r.topic,
        channel: r.channel,
        recipient_id: r.recipientId,
        payload: JSON.stringify(r.payload),
        next_attempt_at: r.now,
        created_at: r.now,
      })),
    )
    .execute();
}

/** Pending messages that are due, locked for this transaction; rows another relay holds are skipped. */
export async function claimPending(db: Kysely<DB>, now: Date, limit: number) {
  return db
    .selectFrom('outbox')
    .select(['id', 'topic', 'channel', 'recipient_id', 'payload', 'attempts', 'created_at'])
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .orderBy('created_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function markDelivered(db: Kysely<DB>, id: string, now: Date, note: string | null = null) {
  await db
    .updateTable('outbox')
    .set({ status: 'delivered', delivered_at: now, last_error: note })
    .where('id', '=', id)
    .execute();
}

export async function markRetry(
  db: Kysely<DB>,
  id: string,
  f: { attempts: number; dead: boolean; retryAt: Date; error: string },
) {
  await db
    .updateTable('outbox')
    .set({
      attempts: f.attempts,
      status: f.dead ? 'failed' : 'pending',
      next_attempt_at: f.retryAt,
      last_error: f.error.slice(0, 500),
    })
    .where('id', '=', id)
    .execute();
}

export async function purgeDelivered(db: Kysely<DB>, before: Date) {
  await db
    .deleteFrom('outbox')
    .where('status', '=', 'delivered')
    .where('delivered_at', '<', before)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('notifications as n').select('n.id').whereRef('n.outbox_id', '=', 'outbox.id'))),
    )
    .execute();
}

export async function insertNotification(
  db: Kysely<DB>,
  v: { userId: string; outboxId: string; caseId: string | null; kind: string; title: string; body: string; now: Date },
) {
  await db
    .insertInto('notifications')
    .values({
      user_id: v.userId,
      outbox_id: v.outboxId,
      case_id: v.caseId,
      kind: v.kind,
      title: v.title,
      body: v.body,
      created_at: v.now,
    })
    .onConflict((oc) => oc.columns(['outbox_id', 'user_id']).doNothing())
    .execute();
}

export async function notificationsOf(db: Kysely<DB>, userId: string, unreadOnly: boolean, limit: number) {
  let q = db
    .selectFrom('notifications')
    .select(['id', 'kind', 'title', 'body', 'case_id', 'created_at', 'read_at'])
    .where('user_id', '=', userId);
  if (unreadOnly) q = q.where('read_at', 'is', null);
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export async function markRead(db: Kysely<DB>, userId: string, id: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('notifications')
    .set({ read_at: now })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
