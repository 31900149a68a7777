import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';

const keyColumns = [
  'k.id',
  'k.name',
  'k.jurisdiction_id',
  sql<string>`k.path::text`.as('path'),
  'k.key_prefix',
  'k.created_by',
  'k.created_at',
  'k.revoked_at',
  'j.code as jurisdiction_code',
  'j.name as jurisdiction_name',
] as const;

export type ApiKeyRow = NonNullable<Awaited<ReturnType<typeof keyById>>>;

export async function insertKey(
  db: Kysely<DB>,
  v: { name: string; jurisdictionId: string; path: string; hash: string; prefix: string; by: string | null; now: Date },
) {
  return db
    .insertInto('api_keys')
    .values({
      name: v.name,
      jurisdiction_id: v.jurisdictionId,
      path: v.path,
      key_hash: v.hash,
      key_prefix: v.prefix,
      created_by: v.by,
      created_at: v.now,
      revoked_at: null,
      revoked_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function keyById(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('api_keys as k')
    .innerJoin('jurisdictions as j', 'j.id', 'k.jurisdiction_id')
    .select(keyColumns)
    .where('k.id', '=', id)
    .executeTakeFirst();
}

/** The live key with this hash (revoked keys are not found). */
export async function activeKeyByHash(db: Kysely<DB>, hash: string) {
  return db
    .selectFrom('api_keys as k')
    .innerJoin('jurisdictions as j', 'j.id', 'k.jurisdiction_id')
    .select(keyColumns)
    .where('k.key_hash', '=', hash)
    .where('k.revoked_at', 'is', null)
    .executeTakeFirst();
}

/** Keys inside a subtree, newest first. */
export async function keysWithin(db: Kysely<DB>, scopePath: string) {
  return db
    .selectFrom('api_keys as k')
    .innerJoin('jurisdictions as j', 'j.id', 'k.jurisdiction_id')
    .select(keyColumns)
    .where(sql<boolean>`k.path <@ ${scopePath}::ltree`)
    .orderBy('k.created_at', 'desc')
    .orderBy('k.id')
    .execute();
}

export async function allKeys(db: Kysely<DB>) {
  return db
    .selectFrom('api_keys as k')
    .innerJoin('jurisdictions as j', 'j.id', 'k.jurisdiction_id')
    .select(keyColumns)
    .orderBy('k.created_at', 'desc')
    .orderBy('k.id')
    .execute();
}

/** Revokes once; false when it was already revoked. */
export async function revokeKey(db: Kysely<DB>, id: string, by: string | null, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('api_keys')
    .set({ revoked_at: now, revoked_by: by })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function jurisdictionByCode(db: Kysely<DB>, code: string) {
  return db
    .selectFrom('jurisdictions')
    .select(['id', 'code', 'name', 'level', 'status', 'parent_id', sql<string>`path::text`.as('path')])
    .where('code', '=', code)
    .executeTakeFirst();
}
