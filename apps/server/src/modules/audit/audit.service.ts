import type { TAuditEntry } from '@jiayuan/contracts';
import type { Kysely, Selectable } from 'kysely';
import type { AuditLogTable, DB } from '../../db/schema.ts';
import { type Ctx, withTx } from '../../shared/context.ts';
import { type ChainedContent, canonicalJson, chainHash, GENESIS_HASH } from './audit.chain.ts';
import * as q from './audit.queries.ts';

export type AuditRecord = {
  action: string;
  objectType?: string | null;
  objectId?: string | null;
  success?: boolean;
  reason?: string | null;
  details?: Record<string, unknown>;
  /** For events with no signed-in actor yet (a failed sign-in): who it concerns. */
  actorOverride?: { id: string | null; name: string | null; roles?: string[]; path?: string | null };
};

/**
 * Appends one row to the audit chain, in the caller's transaction: if the change rolls back, so does its audit
 * row, and if the audit write fails the change fails with it (fail closed).
 */
export async function recordAudit(ctx: Ctx, rec: AuditRecord): Promise<void> {
  const a = ctx.actor;
  const content: ChainedContent = {
    at: ctx.clock.now(),
    actorId: rec.actorOverride ? rec.actorOverride.id : (a?.userId ?? null),
    actorName: rec.actorOverride ? rec.actorOverride.name : (a?.username ?? null),
    actorRoles: rec.actorOverride ? (rec.actorOverride.roles ?? []) : (a?.roles ?? []),
    actorPath: rec.actorOverride ? (rec.actorOverride.path ?? null) : (a?.scopePath ?? null),
    ip: ctx.ip,
    requestId: ctx.requestId,
    action: rec.action,
    objectType: rec.objectType ?? null,
    objectId: rec.objectId ?? null,
    success: rec.success ?? true,
    reason: rec.reason ?? null,
    details: JSON.parse(canonicalJson(rec.details ?? {})) as unknown,
  };
  // In a withTx transaction the rows are chained just before COMMIT, so the chain's lock serialises commits only,
  // not whole transactions.
  if (ctx.db.isTransaction && ctx.beforeCommit) {
    let queue = pending.get(ctx.beforeCommit);
    if (!queue) {
      const q: ChainedContent[] = [];
      pending.set(ctx.beforeCommit, q);
      ctx.beforeCommit.push(() => appendChained(ctx.db, q));
      queue = q;
    }
    queue.push(content);
    return;
  }
  await withTx(ctx, (tx) => appendChained(tx.db, [content]));
}

const pending = new WeakMap<object, ChainedContent[]>();

async function appendChained(db: Kysely<DB>, rows: ChainedContent[]): Promise<void> {
  if (rows.length === 0) return;
  await q.lockChain(db);
  let prev = (await q.lastHash(db)) ?? GENESIS_HASH;
  for (const content of rows) {
    const hash = chainHash(prev, content);
    await q.insertAudit(db, {
      at: content.at,
      actor_id: content.actorId,
      actor_name: content.actorName,
      actor_roles: content.actorRoles,
      actor_path: content.actorPath,
      ip: content.ip,
      request_id: content.requestId,
      action: content.action,
      object_type: content.objectType,
      object_id: content.objectId,
      success: content.success,
      reason: content.reason,
      details: JSON.stringify(content.details),
      prev_hash: prev,
      hash,
    });
    prev = hash;
  }
  rows.length = 0;
}

type Row = Selectable<AuditLogTable>;

const contentOf = (r: Row) => ({
  at: new Date(r.at),
  actorId: r.actor_id,
  actorName: r.actor_name,
  actorRoles: r.actor_roles,
  actorPath: r.actor_path,
  ip: r.ip,
  requestId: r.request_id,
  action: r.action,
  objectType: r.object_type,
  objectId: r.object_id,
  success: r.success,
  reason: r.reason,
  details: r.details,
});

export type VerifyResult = { ok: boolean; rows: number; firstBadId: string | null; problem: string | null };

/**
 * Recomputes the whole chain. Any row changed (content ≠ its hash) or removed or inserted (its prev_hash ≠ the hash
 * of the row before it) is found, even when done by a superuser with the trigger disabled.
 */
export async function verifyChain(db: Kysely<DB>, batch = 5000): Promise<VerifyResult> {
  let prev = GENESIS_HASH;
  let after = '0';
  let rows = 0;
  for (;;) {
    const list = await q.auditBatchAfter(db, after, batch);
    if (list.length === 0) break;
    for (const r of list) {
      rows++;
      if (r.prev_hash !== prev)
        return {
          ok: false,
          rows,
          firstBadId: String(r.id),
          problem: 'chain_break: a row before it was removed, added or changed',
        };
      const h = chainHash(prev, contentOf(r));
      if (h !== r.hash)
        return {
          ok: false,
          rows,
          firstBadId: String(r.id),
          problem: 'content_changed: the row does not match its hash',
        };
      prev = r.hash;
      after = String(r.id);
    }
  }
  return { ok: true, rows, firstBadId: null, problem: null };
}

export async function searchAudit(
  ctx: Ctx,
  f: q.AuditFilter,
): Promise<{ items: TAuditEntry[]; nextBefore: string | null }> {
  const rows = await q.searchAudit(ctx.db, f);
  const items = rows.map((r) => ({
    id: String(r.id),
    at: new Date(r.at).toISOString(),
    actorId: r.actor_id,
    actorName: r.actor_name,
    actorRoles: r.actor_roles,
    ip: r.ip,
    requestId: r.request_id,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    success: r.success,
    reason: r.reason,
    details: r.details,
  }));
  return { items, nextBefore: items.length === f.limit ? (items.at(-1)?.id ?? null) : null };
}
