import crypto from 'node:crypto';
import type { Ctx } from '../../../shared/context.ts';
import { decrypt, type Keyring } from '../../../shared/crypto.ts';
import * as q from './outbox.queries.ts';

/**
 * The transactional outbox (SECURITY.md RL-4). Services write messages in the same transaction as the change they
 * announce; the relay job delivers them at least once: in-app rows (deduplicated by outbox id, so a redelivery adds
 * nothing), a webhook signed with HMAC-SHA256, and SMS through a provider interface (a logging one by default).
 * Consumers of the webhook drop duplicates by the `x-jiayuan-event-id` header.
 */
export type Notice = {
  topic: string;
  /** A stable key the web app can localise (case.dispatched, case.warning, …). */
  kind: string;
  caseId: string | null;
  title: string;
  body: string;
  /** Users who get it in-app. */
  recipients: readonly (string | null | undefined)[];
  /** Data for the webhook (no personal data). */
  data?: Record<string, unknown>;
  /** An SMS to a phone kept encrypted; decrypted only at delivery. */
  sms?: { phoneEnc: string; text: string };
  /** Also tell the actor (a receipt for their own report). */
  includeActor?: boolean;
};

/** Writes a notice into the outbox, in the caller's transaction. The actor is never notified of their own step. */
export async function notify(ctx: Ctx, n: Notice): Promise<void> {
  const now = ctx.clock.now();
  const self = n.includeActor ? undefined : ctx.actor?.userId;
  const users = [...new Set(n.recipients.filter((u): u is string => !!u && u !== self))];
  const inapp = { kind: n.kind, caseId: n.caseId, title: n.title, body: n.body };
  await q.insertOutbox(ctx.db, [
    ...users.map((u) => ({ topic: n.topic, channel: 'inapp' as const, recipientId: u, payload: inapp, now })),
    {
      topic: n.topic,
      channel: 'webhook' as const,
      recipientId: null,
      payload: { kind: n.kind, caseId: n.caseId, at: now.toISOString(), ...(n.data ?? {}) },
      now,
    },
    ...(n.sms
      ? [
          {
            topic: n.topic,
            channel: 'sms' as const,
            recipientId: null,
            payload: { phoneEnc: n.sms.phoneEnc, text: n.sms.text },
            now,
          },
        ]
      : []),
  ]);
}

// ——— channels ———

export interface SmsProvider {
  readonly name: string;
  send(to: string, text: string): Promise<void>;
}

/** Logs the message with the phone masked; the default until a real gateway is configured. */
export function loggingSmsProvider(log: (obj: object, msg: string) => void = () => {}): SmsProvider {
  return {
    name: 'log',
    async send(to, text) {
      log({ to: `${to.slice(0, 3)}****${to.slice(-4)}`, length: text.length }, 'sms (logging provider)');
    },
  };
}

export type WebhookConfig = { url: string; secret: string; timeoutMs?: number };

/** `x-jiayuan-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, Stripe-style. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  const mac = crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

export function verifyWebhookSignature(
  secret: string,
  header: string,
  body: string,
  toleranceS = 300,
  nowS = Date.now() / 1000,
) {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
  const t = Number(parts.t);
  if (!Number.isFinite(t) || Math.abs(nowS - t) > toleranceS || !parts.v1) return false;
  const expected = Buffer.from(signWebhook(secret, t, body).split('v1=')[1] as string, 'hex');
  const got = Buffer.from(parts.v1, 'hex');
  return got.length === expected.length && crypto.timingSafeEqual(got, expected);
}

export type RelayOptions = {
  webhook?: WebhookConfig;
  sms: SmsProvider;
  fetch?: typeof fetch;
  batchSize?: number;
  maxAttempts?: number;
};

const backoffMs = (attempts: number) => Math.min(6 * 3600_000, 2 ** attempts * 10_000);

async function deliverWebhook(
  cfg: WebhookConfig,
  f: typeof fetch,
  id: string,
  topic: string,
  payload: unknown,
  now: Date,
) {
  const body = JSON.stringify({ id, topic, payload });
  const ts = Math.floor(now.getTime() / 1000);
  const res = await f(cfg.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-jiayuan-event-id': id,
      'x-jiayuan-signature': signWebhook(cfg.secret, ts, body),
    },
    body,
    signal: AbortSignal.timeout(cfg.timeoutMs ?? 5000),
  });
  if (!res.ok) throw new Error(`webhook answered ${res.status}`);
}

/** Delivers due outbox messages; runs inside the claiming job's transaction. */
export async function relayOutbox(ctx: Ctx, opts: RelayOptions): Promise<number> {
  const now = ctx.clock.now();
  const rows = await q.claimPending(ctx.db, now, opts.batchSize ?? 100);
  const f = opts.fetch ?? fetch;
  for (const r of rows) {
    const p = r.payload as Record<string, unknown>;
    try {
      if (r.channel === 'inapp') {
        if (r.recipient_id)
          await q.insertNotification(ctx.db, {
            userId: r.recipient_id,
            outboxId: r.id,
            caseId: (p.caseId as string | null) ?? null,
            kind: String(p.kind),
            title: String(p.title),
            body: String(p.body),
            now,
          });
        await q.markDelivered(ctx.db, r.id, now);
      } else if (r.channel === 'webhook') {
        if (!opts.webhook) {
          await q.markDelivered(ctx.db, r.id, now, 'no webhook configured');
          continue;
        }
        await deliverWebhook(opts.webhook, f, r.id, r.topic, p, now);
        await q.markDelivered(ctx.db, r.id, now);
      } else {
        await opts.sms.send(decrypt(ctx.keyring as Keyring, String(p.phoneEnc)), String(p.text));
        await q.markDelivered(ctx.db, r.id, now);
      }
    } catch (e) {
      const attempts = r.attempts + 1;
      await q.markRetry(ctx.db, r.id, {
        attempts,
        dead: attempts >= (opts.maxAttempts ?? 10),
        retryAt: new Date(now.getTime() + backoffMs(attempts)),
        error: (e as Error)?.message ?? String(e),
      });
    }
  }
  return rows.length;
}

export async function purgeOutbox(ctx: Ctx): Promise<void> {
  await q.purgeDelivered(ctx.db, new Date(ctx.clock.now().getTime() - 7 * 86_400_000));
}
