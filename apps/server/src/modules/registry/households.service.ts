import {
  maskedPlace,
  maskName,
  type THouseholdView,
  type ZCreateHousehold,
  type ZHouseholdListQuery,
  type ZUpdateHousehold,
} from '@jiayuan/contracts';
import type { z } from 'zod';
import { AppError } from '../../shared/app-error.ts';
import { type Ctx, withTx } from '../../shared/context.ts';
import { recordAudit } from '../audit/index.ts';
import { attachableDwelling } from './places.service.ts';
import { uniqueViolation } from './registry.queries.ts';
import {
  attachableNode,
  decodeCursor,
  filterNode,
  inScope,
  iso,
  page,
  type Scope,
  scopeFor,
} from './registry.service.ts';
import * as q from './residents.queries.ts';

const ALL: Scope = { path: null, restricted: false };

export const presentHousehold = (r: q.HouseholdRow): THouseholdView => ({
  id: r.id,
  jurisdiction: { id: r.j_id, code: r.j_code, name: r.j_name },
  number: r.number,
  dwellingId: r.dwelling_id,
  address: maskedPlace({ complex: r.complex_name, building: r.building_name, room: r.room }),
  headResidentId: r.head_resident_id,
  headName: r.head_name ? maskName(r.head_name) : null,
  memberCount: r.member_count,
  createdAt: iso(r.created_at) as string,
  updatedAt: iso(r.updated_at) as string,
});

async function unique<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (uniqueViolation(e) !== null) throw new AppError('conflict', 'REGISTRY_HOUSEHOLD_NUMBER_TAKEN');
    throw e;
  }
}

async function placeOf(ctx: Ctx, scope: Scope, dwellingId: string | null | undefined, jurisdictionId?: string) {
  if (dwellingId) {
    const d = await attachableDwelling(ctx, scope, dwellingId);
    return { jurisdictionId: d.jurisdiction_id, path: d.path, dwellingId: d.id, buildingId: d.building_id };
  }
  if (!jurisdictionId) throw new AppError('invalid', 'REGISTRY_PLACE_REQUIRED');
  const n = await attachableNode(ctx, scope, jurisdictionId, ['grid', 'community']);
  return { jurisdictionId: n.id, path: n.path, dwellingId: null, buildingId: null };
}

/** A household (户): its number, where it lives; members join it with their relation to the head. */
export async function createHousehold(ctx: Ctx, input: z.infer<typeof ZCreateHousehold>): Promise<THouseholdView> {
  const scope = await scopeFor(ctx, 'person.write');
  return withTx(ctx, async (tx) => {
    const place = await placeOf(tx, scope, input.dwellingId, input.jurisdictionId);
    const { id } = await unique(() =>
      q.insertHousehold(
        tx.db,
        {
          jurisdictionId: place.jurisdictionId,
          path: place.path,
          number: input.number,
          dwellingId: place.dwellingId,
          buildingId: place.buildingId,
        },
        ctx.clock.now(),
      ),
    );
    await recordAudit(tx, { action: 'household.create', objectType: 'household', objectId: id, details: {} });
    return presentHousehold((await q.householdById(tx.db, id, ALL)) as q.HouseholdRow);
  });
}

export async function updateHousehold(ctx: Ctx, id: string, input: z.infer<typeof ZUpdateHousehold>) {
  const read = await scopeFor(ctx, 'resident.read');
  const write = await scopeFor(ctx, 'person.write');
  const row = await q.householdById(ctx.db, id, read);
  if (!row) throw new AppError('not_found', 'REGISTRY_HOUSEHOLD_NOT_FOUND');
  if (!inScope(write, { path: row.path, buildingId: row.building_id }))
    throw new AppError('forbidden', 'ACCESS_FORBIDDEN');
  return withTx(ctx, async (tx) => {
    const now = ctx.clock.now();
    const set: Parameters<typeof q.updateHousehold>[2] = {};
    if (input.number !== undefined) set.number = input.number;
    if (input.dwellingId !== undefined && input.dwellingId !== row.dwelling_id) {
      const place = await placeOf(tx, write, input.dwellingId, input.dwellingId ? undefined : row.jurisdiction_id);
      Object.assign(set, {
        dwelling_id: place.dwellingId,
        building_id: place.buildingId,
        jurisdiction_id: place.jurisdictionId,
        path: place.path,
      });
    }
    if (input.headResidentId !== undefined && input.headResidentId !== row.head_resident_id) {
      if (input.headResidentId) {
        const member = await q.residentById(tx.db, input.headResidentId, ALL);
        if (!member || member.household_id !== id || member.status !== 'active')
          throw new AppError('invalid', 'REGISTRY_UNKNOWN_RESIDENT');
        await moveHeadRelation(tx, row.head_resident_id, input.headResidentId, now);
      }
      set.head_resident_id = input.headResidentId;
    }
    await unique(() => q.updateHousehold(tx.db, id, set, now));
    await recordAudit(tx, {
      action: 'household.update',
      objectType: 'household',
      objectId: id,
      details: { fields: Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] !== undefined) },
    });
    return presentHousehold((await q.householdById(tx.db, id, ALL)) as q.HouseholdRow);
  });
}

/** A new head becomes 'self'; the former head, still a member, becomes 'other_relative'. Both go to the history. */
async function moveHeadRelation(ctx: Ctx, oldHead: string | null, newHead: string, now: Date) {
  const actor = { id: ctx.actor?.userId ?? null, name: ctx.actor?.username ?? null };
  const change = async (residentId: string, relation: string) => {
    const r = await q.residentById(ctx.db, residentId, ALL);
    if (!r || r.relation_to_head === relation) return;
    await q.updateResident(ctx.db, residentId, { relation_to_head: relation }, now);
    await q.insertHistory(ctx.db, residentId, actor, now, [
      { field: 'relationToHead', before: r.relation_to_head, after: relation, protection: 'plain' },
    ]);
  };
  if (oldHead) {
    const old = await q.residentById(ctx.db, oldHead, ALL);
    if (old?.status === 'active' && old.relation_to_head === 'self') await change(oldHead, 'other_relative');
  }
  await change(newHead, 'self');
}

export async function getHousehold(ctx: Ctx, id: string) {
  const row = await q.householdById(ctx.db, id, await scopeFor(ctx, 'resident.read'));
  if (!row) throw new AppError('not_found', 'REGISTRY_HOUSEHOLD_NOT_FOUND');
  return presentHousehold(row);
}

export async function listHouseholds(ctx: Ctx, f: z.infer<typeof ZHouseholdListQuery>) {
  const scope = await scopeFor(ctx, 'resident.read');
  const rows = await q.listHouseholds(ctx.db, scope, {
    nodePath: await filterNode(ctx, f.jurisdictionId),
    dwellingId: f.dwellingId,
    afterSeq: decodeCursor(f.cursor),
    limit: f.limit,
  });
  return page(rows, f.limit, presentHousehold);
}
