import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** Serialises writers of the chain for the rest of the transaction (released at COMMIT/ROLLBACK). */
export const AUDIT_CHAIN_LOCK = 730_600_001;

export async function lockChain(db: Kysely<DB>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(db);
}

export async function lastHash(db: Kysely<DB>): Promise<string | null> {
  const row = await db.selectFrom('audit_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row?.hash ?? null;
}

export type AuditInsert = {
  at: Date;
  actor_id: string | null;
  actor_name: string | null;
  actor_roles: string[];
  actor_path: string | null;
  ip: string | null;
  request_id: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  success: boolean;
  reason: string | null;
  details: string;
  prev_hash: string;
  hash: string;
};

export async function insertAudit(db: Kysely<DB>, row: AuditInsert): Promise<string> {
  const r = await db.insertInto('audit_log').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function auditBatchAfter(db: Kysely<DB>, afterId: string, limit: number) {
  return db.selectFrom('audit_log').selectAll().where('id', '>', afterId).orderBy('id', 'asc').limit(limit).execute();
}

export type AuditFilter = {
  action?: string | undefined;
  actor?: string | undefined;
  objectId?: string | undefined;
  success?: boolean | undefined;
  from?: string | undefined;
  to?: string | undefined;
  before?: string | undefined;
  limit: number;
};

export async function searchAudit(db: Kysely<DB>, f: AuditFilter) {
  let q = db.selectFrom('audit_log').selectAll();
  if (f.action) q = q.where('action', 'like', `${f.action.replace(/[%_\\]/g, '\\$&')}%`);
  if (f.actor) q = q.where('actor_name', '=', f.actor);
  if (f.objectId) q = q.where('object_id', '=', f.objectId);
  if (f.success !== undefined) q = q.where('success', '=', f.success);
  if (f.from) q = q.where('at', '>=', new Date(f.from));
  if (f.to) q = q.where('at', '<', new Date(f.to));
  if (f.before) q = q.where('id', '<', f.before);
  return q.orderBy('id', 'desc').limit(f.limit).execute();
}
