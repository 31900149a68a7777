import type { FastifyReply, FastifyRequest } from 'fastify';
import { canonicalJson } from '../modules/audit/index.ts';
import { type Ctx, withTx } from '../shared/context.ts';
import { sha256 } from '../shared/crypto.ts';
import { defineMessages } from '../shared/messages.ts';
import { sendError } from './error-handler.ts';
import * as q from './idempotency.queries.ts';

/**
 * Idempotency keys for POSTs that create something (SECURITY.md RL-3, after draft-ietf-httpapi-idempotency-key-header):
 * - the same key with the same request answers the stored response (marked `idempotent-replayed: true`);
 * - the same key with a different request answers 422; while the first request is still running, 409;
 * - a missing key where one is required answers 400.
 * The key is claimed before the work starts and completed, with the response, in the same transaction as the
 * business rows: either both commit or neither does (a failed request releases its key, so a retry runs again).
 * Keys are kept 7 days (offline mobile sync); the cleanup job removes them after.
 */
export const IDEMPOTENCY_TTL_MS = 7 * 86_400_000;
/** A claim older than this with no answer belongs to a request that died; a retry may take it over. */
const STALE_MS = 60_000;
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

defineMessages({
  IDEMPOTENCY_KEY_REQUIRED: {
    zh: '请求须带 Idempotency-Key 头（1–255 个可见 ASCII 字符）',
    en: 'This request needs an Idempotency-Key header (1–255 visible ASCII characters)',
  },
  IDEMPOTENCY_KEY_REUSED: {
    zh: '该 Idempotency-Key 已用于内容不同的请求',
    en: 'This Idempotency-Key was already used for a different request',
  },
  IDEMPOTENCY_IN_FLIGHT: {
    zh: '使用该 Idempotency-Key 的请求正在处理中，请稍后重试',
    en: 'A request with this Idempotency-Key is still being processed; retry shortly',
  },
});

export type IdempotentResult<T> = { status: number; body: T };

/**
 * Runs `work` once per (principal, key). Returns the body to send (the reply's status is set), or the reply itself
 * when an error answer was sent; route handlers return what this returns.
 */
export async function idempotent<T>(
  req: FastifyRequest,
  reply: FastifyReply,
  work: (tx: Ctx) => Promise<IdempotentResult<T>>,
  opts: { required?: boolean; principal?: string } = {},
): Promise<T> {
  const sent = (r: FastifyReply) => r as unknown as T;
  const header = req.headers['idempotency-key'];
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined) {
    if (opts.required) return sent(await sendError(req, reply, 400, 'IDEMPOTENCY_KEY_REQUIRED'));
    const r = await withTx(req.ctx, work);
    reply.code(r.status);
    return r.body;
  }
  if (!KEY_FORMAT.test(key)) return sent(await sendError(req, reply, 400, 'IDEMPOTENCY_KEY_REQUIRED'));
  const ctx = req.ctx;
  // Callers authenticated otherwise than by a session (an Open311 API key) name their own principal.
  const principal = opts.principal ?? (ctx.actor ? `user:${ctx.actor.userId}` : `ip:${ctx.ip ?? 'unknown'}`);
  const hash = sha256(
    canonicalJson({
      method: req.method,
      route: req.routeOptions.url,
      params: req.params ?? {},
      body: req.body ?? null,
    }),
  );
  for (let attempt = 0; ; attempt++) {
    const now = ctx.clock.now();
    const expiresAt = new Date(now.getTime() + IDEMPOTENCY_TTL_MS);
    const existing = await q.findKey(ctx.db, principal, key);
    if (existing && new Date(existing.expires_at) < now) {
      await q.purgeExpired(ctx.db, now);
      continue;
    }
    if (existing) {
      if (existing.request_hash !== hash) return sent(await sendError(req, reply, 422, 'IDEMPOTENCY_KEY_REUSED'));
      if (existing.status === 'done') {
        reply.code(existing.response_status ?? 200).header('idempotent-replayed', 'true');
        return existing.response_body as T;
      }
      const stale = new Date(now.getTime() - STALE_MS);
      if (
        new Date(existing.created_at) >= stale ||
        !(await q.takeOverStale(ctx.db, { principal, key, hash, staleBefore: stale, now, expiresAt }))
      )
        return sent(await sendError(req, reply, 409, 'IDEMPOTENCY_IN_FLIGHT'));
    } else if (!(await q.claimKey(ctx.db, { principal, key, hash, now, expiresAt }))) {
      if (attempt < 2) continue;
      return sent(await sendError(req, reply, 409, 'IDEMPOTENCY_IN_FLIGHT'));
    }
    break;
  }
  try {
    const r = await withTx(ctx, async (tx) => {
      const out = await work(tx);
      // JSON round trip: what is stored is exactly what a replay will send.
      const body = JSON.parse(JSON.stringify(out.body)) as T;
      await q.completeKey(tx.db, principal, key, out.status, body);
      return { status: out.status, body };
    });
    reply.code(r.status);
    return r.body;
  } catch (e) {
    await q.releaseKey(ctx.db, principal, key).catch(() => undefined);
    throw e;
  }
}

/** Removes keys past their 7 days; runs as a job. */
export async function purgeIdempotencyKeys(ctx: Ctx): Promise<void> {
  await q.purgeExpired(ctx.db, ctx.clock.now());
}
