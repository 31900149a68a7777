import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

export async function findKey(db: Kysely<DB>, principal: string, key: string) {
  return db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'status', 'response_status', 'response_body', 'created_at', 'expires_at'])
    .where('principal', '=', principal)
    .where('key', '=', key)
    .executeTakeFirst();
}

/** Claims a key for one request; false when another request holds or finished it. */
export async function claimKey(
  db: Kysely<DB>,
  v: { principal: string; key: string; hash: string; now: Date; expiresAt: Date },
): Promise<boolean> {
  const r = await db
    .insertInto('idempotency_keys')
    .values({
      principal: v.principal,
      key: v.key,
      request_hash: v.hash,
      status: 'in_flight',
      response_status: null,
      response_body: null,
      created_at: v.now,
      expires_at: v.expiresAt,
    })
    .onConflict((oc) => oc.columns(['principal', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return r !== undefined;
}

/** Takes over a claim left in flight by a request that died (crash, timeout) before it finished. */
export async function takeOverStale(
  db: Kysely<DB>,
  v: { principal: string; key: string; hash: string; staleBefore: Date; now: Date; expiresAt: Date },
): Promise<boolean> {
  const r = await db
    .updateTable('idempotency_keys')
    .set({ created_at: v.now, expires_at: v.expiresAt })
    .where('principal', '=', v.principal)
    .where('key', '=', v.key)
    .where('request_hash', '=', v.hash)
    .where('status', '=', 'in_flight')
    .where('created_at', '<', v.staleBefore)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function completeKey(db: Kysely<DB>, principal: string, key: string, status: number, body: unknown) {
  await db
    .updateTable('idempotency_keys')
    .set({ status: 'done', response_status: status, response_body: JSON.stringify(body) })
    .where('principal', '=', principal)
    .where('key', '=', key)
    .execute();
}

export async function releaseKey(db: Kysely<DB>, principal: string, key: string) {
  await db
    .deleteFrom('idempotency_keys')
    .where('principal', '=', principal)
    .where('key', '=', key)
    .where('status', '=', 'in_flight')
    .execute();
}

export async function purgeExpired(db: Kysely<DB>, now: Date) {
  await db.deleteFrom('idempotency_keys').where('expires_at', '<', now).execute();
}
