import {
  isValidPhone,
  maskAddress,
  maskedPlace,
  maskName,
  maskPhone,
  scrubText,
  type TOrganisationView,
  validateUscc,
  type ZCreateOrganisation,
  type ZOrganisationListQuery,
  type ZUpdateOrganisation,
} from '@jiayuan/contracts';
import type { z } from 'zod';
import { AppError } from '../../shared/app-error.ts';
import { type Ctx, withTx } from '../../shared/context.ts';
import { recordAudit } from '../audit/index.ts';
import { authorize } from '../identity/index.ts';
import * as q from './organisations.queries.ts';
import { attachableBuilding, attachableDwelling } from './places.service.ts';
import { uniqueViolation } from './registry.queries.ts';
import {
  attachableNode,
  decodeCursor,
  filterNode,
  inScope,
  iso,
  open,
  page,
  phoneIndex,
  reveal,
  type Scope,
  scopeFor,
  seal,
  today,
} from './registry.service.ts';

const ALL: Scope = { path: null, restricted: false };

export function presentOrg(ctx: Ctx, r: q.OrgRow): TOrganisationView {
  const phone = open(ctx.keyring, r.contact_phone_enc);
  return {
    id: r.id,
    jurisdiction: { id: r.j_id, code: r.j_code, name: r.j_name },
    name: r.name,
    uscc: r.uscc,
    category: r.category as TOrganisationView['category'],
    buildingId: r.building_id,
    dwellingId: r.dwelling_id,
    address: r.building_name
      ? maskedPlace({ complex: r.complex_name, building: r.building_name, room: r.dwelling_id ? '*' : null })
      : r.address
        ? maskAddress(r.address)
        : null,
    contactName: r.contact_name ? maskName(r.contact_name) : null,
    contactPhone: phone ? maskPhone(phone) : null,
    employees: r.employees,
    isRental: r.is_rental,
    isCatering: r.is_catering,
    hasHazardous: r.has_hazardous,
    isCrowded: r.is_crowded,
    status: r.status,
    closedOn: r.closed_on,
    createdAt: iso(r.created_at) as string,
    updatedAt: iso(r.updated_at) as string,
  };
}

function checkUscc(v: string | null | undefined): string | null | undefined {
  if (v === undefined || v === null || v === '') return v === '' ? null : v;
  const r = validateUscc(v);
  if (!r.ok) throw new AppError('invalid', r.problem);
  return r.normalized;
}

function checkPhone(v: string | null | undefined): string | null | undefined {
  if (v === undefined || v === null || v === '') return v === '' ? null : v;
  if (!isValidPhone(v)) throw new AppError('invalid', 'REGISTRY_PHONE_INVALID');
  return v;
}

async function unique<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const c = uniqueViolation(e);
    if (c !== null) throw new AppError('conflict', c.includes('uscc') ? 'REGISTRY_USCC_TAKEN' : 'REGISTRY_NAME_TAKEN');
    throw e;
  }
}

/** Where an organisation sits: a dwelling, a building, or (without either) a grid or community. */
async function placeOf(
  ctx: Ctx,
  scope: Scope,
  input: { dwellingId?: string | null; buildingId?: string | null; jurisdictionId?: string | undefined },
) {
  if (input.dwellingId) {
    const d = await attachableDwelling(ctx, scope, input.dwellingId);
    if (input.buildingId && input.buildingId !== d.building_id)
      throw new AppError('invalid', 'REGISTRY_DWELLING_MISMATCH');
    return { jurisdictionId: d.jurisdiction_id, path: d.path, buildingId: d.building_id, dwellingId: d.id };
  }
  if (input.buildingId) {
    const b = await attachableBuilding(ctx, scope, input.buildingId);
    return { jurisdictionId: b.jurisdiction_id, path: b.path, buildingId: b.id, dwellingId: null };
  }
  if (!input.jurisdictionId) throw new AppError('invalid', 'REGISTRY_PLACE_REQUIRED');
  const n = await attachableNode(ctx, scope, input.jurisdictionId, ['grid', 'community']);
  return { jurisdictionId: n.id, path: n.path, buildingId: null, dwellingId: null };
}

export async function createOrganisation(
  ctx: Ctx,
  input: z.infer<typeof ZCreateOrganisation>,
): Promise<TOrganisationView> {
  const scope = await scopeFor(ctx, 'org.write');
  const uscc = checkUscc(input.uscc) ?? null;
  const phone = checkPhone(input.contactPhone) ?? null;
  const place = await placeOf(ctx, scope, input);
  return withTx(ctx, async (tx) => {
    const { id } = await unique(() =>
      q.insertOrg(
        tx.db,
        {
          jurisdiction_id: place.jurisdictionId,
          path: place.path,
          name: input.name,
          uscc,
          category: input.category,
          building_id: place.buildingId,
          dwelling_id: place.dwellingId,
          address: input.address ? scrubText(input.address) : null,
          contact_name: input.contactName ?? null,
          contact_phone_enc: seal(ctx.keyring, phone),
          contact_phone_bix: phone ? phoneIndex(ctx.keyring, phone) : null,
          employees: input.employees ?? null,
          is_rental: input.isRental ?? false,
          is_catering: input.isCatering ?? false,
          has_hazardous: input.hasHazardous ?? false,
          is_crowded: input.isCrowded ?? false,
        },
        ctx.clock.now(),
      ),
    );
    await recordAudit(tx, { action: 'org.create', objectType: 'organisation', objectId: id, details: {} });
    return presentOrg(ctx, (await q.orgById(tx.db, id, ALL)) as q.OrgRow);
  });
}

export async function updateOrganisation(ctx: Ctx, id: string, input: z.infer<typeof ZUpdateOrganisation>) {
  const read = await scopeFor(ctx, 'org.read');
  const write = await scopeFor(ctx, 'org.write');
  const row = await q.orgById(ctx.db, id, read);
  if (!row) throw new AppError('not_found', 'REGISTRY_ORGANISATION_NOT_FOUND');
  if (!inScope(write, { path: row.path, buildingId: row.building_id }))
    throw new AppError('forbidden', 'ACCESS_FORBIDDEN');
  const uscc = checkUscc(input.uscc);
  const phone = checkPhone(input.contactPhone);
  const set: Parameters<typeof q.updateOrg>[2] = {
    name: input.name,
    uscc,
    category: input.category,
    address: input.address ? scrubText(input.address) : input.address,
    contact_name: input.contactName,
    employees: input.employees,
    is_rental: input.isRental,
    is_catering: input.isCatering,
    has_hazardous: input.hasHazardous,
    is_crowded: input.isCrowded,
  };
  if (phone !== undefined) {
    set.contact_phone_enc = seal(ctx.keyring, phone);
    set.contact_phone_bix = phone ? phoneIndex(ctx.keyring, phone) : null;
  }
  if (input.status && input.status !== row.status) {
    set.status = input.status;
    set.closed_on = input.status === 'closed' ? today(ctx) : null;
  }
  return withTx(ctx, async (tx) => {
    await unique(() => q.updateOrg(tx.db, id, set, ctx.clock.now()));
    await recordAudit(tx, {
      action: 'org.update',
      objectType: 'organisation',
      objectId: id,
      details: { fields: Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] !== undefined) },
    });
    return presentOrg(ctx, (await q.orgById(tx.db, id, ALL)) as q.OrgRow);
  });
}

export async function getOrganisation(ctx: Ctx, id: string) {
  const row = await q.orgById(ctx.db, id, await scopeFor(ctx, 'org.read'));
  if (!row) throw new AppError('not_found', 'REGISTRY_ORGANISATION_NOT_FOUND');
  return presentOrg(ctx, row);
}

export async function listOrganisations(ctx: Ctx, f: z.infer<typeof ZOrganisationListQuery>) {
  const scope = await scopeFor(ctx, 'org.read');
  const rows = await q.listOrgs(ctx.db, scope, {
    nodePath: await filterNode(ctx, f.jurisdictionId),
    buildingId: f.buildingId,
    category: f.category,
    flag: f.flag,
    status: f.status,
    afterSeq: decodeCursor(f.cursor),
    limit: f.limit,
  });
  return page(rows, f.limit, (r) => presentOrg(ctx, r));
}

/** The contact person's full phone, with a reason: permission, daily cap and audit as for residents. */
export async function revealOrganisationContact(ctx: Ctx, id: string, reason: string) {
  authorize(ctx.actor, 'person.reveal');
  const scope = await scopeFor(ctx, 'org.read');
  const r = await reveal(
    ctx,
    { objectType: 'organisation', objectId: id, field: 'contactPhone', reason, auditAction: 'org.reveal' },
    async (tx) => {
      const row = await q.orgContactPhone(tx.db, id, scope);
      if (!row) throw new AppError('not_found', 'REGISTRY_ORGANISATION_NOT_FOUND');
      return open(ctx.keyring, row.contact_phone_enc);
    },
  );
  return { field: 'contactPhone', ...r };
}
