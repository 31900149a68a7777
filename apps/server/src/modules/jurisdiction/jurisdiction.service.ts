import { codeLengthFor, type JurisdictionLevel, jurisdictionLevels, type TJurisdictionNode } from '@jiayuan/contracts';
import { AppError } from '../../shared/app-error.ts';
import { type Actor, type Ctx, isWithin, withTx } from '../../shared/context.ts';
import { recordAudit } from '../audit/index.ts';
import { authorize } from '../identity/index.ts';
import * as q from './jurisdiction.queries.ts';

/**
 * Tables that store a copy of a jurisdiction path (`path ltree`) on each scoped row. Moving a node rewrites the
 * paths in all of them in the same transaction, so scope filters never see a stale path. Modules add theirs.
 */
export const scopedTables: string[] = [];
export const registerScopedTable = (table: string) => {
  if (!scopedTables.includes(table)) scopedTables.push(table);
};

type NodeRow = NonNullable<Awaited<ReturnType<typeof q.nodeById>>>;

export const present = (r: NodeRow): TJurisdictionNode => ({
  id: r.id,
  code: r.code,
  name: r.name,
  level: r.level,
  parentId: r.parent_id,
  path: r.path,
  status: r.status,
  retiredAt: r.retired_at ? new Date(r.retired_at).toISOString() : null,
  childCount: r.child_count,
});

const childLevel = (level: JurisdictionLevel): JurisdictionLevel | null =>
  jurisdictionLevels[jurisdictionLevels.indexOf(level) + 1] ?? null;

/** GB/T 2260 style: a district shares the city's first 4 digits; lower levels extend their parent's code. */
export function codeFitsParent(code: string, parent: { code: string; level: JurisdictionLevel }): boolean {
  const level = childLevel(parent.level);
  if (!level || code.length !== codeLengthFor[level] || !/^\d+$/.test(code)) return false;
  if (level === 'district') return code.startsWith(parent.code.slice(0, 4)) && code !== parent.code;
  return code.startsWith(parent.code);
}

/** A node the actor may see; 404 for anything outside their subtree. */
async function visibleNode(ctx: Ctx, id: string): Promise<NodeRow> {
  authorize(ctx.actor, 'jurisdiction.read');
  const n = await q.nodeById(ctx.db, id);
  if (!n || !isWithin(n.path, (ctx.actor as Actor).scopePath))
    throw new AppError('not_found', 'JURISDICTION_NOT_FOUND');
  return n;
}

export async function getNode(ctx: Ctx, id: string): Promise<TJurisdictionNode> {
  return present(await visibleNode(ctx, id));
}

/** Children of a node, or (no parent given) the root of the actor's scope. */
export async function listChildren(
  ctx: Ctx,
  parentId: string | undefined,
  includeRetired: boolean,
): Promise<TJurisdictionNode[]> {
  authorize(ctx.actor, 'jurisdiction.read');
  if (!parentId) {
    const root = await q.nodeById(ctx.db, (ctx.actor as Actor).jurisdictionId);
    return root ? [present(root)] : [];
  }
  await visibleNode(ctx, parentId);
  return (await q.children(ctx.db, parentId, includeRetired)).map(present);
}

export async function createNode(ctx: Ctx, input: { parentId: string; code: string; name: string }) {
  authorize(ctx.actor, 'jurisdiction.manage');
  const parent = await visibleNode(ctx, input.parentId);
  if (parent.status !== 'active') throw new AppError('conflict', 'JURISDICTION_RETIRED');
  const level = childLevel(parent.level);
  if (!level) throw new AppError('invalid', 'JURISDICTION_LEVEL_INVALID');
  if (!codeFitsParent(input.code, parent))
    throw new AppError('invalid', 'JURISDICTION_CODE_MISMATCH', { params: { length: codeLengthFor[level] } });
  return withTx(ctx, async (tx) => {
    if (await q.nodeByCode(tx.db, input.code)) throw new AppError('conflict', 'JURISDICTION_CODE_TAKEN');
    const { id } = await q.insertNode(tx.db, {
      code: input.code,
      name: input.name,
      level,
      parentId: parent.id,
      path: `${parent.path}.${input.code}`,
      now: ctx.clock.now(),
    });
    await recordAudit(tx, {
      action: 'jurisdiction.create',
      objectType: 'jurisdiction',
      objectId: id,
      details: { code: input.code, name: input.name, level, parent: parent.code },
    });
    return present((await q.nodeById(tx.db, id)) as NodeRow);
  });
}

/** The root node of a tree: only from the CLI or the seed (no admin's scope covers a new city). */
export async function createCityUnchecked(ctx: Ctx, input: { code: string; name: string }) {
  return withTx(ctx, async (tx) => {
    if (await q.nodeByCode(tx.db, input.code)) throw new AppError('conflict', 'JURISDICTION_CODE_TAKEN');
    const { id } = await q.insertNode(tx.db, {
      code: input.code,
      name: input.name,
      level: 'city',
      parentId: null,
      path: input.code,
      now: ctx.clock.now(),
    });
    await recordAudit(tx, { action: 'jurisdiction.create', objectType: 'jurisdiction', objectId: id, details: input });
    return present((await q.nodeById(tx.db, id)) as NodeRow);
  });
}

export async function renameNode(ctx: Ctx, id: string, name: string) {
  authorize(ctx.actor, 'jurisdiction.manage');
  const n = await visibleNode(ctx, id);
  if (n.status !== 'active') throw new AppError('conflict', 'JURISDICTION_RETIRED');
  return withTx(ctx, async (tx) => {
    await q.renameNode(tx.db, id, name, ctx.clock.now());
    await recordAudit(tx, {
      action: 'jurisdiction.rename',
      objectType: 'jurisdiction',
      objectId: id,
      details: { before: n.name, after: name },
    });
    return present((await q.nodeById(tx.db, id)) as NodeRow);
  });
}

export async function moveTargets(ctx: Ctx, id: string) {
  const n = await visibleNode(ctx, id);
  const parentLevel = jurisdictionLevels[jurisdictionLevels.indexOf(n.level) - 1];
  if (!parentLevel) return [];
  const list = await q.nodesOfLevel(ctx.db, (ctx.actor as Actor).scopePath, parentLevel);
  return list.filter((p) => p.id !== n.parent_id).map(present);
}

export async function moveNode(ctx: Ctx, id: string, newParentId: string) {
  authorize(ctx.actor, 'jurisdiction.manage');
  const n = await visibleNode(ctx, id);
  const parent = await visibleNode(ctx, newParentId);
  if (
    n.level === 'city' ||
    parent.status !== 'active' ||
    n.status !== 'active' ||
    childLevel(parent.level) !== n.level ||
    isWithin(parent.path, n.path)
  )
    throw new AppError('invalid', 'JURISDICTION_MOVE_INVALID');
  if (parent.id === n.parent_id) return present(n);
  return withTx(ctx, async (tx) => {
    for (const table of ['jurisdictions', ...scopedTables]) await q.moveSubtree(tx.db, table, n.path, parent.path);
    await q.setParent(tx.db, id, parent.id, ctx.clock.now());
    await recordAudit(tx, {
      action: 'jurisdiction.move',
      objectType: 'jurisdiction',
      objectId: id,
      details: { from: n.path, toParent: parent.code },
    });
    return present((await q.nodeById(tx.db, id)) as NodeRow);
  });
}

/** Retire, never delete, once anything refers to a node: its history stays readable. */
export async function retireNode(ctx: Ctx, id: string, reason: string) {
  authorize(ctx.actor, 'jurisdiction.manage');
  const n = await visibleNode(ctx, id);
  if (n.status === 'retired') throw new AppError('conflict', 'JURISDICTION_RETIRED');
  if (n.id === (ctx.actor as Actor).jurisdictionId) throw new AppError('invalid', 'JURISDICTION_MOVE_INVALID');
  if ((await q.activeChildCount(ctx.db, id)) > 0) throw new AppError('conflict', 'JURISDICTION_HAS_ACTIVE_CHILDREN');
  return withTx(ctx, async (tx) => {
    await q.retireNode(tx.db, id, reason, ctx.clock.now());
    await recordAudit(tx, { action: 'jurisdiction.retire', objectType: 'jurisdiction', objectId: id, reason });
    return present((await q.nodeById(tx.db, id)) as NodeRow);
  });
}

export const countNodes = q.countNodes;
export const nodeByCode = async (ctx: Ctx, code: string) => {
  const n = await q.nodeByCode(ctx.db, code);
  return n ? present(n) : null;
};
