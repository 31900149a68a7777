import type { Language, Role } from '@jiayuan/contracts';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import type { Keyring } from './crypto.ts';

/** Who is acting. `scopePath` is the ltree path of their jurisdiction node: their scope is that subtree. */
export type Actor = {
  userId: string;
  username: string;
  displayName: string;
  roles: Role[];
  jurisdictionId: string;
  scopePath: string;
  sessionId: string | null;
};

/** What every service takes. `db` is the pool, or the transaction when inside one. */
export type Ctx = {
  db: Kysely<DB>;
  actor: Actor | null;
  clock: Clock;
  keyring: Keyring;
  requestId: string;
  ip: string | null;
  lang: Language;
  /**
   * Inside a transaction opened by withTx: work to run as the transaction's last statements, just before COMMIT.
   * The audit chain uses it, so its lock is held for the commit only, not for the whole transaction.
   */
  beforeCommit?: (() => Promise<void>)[];
};

/** Runs fn in a transaction (or in the one ctx already holds). A 2xx is only sent after this returns. */
export async function withTx<T>(ctx: Ctx, fn: (tx: Ctx) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return fn(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const beforeCommit: (() => Promise<void>)[] = [];
    const result = await fn({ ...ctx, db: trx, beforeCommit });
    for (const hook of beforeCommit) await hook();
    return result;
  });
}

/** A context for the CLI and jobs: no HTTP request behind it. */
export function systemCtx(base: Omit<Ctx, 'actor' | 'requestId' | 'ip' | 'lang'>, actor: Actor | null = null): Ctx {
  return { ...base, actor, requestId: `cli-${Date.now().toString(36)}`, ip: null, lang: 'zh-CN' };
}

export const isWithin = (path: string, scopePath: string): boolean =>
  path === scopePath || path.startsWith(`${scopePath}.`);
