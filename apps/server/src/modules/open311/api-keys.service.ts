import { AppError } from '../../shared/app-error.ts';
import { type Actor, type Ctx, isWithin, withTx } from '../../shared/context.ts';
import { randomToken, sha256 } from '../../shared/crypto.ts';
import { type AuditRecord, recordAudit } from '../audit/index.ts';
import { authorize } from '../identity/index.ts';
import * as q from './api-keys.queries.ts';
import './open311.messages.ts';

/**
 * API keys of integrating parties (a FixMyStreet installation, a city platform). A key is 32 random bytes
 * (base64url) behind the prefix `jy311_`; only its SHA-256 is stored, and the key is shown once, at creation. Each
 * key is scoped to a jurisdiction node: everything it does or reads stays inside that subtree.
 */
export const KEY_PREFIX = 'jy311_';

export type ApiKeyView = {
  id: string;
  name: string;
  prefix: string;
  jurisdictionId: string;
  jurisdictionCode: string;
  jurisdictionName: string;
  createdAt: string;
  revokedAt: string | null;
};

/** The key an Open311 call authenticated with. */
export type ApiPrincipal = { id: string; name: string; jurisdictionId: string; jurisdictionCode: string; path: string };

const view = (k: q.ApiKeyRow): ApiKeyView => ({
  id: k.id,
  name: k.name,
  prefix: k.key_prefix,
  jurisdictionId: k.jurisdiction_id,
  jurisdictionCode: k.jurisdiction_code,
  jurisdictionName: k.jurisdiction_name,
  createdAt: new Date(k.created_at).toISOString(),
  revokedAt: k.revoked_at ? new Date(k.revoked_at).toISOString() : null,
});

/** The CLI acts without a signed-in user: its audit rows say so. */
const cliActor = (ctx: Ctx): Pick<AuditRecord, 'actorOverride'> =>
  ctx.actor ? {} : { actorOverride: { id: null, name: 'cli', roles: [], path: null } };

async function create(ctx: Ctx, input: { name: string; jurisdictionCode: string }) {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 60)
    throw new AppError('invalid', 'OPEN311_PARAM_INVALID', { params: { name: 'name' } });
  const j = await q.jurisdictionByCode(ctx.db, input.jurisdictionCode.trim());
  if (!j || (ctx.actor && !isWithin(j.path, ctx.actor.scopePath)))
    throw new AppError('not_found', 'OPEN311_JURISDICTION_NOT_FOUND');
  if (j.status !== 'active') throw new AppError('invalid', 'OPEN311_KEY_JURISDICTION_INVALID');
  const key = `${KEY_PREFIX}${randomToken(32)}`;
  return withTx(ctx, async (tx) => {
    const { id } = await q.insertKey(tx.db, {
      name,
      jurisdictionId: j.id,
      path: j.path,
      hash: sha256(key),
      prefix: key.slice(0, KEY_PREFIX.length + 6),
      by: ctx.actor?.userId ?? null,
      now: ctx.clock.now(),
    });
    await recordAudit(tx, {
      action: 'open311.key.create',
      objectType: 'api_key',
      objectId: id,
      details: { name, jurisdiction: j.code },
      ...cliActor(ctx),
    });
    return { key, apiKey: view((await q.keyById(tx.db, id)) as q.ApiKeyRow) };
  });
}

/** Creates a key in the actor's scope (system administrators). The answer holds the key: show it once. */
export async function createApiKey(ctx: Ctx, input: { name: string; jurisdictionCode: string }) {
  authorize(ctx.actor, 'open311.key.manage');
  return create(ctx, input);
}

/** For the CLI (`jiayuan keys create`): whoever runs it on the server may create any key. */
export async function createApiKeyUnchecked(ctx: Ctx, input: { name: string; jurisdictionCode: string }) {
  return create({ ...ctx, actor: null }, input);
}

async function revoke(ctx: Ctx, id: string) {
  return withTx(ctx, async (tx) => {
    const k = await q.keyById(tx.db, id);
    if (!k || (ctx.actor && !isWithin(k.path, (ctx.actor as Actor).scopePath)))
      throw new AppError('not_found', 'OPEN311_KEY_NOT_FOUND');
    if (!(await q.revokeKey(tx.db, id, ctx.actor?.userId ?? null, ctx.clock.now())))
      throw new AppError('conflict', 'OPEN311_KEY_ALREADY_REVOKED');
    await recordAudit(tx, {
      action: 'open311.key.revoke',
      objectType: 'api_key',
      objectId: id,
      details: { name: k.name, jurisdiction: k.jurisdiction_code },
      ...cliActor(ctx),
    });
    return view((await q.keyById(tx.db, id)) as q.ApiKeyRow);
  });
}

export async function revokeApiKey(ctx: Ctx, id: string) {
  authorize(ctx.actor, 'open311.key.manage');
  return revoke(ctx, id);
}

export async function revokeApiKeyUnchecked(ctx: Ctx, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('not_found', 'OPEN311_KEY_NOT_FOUND');
  return revoke({ ...ctx, actor: null }, id);
}

export async function listApiKeys(ctx: Ctx): Promise<ApiKeyView[]> {
  authorize(ctx.actor, 'open311.key.manage');
  return (await q.keysWithin(ctx.db, (ctx.actor as Actor).scopePath)).map(view);
}

export async function listApiKeysUnchecked(ctx: Ctx): Promise<ApiKeyView[]> {
  return (await q.allKeys(ctx.db)).map(view);
}

/** The live key presented, or null (unknown, malformed or revoked). */
export async function authenticate(ctx: Ctx, presented: string | undefined): Promise<ApiPrincipal | null> {
  if (!presented || presented.length > 200) return null;
  const k = await q.activeKeyByHash(ctx.db, sha256(presented));
  if (!k) return null;
  return {
    id: k.id,
    name: k.name,
    jurisdictionId: k.jurisdiction_id,
    jurisdictionCode: k.jurisdiction_code,
    path: k.path,
  };
}
