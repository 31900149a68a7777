import { type CareTag, careTags, chinaDate, REVEALS_PER_DAY, type Role } from '@jiayuan/contracts';
import { AppError } from '../../shared/app-error.ts';
import { type Ctx, isWithin, withTx } from '../../shared/context.ts';
import { blindIndex, decrypt, encrypt, type Keyring } from '../../shared/crypto.ts';
import { recordAudit } from '../audit/index.ts';
import { type Action, authorize, can, permissions } from '../identity/index.ts';
import type { Scope } from './registry.queries.ts';
import * as q from './registry.queries.ts';

export type { Scope } from './registry.queries.ts';

// ───────────────────────────── scope ─────────────────────────────

/**
 * Roles that see or change the registry of their whole jurisdiction subtree for an action. Every other role allowed
 * the action is limited to what is assigned to it: a grid manager to the grids assigned to them (and their own grid
 * when the account sits at one), a building head to their buildings. Actions not listed here are limited by path only.
 */
const wholeScopeRoles: Partial<Record<Action, Role[]>> = {
  'resident.read': ['front_desk', 'community_worker', 'community_leader'],
  'person.write': ['community_worker', 'community_leader'],
  'place.write': ['community_worker', 'community_leader'],
  'org.write': ['community_worker', 'community_leader'],
};

/** A grid's path has five labels: city.district.street.community.grid. */
const isGridPath = (path: string) => path.split('.').length === 5;

/**
 * The scope of an action for the context's actor: 403 when no role of theirs may take it at all. Without an actor
 * (seed, CLI, jobs: never an HTTP request, which always has one) the scope is everything.
 */
export async function scopeFor(ctx: Ctx, action: Action): Promise<Scope> {
  const a = ctx.actor;
  if (!a) return { path: null, restricted: false };
  authorize(a, action);
  const whole = wholeScopeRoles[action];
  if (!whole || a.roles.some((r) => whole.includes(r))) return { path: a.scopePath, restricted: false };
  const allowed = permissions[action] as readonly Role[];
  const gridPaths: string[] = [];
  const buildingIds: string[] = [];
  if (a.roles.includes('grid_manager') && allowed.includes('grid_manager')) {
    gridPaths.push(...(await q.assignedGridPaths(ctx.db, a.userId)));
    if (isGridPath(a.scopePath)) gridPaths.push(a.scopePath);
  }
  if (a.roles.includes('building_head') && allowed.includes('building_head'))
    buildingIds.push(...(await q.assignedBuildingIds(ctx.db, a.userId)));
  return { path: a.scopePath, restricted: true, gridPaths, buildingIds };
}

/** The same test as scopeWhere, for one row in hand. */
export function inScope(s: Scope, row: { path: string; buildingId?: string | null }): boolean {
  if (s.path !== null && !isWithin(row.path, s.path)) return false;
  if (!s.restricted) return true;
  if (s.gridPaths.some((g) => isWithin(row.path, g))) return true;
  return !!row.buildingId && s.buildingIds.includes(row.buildingId);
}

/** Care tags (sensitive) are shown to and changed by the roles holding 'person.care' only. */
export const canSeeCare = (ctx: Ctx): boolean => !ctx.actor || can(ctx.actor, 'person.care');

/**
 * A jurisdiction node a new registry row may be attached to: active, of an allowed level, and inside the write
 * scope; otherwise 400 (an unknown or out-of-scope node look the same).
 */
export async function attachableNode(
  ctx: Ctx,
  scope: Scope,
  id: string,
  levels: readonly string[],
  code = 'REGISTRY_UNKNOWN_JURISDICTION',
): Promise<q.NodeRow> {
  const n = await q.nodeById(ctx.db, id);
  if (n?.status !== 'active' || !inScope(scope, { path: n.path })) throw new AppError('invalid', code);
  if (!levels.includes(n.level))
    throw new AppError('invalid', levels.includes('community') ? 'REGISTRY_LEVEL_INVALID' : 'REGISTRY_GRID_REQUIRED');
  return n;
}

/** A node to filter a list by: 404 when unknown or outside the actor's scope. */
export async function filterNode(ctx: Ctx, id: string | undefined): Promise<string | null> {
  if (!id) return null;
  const n = await q.nodeById(ctx.db, id);
  if (!n || (ctx.actor && !isWithin(n.path, ctx.actor.scopePath)))
    throw new AppError('not_found', 'REGISTRY_JURISDICTION_NOT_FOUND');
  return n.path;
}

// ───────────────────────────── time, pages ─────────────────────────────

export const today = (ctx: Ctx): string => chinaDate(ctx.clock.now());

export const encodeCursor = (v: string | number): string => Buffer.from(String(v)).toString('base64url');
export function decodeCursor(cursor: string | undefined): string | null {
  if (!cursor) return null;
  const v = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{1,18}$/.test(v)) throw new AppError('invalid', 'REGISTRY_CURSOR_INVALID');
  return v;
}

/** Rows fetched with limit + 1: the page and the cursor of the next one. */
export function page<R extends { seq: string }, T>(rows: R[], limit: number, map: (r: R) => T) {
  const more = rows.length > limit;
  const list = more ? rows.slice(0, limit) : rows;
  return { items: list.map(map), nextCursor: more ? encodeCursor((list.at(-1) as R).seq) : null };
}

export const iso = (d: Date | string | null): string | null => (d ? new Date(d).toISOString() : null);

// ───────────────────────────── protection ─────────────────────────────

/** Blind indexes: exact lookup of encrypted values (HMAC-SM3 under the keyring's index key). */
export const idIndex = (ring: Keyring, normalized: string) => blindIndex(ring, 'idno', normalized);
export const phoneIndex = (ring: Keyring, phone: string) => blindIndex(ring, 'phone', phone);
export const careIndex = (ring: Keyring, tag: CareTag) => blindIndex(ring, 'care', tag);

export const seal = (ring: Keyring, v: string | null | undefined): string | null =>
  v === null || v === undefined ? null : encrypt(ring, v);
export const open = (ring: Keyring, v: string | null): string | null => (v === null ? null : decrypt(ring, v));

/** Care tags in canonical order, sealed as one JSON value; the blind indexes let lists filter by tag. */
export function sealCare(ring: Keyring, tags: readonly CareTag[]): { enc: string | null; bix: string[] } {
  const list = careTags.filter((t) => tags.includes(t));
  return list.length === 0
    ? { enc: null, bix: [] }
    : { enc: encrypt(ring, JSON.stringify(list)), bix: list.map((t) => careIndex(ring, t)) };
}
export const openCare = (ring: Keyring, enc: string | null): CareTag[] =>
  enc ? (JSON.parse(decrypt(ring, enc)) as CareTag[]) : [];

// ───────────────────────────── reveal cap ─────────────────────────────

/** Minutes until midnight in China: when the daily reveal count starts again. */
const minutesToMidnight = (now: Date): number => {
  const local = new Date(now.getTime() + 8 * 3600_000);
  const seconds = local.getUTCHours() * 3600 + local.getUTCMinutes() * 60 + local.getUTCSeconds();
  return Math.max(1, Math.ceil((86400 - seconds) / 60));
};

/**
 * Reveals one full value: checks the daily cap (REVEALS_PER_DAY per user per China calendar day), logs the reveal
 * and audits it with its reason, all in one transaction; `load` reads the value (in scope, else it throws 404).
 * A refused reveal is audited too, as a failure.
 */
export async function reveal(
  ctx: Ctx,
  target: { objectType: string; objectId: string; field: string; reason: string; auditAction: string },
  load: (tx: Ctx) => Promise<string | null>,
): Promise<{ value: string | null; remainingToday: number }> {
  const actor = ctx.actor;
  if (!actor) throw new AppError('unauthenticated', 'AUTH_REQUIRED');
  const day = today(ctx);
  const outcome = await withTx(ctx, async (tx) => {
    const value = await load(tx);
    await q.lockRevealsOf(tx.db, actor.userId);
    const used = await q.revealsOn(tx.db, actor.userId, day);
    if (used >= REVEALS_PER_DAY) return { limited: true as const };
    await q.insertReveal(tx.db, { userId: actor.userId, day, at: ctx.clock.now(), ...target });
    await recordAudit(tx, {
      action: target.auditAction,
      objectType: target.objectType,
      objectId: target.objectId,
      reason: target.reason,
      details: { field: target.field, countToday: used + 1 },
    });
    return { limited: false as const, value, remainingToday: REVEALS_PER_DAY - used - 1 };
  });
  if (outcome.limited) {
    await recordAudit(ctx, {
      action: target.auditAction,
      objectType: target.objectType,
      objectId: target.objectId,
      success: false,
      reason: target.reason,
      details: { field: target.field, refused: 'daily_limit' },
    });
    throw new AppError('too_many', 'REGISTRY_REVEAL_LIMIT', {
      params: { limit: REVEALS_PER_DAY, minutes: minutesToMidnight(ctx.clock.now()) },
    });
  }
  return { value: outcome.value, remainingToday: outcome.remainingToday };
}
