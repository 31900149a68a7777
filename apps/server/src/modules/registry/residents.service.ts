import {
  ageOn,
  careTags as allCareTags,
  type CareTag,
  EARLIEST_BIRTH_DATE,
  type IdType,
  isRealDate,
  isValidPhone,
  maskAddress,
  maskedPlace,
  maskIdNumber,
  maskName,
  maskPhone,
  normalizeDocumentNumber,
  PHONE_PATTERN,
  type RelationToHead,
  type ResidenceType,
  scrubText,
  type TCreateResident,
  type TResidentView,
  type TUpdateResident,
  validateDocument,
  type ZEndResidence,
  type ZFloatingQuery,
  type ZResidentListQuery,
  type ZResidentSearchQuery,
} from '@jiayuan/contracts';
import type { z } from 'zod';
import { AppError } from '../../shared/app-error.ts';
import { type Ctx, withTx } from '../../shared/context.ts';
import { decrypt, encrypt } from '../../shared/crypto.ts';
import { recordAudit } from '../audit/index.ts';
import { authorize } from '../identity/index.ts';
import { attachableDwelling } from './places.service.ts';
import { uniqueViolation } from './registry.queries.ts';
import {
  attachableNode,
  canSeeCare,
  careIndex,
  decodeCursor,
  encodeCursor,
  filterNode,
  idIndex,
  inScope,
  iso,
  open,
  openCare,
  page,
  phoneIndex,
  reveal,
  type Scope,
  scopeFor,
  seal,
  sealCare,
  today,
} from './registry.service.ts';
import * as q from './residents.queries.ts';

const ALL: Scope = { path: null, restricted: false };

// ───────────────────────────── presenting (always masked) ─────────────────────────────

export function presentResident(ctx: Ctx, r: q.ResidentRow, seeCare: boolean): TResidentView {
  const phone = open(ctx.keyring, r.phone_enc);
  return {
    id: r.id,
    jurisdiction: { id: r.j_id, code: r.j_code, name: r.j_name },
    name: maskName(r.name),
    idType: r.id_type,
    idNumber: maskIdNumber(decrypt(ctx.keyring, r.id_number_enc)),
    sex: r.sex,
    age: r.birth_date ? ageOn(r.birth_date, today(ctx)) : null,
    phone: phone ? maskPhone(phone) : null,
    householdId: r.household_id,
    relationToHead: r.relation_to_head as RelationToHead | null,
    dwellingId: r.dwelling_id,
    buildingId: r.building_id,
    address: maskedPlace({ complex: r.complex_name, building: r.building_name, unit: r.unit_name, room: r.room }),
    registeredPlace: r.registered_place ? maskAddress(r.registered_place) : null,
    residenceType: r.residence_type,
    arrivedOn: r.arrived_on,
    expectedLeaveOn: r.expected_leave_on,
    residenceRegisteredOn: r.residence_registered_on,
    separated: r.separated,
    careTags: seeCare ? openCare(ctx.keyring, r.care_tags_enc) : null,
    note: r.note ? scrubText(r.note) : null,
    status: r.status,
    endReason: r.end_reason,
    endedOn: r.ended_on,
    createdAt: iso(r.created_at) as string,
    updatedAt: iso(r.updated_at) as string,
  };
}

// ───────────────────────────── validation ─────────────────────────────

type PersonFields = {
  idType: IdType;
  idNumber: string;
  sex: 'M' | 'F' | null;
  birthDate: string | null;
  phone: string | null;
  residenceType: ResidenceType;
  arrivedOn: string | null;
  expectedLeaveOn: string | null;
  residenceRegisteredOn: string | null;
  householdId: string | null;
  relationToHead: RelationToHead | null;
};
type Checked = { idNumber: string; sex: 'M' | 'F' | null; birthDate: string | null; phone: string | null };

/**
 * Checks a person's fields together; every problem is listed in the details, the first one names the error. For a
 * 居民身份证 the sex and birth date come from the number, and must agree with it when given.
 */
export function checkPerson(day: string, p: PersonFields): Checked {
  const problems: { field: string; code: string }[] = [];
  const add = (field: string, code: string) => problems.push({ field, code });
  const doc = validateDocument(p.idType, p.idNumber, day);
  let sex = p.sex;
  let birthDate = p.birthDate;
  if (!doc.ok) add('idNumber', doc.problem);
  else if (doc.derived) {
    if (sex && sex !== doc.derived.sex) add('sex', 'REGISTRY_ID_SEX_MISMATCH');
    if (birthDate && birthDate !== doc.derived.birthDate) add('birthDate', 'REGISTRY_ID_BIRTH_MISMATCH');
    sex = doc.derived.sex;
    birthDate = doc.derived.birthDate;
  } else if (birthDate && (!isRealDate(birthDate) || birthDate < EARLIEST_BIRTH_DATE || birthDate > day))
    add('birthDate', 'REGISTRY_BIRTH_DATE_INVALID');
  const phone = p.phone ? p.phone.replace(/[\s-]/g, '') : null;
  if (phone && !isValidPhone(phone)) add('phone', 'REGISTRY_PHONE_INVALID');
  if (p.residenceType === 'floating' && !p.arrivedOn) add('arrivedOn', 'REGISTRY_ARRIVAL_REQUIRED');
  if (p.arrivedOn && p.arrivedOn > day) add('arrivedOn', 'REGISTRY_DATE_IN_FUTURE');
  if (p.residenceRegisteredOn && p.residenceRegisteredOn > day) add('residenceRegisteredOn', 'REGISTRY_DATE_IN_FUTURE');
  if (p.arrivedOn && p.expectedLeaveOn && p.expectedLeaveOn < p.arrivedOn)
    add('expectedLeaveOn', 'REGISTRY_DATES_ORDER');
  if ((p.householdId === null) !== (p.relationToHead === null)) add('relationToHead', 'REGISTRY_RELATION_REQUIRED');
  const first = problems[0];
  if (first) throw new AppError('invalid', first.code, { details: { problems } });
  return { idNumber: doc.ok ? doc.normalized : p.idNumber, sex, birthDate, phone };
}

// ───────────────────────────── places and households ─────────────────────────────

type Place = { jurisdictionId: string; path: string; dwellingId: string | null; buildingId: string | null };

async function placeFor(
  ctx: Ctx,
  scope: Scope,
  dwellingId: string | null,
  jurisdictionId: string | null | undefined,
): Promise<Place> {
  if (dwellingId) {
    const d = await attachableDwelling(ctx, scope, dwellingId);
    if (jurisdictionId && jurisdictionId !== d.jurisdiction_id)
      throw new AppError('invalid', 'REGISTRY_DWELLING_MISMATCH');
    return { jurisdictionId: d.jurisdiction_id, path: d.path, dwellingId: d.id, buildingId: d.building_id };
  }
  if (!jurisdictionId) throw new AppError('invalid', 'REGISTRY_PLACE_REQUIRED');
  const n = await attachableNode(ctx, scope, jurisdictionId, ['grid', 'community']);
  return { jurisdictionId: n.id, path: n.path, dwellingId: null, buildingId: null };
}

export async function attachableHousehold(ctx: Ctx, scope: Scope, id: string) {
  const h = await q.householdById(ctx.db, id, scope);
  if (!h) throw new AppError('invalid', 'REGISTRY_UNKNOWN_HOUSEHOLD');
  return h;
}

/** One active registration per document number: 409, saying where only when the caller may read it. */
async function assertNotRegistered(ctx: Ctx, readScope: Scope, bix: string, self: string | null) {
  const existing = await q.activeByIdIndex(ctx.db, bix);
  if (!existing || existing.id === self) return;
  if (inScope(readScope, { path: existing.path, buildingId: existing.building_id }))
    throw new AppError('conflict', 'REGISTRY_ID_NUMBER_EXISTS', { details: { residentId: existing.id } });
  throw new AppError('conflict', 'REGISTRY_ID_NUMBER_ELSEWHERE');
}

/** Free text is kept without full ID numbers or phones: someone will type one into a note (PI-6). */
const freeText = (v: string | null | undefined): string | null => (v ? scrubText(v) : null);

const actorRef = (ctx: Ctx) => ({ id: ctx.actor?.userId ?? null, name: ctx.actor?.username ?? null });

// ───────────────────────────── create ─────────────────────────────

/**
 * Registers a resident. Called by the HTTP route (an actor in scope) and by the seed, CLI and importers (no actor: the
 * system). The ID number and phone are stored encrypted with blind indexes; care tags encrypted.
 */
export async function createResident(ctx: Ctx, input: TCreateResident): Promise<TResidentView> {
  const scope = await scopeFor(ctx, 'person.write');
  const readScope = await scopeFor(ctx, 'resident.read');
  const seeCare = canSeeCare(ctx);
  if ((input.careTags?.length ?? 0) > 0 && !seeCare) throw new AppError('forbidden', 'REGISTRY_CARE_TAGS_FORBIDDEN');
  const checked = checkPerson(today(ctx), {
    idType: input.idType,
    idNumber: input.idNumber,
    sex: input.sex ?? null,
    birthDate: input.birthDate ?? null,
    phone: input.phone ?? null,
    residenceType: input.residenceType,
    arrivedOn: input.arrivedOn ?? null,
    expectedLeaveOn: input.expectedLeaveOn ?? null,
    residenceRegisteredOn: input.residenceRegisteredOn ?? null,
    householdId: input.householdId ?? null,
    relationToHead: input.relationToHead ?? null,
  });
  const ring = ctx.keyring;
  return withTx(ctx, async (tx) => {
    const place = await placeFor(tx, scope, input.dwellingId ?? null, input.jurisdictionId);
    const household = input.householdId ? await attachableHousehold(tx, scope, input.householdId) : null;
    const bix = idIndex(ring, checked.idNumber);
    await assertNotRegistered(tx, readScope, bix, null);
    const care = sealCare(ring, input.careTags ?? []);
    const now = ctx.clock.now();
    let id: string;
    try {
      ({ id } = await q.insertResident(
        tx.db,
        {
          jurisdiction_id: place.jurisdictionId,
          path: place.path,
          name: input.name,
          id_type: input.idType,
          id_number_enc: encrypt(ring, checked.idNumber),
          id_number_bix: bix,
          sex: checked.sex,
          birth_date: checked.birthDate,
          phone_enc: seal(ring, checked.phone),
          phone_bix: checked.phone ? phoneIndex(ring, checked.phone) : null,
          household_id: household?.id ?? null,
          relation_to_head: input.relationToHead ?? null,
          dwelling_id: place.dwellingId,
          building_id: place.buildingId,
          registered_place: freeText(input.registeredPlace),
          residence_type: input.residenceType,
          arrived_on: input.arrivedOn ?? null,
          expected_leave_on: input.expectedLeaveOn ?? null,
          residence_registered_on: input.residenceRegisteredOn ?? null,
          separated: input.separated ?? false,
          care_tags_enc: care.enc,
          care_tag_bix: care.bix,
          note: freeText(input.note),
        },
        ctx.actor?.userId ?? null,
        now,
      ));
    } catch (e) {
      if (uniqueViolation(e) !== null) throw new AppError('conflict', 'REGISTRY_ID_NUMBER_ELSEWHERE');
      throw e;
    }
    if (household && input.relationToHead === 'self' && !(await q.claimHead(tx.db, household.id, id, now)))
      throw new AppError('conflict', 'REGISTRY_HOUSEHOLD_HEAD_EXISTS');
    await q.insertHistory(tx.db, id, actorRef(ctx), now, [
      { field: 'registered', before: null, after: input.residenceType, protection: 'plain' },
    ]);
    await recordAudit(tx, {
      action: 'resident.create',
      objectType: 'resident',
      objectId: id,
      details: { jurisdiction: place.path, residenceType: input.residenceType },
    });
    return presentResident(tx, (await q.residentById(tx.db, id, ALL)) as q.ResidentRow, seeCare);
  });
}

// ───────────────────────────── update, with history ─────────────────────────────

type FieldRule = { protection: 'plain' | 'masked' | 'encrypted'; mask?: (v: string) => string };
/** How each field's before/after values are kept in the history: never a full ID, phone or care tag in plain. */
const historyRules: Record<string, FieldRule> = {
  idNumber: { protection: 'masked', mask: maskIdNumber },
  phone: { protection: 'masked', mask: maskPhone },
  birthDate: { protection: 'masked', mask: (v) => `${v.slice(0, 4)}-**-**` },
  registeredPlace: { protection: 'masked', mask: maskAddress },
  careTags: { protection: 'encrypted' },
};

function historyEntry(ctx: Ctx, field: string, before: string | null, after: string | null): q.HistoryInsert {
  const rule = historyRules[field] ?? { protection: 'plain' };
  if (rule.protection === 'encrypted')
    return { field, before: seal(ctx.keyring, before), after: seal(ctx.keyring, after), protection: 'encrypted' };
  if (rule.mask) {
    const m = rule.mask;
    return {
      field,
      before: before === null ? null : m(before),
      after: after === null ? null : m(after),
      protection: 'masked',
    };
  }
  return { field, before, after, protection: 'plain' };
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export async function updateResident(ctx: Ctx, id: string, patch: TUpdateResident): Promise<TResidentView> {
  const read = await scopeFor(ctx, 'resident.read');
  const write = await scopeFor(ctx, 'person.write');
  const seeCare = canSeeCare(ctx);
  const row = await q.residentById(ctx.db, id, read);
  if (!row) throw new AppError('not_found', 'REGISTRY_RESIDENT_NOT_FOUND');
  if (!inScope(write, { path: row.path, buildingId: row.building_id }))
    throw new AppError('forbidden', 'ACCESS_FORBIDDEN');
  if (row.status !== 'active') throw new AppError('conflict', 'REGISTRY_RESIDENT_ENDED');
  if (patch.careTags !== undefined && !seeCare) throw new AppError('forbidden', 'REGISTRY_CARE_TAGS_FORBIDDEN');
  const ring = ctx.keyring;

  const before = {
    name: row.name,
    idType: row.id_type,
    idNumber: decrypt(ring, row.id_number_enc),
    sex: row.sex,
    birthDate: row.birth_date,
    phone: open(ring, row.phone_enc),
    householdId: row.household_id,
    relationToHead: row.relation_to_head as RelationToHead | null,
    dwellingId: row.dwelling_id,
    jurisdictionId: row.jurisdiction_id,
    registeredPlace: row.registered_place,
    residenceType: row.residence_type,
    arrivedOn: row.arrived_on,
    expectedLeaveOn: row.expected_leave_on,
    residenceRegisteredOn: row.residence_registered_on,
    separated: row.separated,
    careTags: openCare(ring, row.care_tags_enc),
    note: row.note,
  };
  const pick = <K extends keyof typeof before>(k: K) =>
    (patch[k as keyof TUpdateResident] === undefined
      ? before[k]
      : patch[k as keyof TUpdateResident]) as (typeof before)[K];
  // A changed 居民身份证 number re-derives sex and birth date unless they are given (then they must agree).
  const rederive = (patch.idNumber !== undefined || patch.idType !== undefined) && pick('idType') === 'id_card';
  const after = {
    name: pick('name'),
    idType: pick('idType'),
    idNumber: pick('idNumber'),
    sex: patch.sex !== undefined ? patch.sex : rederive ? null : before.sex,
    birthDate: patch.birthDate !== undefined ? patch.birthDate : rederive ? null : before.birthDate,
    phone: pick('phone'),
    householdId: pick('householdId'),
    relationToHead: pick('relationToHead'),
    dwellingId: pick('dwellingId'),
    jurisdictionId: pick('jurisdictionId'),
    registeredPlace: patch.registeredPlace === undefined ? before.registeredPlace : freeText(patch.registeredPlace),
    residenceType: pick('residenceType'),
    arrivedOn: pick('arrivedOn'),
    expectedLeaveOn: pick('expectedLeaveOn'),
    residenceRegisteredOn: pick('residenceRegisteredOn'),
    separated: pick('separated'),
    careTags: (patch.careTags === undefined
      ? before.careTags
      : allCareTags.filter((tag) => patch.careTags?.includes(tag))) as CareTag[],
    note: patch.note === undefined ? before.note : freeText(patch.note),
  };
  const checked = checkPerson(today(ctx), { ...after, idNumber: after.idNumber });
  const finalValues = {
    ...after,
    idNumber: checked.idNumber,
    sex: checked.sex,
    birthDate: checked.birthDate,
    phone: checked.phone,
  };

  return withTx(ctx, async (tx) => {
    const now = ctx.clock.now();
    const set: Parameters<typeof q.updateResident>[2] = {};
    const history: q.HistoryInsert[] = [];
    const diff = (field: keyof typeof finalValues, b: unknown, a: unknown) => {
      const bs = Array.isArray(b) ? JSON.stringify(b) : str(b);
      const as = Array.isArray(a) ? JSON.stringify(a) : str(a);
      if (bs === as) return false;
      history.push(historyEntry(ctx, field, bs, as));
      return true;
    };

    if (diff('name', before.name, finalValues.name)) set.name = finalValues.name;
    if (diff('idType', before.idType, finalValues.idType)) set.id_type = finalValues.idType;
    if (diff('idNumber', before.idNumber, finalValues.idNumber)) {
      const bix = idIndex(ring, finalValues.idNumber);
      await assertNotRegistered(tx, read, bix, id);
      set.id_number_enc = encrypt(ring, finalValues.idNumber);
      set.id_number_bix = bix;
    }
    if (diff('sex', before.sex, finalValues.sex)) set.sex = finalValues.sex;
    if (diff('birthDate', before.birthDate, finalValues.birthDate)) set.birth_date = finalValues.birthDate;
    if (diff('phone', before.phone, finalValues.phone)) {
      set.phone_enc = seal(ring, finalValues.phone);
      set.phone_bix = finalValues.phone ? phoneIndex(ring, finalValues.phone) : null;
    }
    // The place: a new dwelling, or (without one) a grid or community.
    const placeChanged =
      before.dwellingId !== finalValues.dwellingId || before.jurisdictionId !== finalValues.jurisdictionId;
    if (placeChanged) {
      const place = await placeFor(
        tx,
        write,
        finalValues.dwellingId,
        patch.jurisdictionId !== undefined || !finalValues.dwellingId ? finalValues.jurisdictionId : undefined,
      );
      diff('dwellingId', before.dwellingId, place.dwellingId);
      diff('jurisdictionId', before.jurisdictionId, place.jurisdictionId);
      Object.assign(set, {
        dwelling_id: place.dwellingId,
        building_id: place.buildingId,
        jurisdiction_id: place.jurisdictionId,
        path: place.path,
      });
    }
    // The household and the relation to its head; a head leaving the household (or the role) leaves it headless.
    const householdChanged = diff('householdId', before.householdId, finalValues.householdId);
    const relationChanged = diff('relationToHead', before.relationToHead, finalValues.relationToHead);
    if (householdChanged || relationChanged) {
      if (finalValues.householdId && householdChanged) await attachableHousehold(tx, write, finalValues.householdId);
      set.household_id = finalValues.householdId;
      set.relation_to_head = finalValues.relationToHead;
      if (before.householdId && before.relationToHead === 'self') await clearHeadIf(tx, before.householdId, id, now);
    }
    if (diff('registeredPlace', before.registeredPlace, finalValues.registeredPlace))
      set.registered_place = finalValues.registeredPlace;
    if (diff('residenceType', before.residenceType, finalValues.residenceType))
      set.residence_type = finalValues.residenceType;
    if (diff('arrivedOn', before.arrivedOn, finalValues.arrivedOn)) set.arrived_on = finalValues.arrivedOn;
    if (diff('expectedLeaveOn', before.expectedLeaveOn, finalValues.expectedLeaveOn))
      set.expected_leave_on = finalValues.expectedLeaveOn;
    if (diff('residenceRegisteredOn', before.residenceRegisteredOn, finalValues.residenceRegisteredOn))
      set.residence_registered_on = finalValues.residenceRegisteredOn;
    if (diff('separated', before.separated, finalValues.separated)) set.separated = finalValues.separated;
    if (diff('careTags', before.careTags, finalValues.careTags)) {
      const care = sealCare(ring, finalValues.careTags);
      set.care_tags_enc = care.enc;
      set.care_tag_bix = care.bix;
    }
    if (diff('note', before.note, finalValues.note)) set.note = finalValues.note;

    if (history.length > 0) {
      await q.updateResident(tx.db, id, set, now);
      if (
        finalValues.householdId &&
        finalValues.relationToHead === 'self' &&
        (householdChanged || relationChanged) &&
        !(await q.claimHead(tx.db, finalValues.householdId, id, now))
      )
        throw new AppError('conflict', 'REGISTRY_HOUSEHOLD_HEAD_EXISTS');
      await q.insertHistory(tx.db, id, actorRef(ctx), now, history);
      await recordAudit(tx, {
        action: 'resident.update',
        objectType: 'resident',
        objectId: id,
        details: { fields: history.map((h) => h.field) },
      });
    }
    return presentResident(tx, (await q.residentById(tx.db, id, ALL)) as q.ResidentRow, seeCare);
  });
}

async function clearHeadIf(ctx: Ctx, householdId: string, residentId: string, now: Date) {
  const h = await q.householdById(ctx.db, householdId, ALL);
  if (h?.head_resident_id === residentId) await q.updateHousehold(ctx.db, householdId, { head_resident_id: null }, now);
}

// ───────────────────────────── end of residence (never deleted) ─────────────────────────────

export async function endResidence(ctx: Ctx, id: string, input: z.infer<typeof ZEndResidence>): Promise<TResidentView> {
  const read = await scopeFor(ctx, 'resident.read');
  const write = await scopeFor(ctx, 'person.write');
  const row = await q.residentById(ctx.db, id, read);
  if (!row) throw new AppError('not_found', 'REGISTRY_RESIDENT_NOT_FOUND');
  if (!inScope(write, { path: row.path, buildingId: row.building_id }))
    throw new AppError('forbidden', 'ACCESS_FORBIDDEN');
  if (row.status !== 'active') throw new AppError('conflict', 'REGISTRY_RESIDENT_ENDED');
  if (input.date > today(ctx)) throw new AppError('invalid', 'REGISTRY_DATE_IN_FUTURE');
  return withTx(ctx, async (tx) => {
    const now = ctx.clock.now();
    const note = input.note !== undefined ? freeText(input.note) : row.note;
    await q.updateResident(tx.db, id, { status: 'ended', end_reason: input.reason, ended_on: input.date, note }, now);
    await q.insertHistory(tx.db, id, actorRef(ctx), now, [
      { field: 'status', before: 'active', after: 'ended', protection: 'plain' },
      { field: 'endReason', before: null, after: input.reason, protection: 'plain' },
      { field: 'endedOn', before: null, after: input.date, protection: 'plain' },
    ]);
    await recordAudit(tx, {
      action: 'resident.end',
      objectType: 'resident',
      objectId: id,
      details: { reason: input.reason, on: input.date },
    });
    return presentResident(tx, (await q.residentById(tx.db, id, ALL)) as q.ResidentRow, canSeeCare(ctx));
  });
}

// ───────────────────────────── reads ─────────────────────────────

/** One resident, masked; every read of a detail is audited (resident.read). */
export async function getResident(ctx: Ctx, id: string): Promise<TResidentView> {
  const scope = await scopeFor(ctx, 'resident.read');
  const row = await q.residentById(ctx.db, id, scope);
  if (!row) throw new AppError('not_found', 'REGISTRY_RESIDENT_NOT_FOUND');
  await recordAudit(ctx, { action: 'resident.read', objectType: 'resident', objectId: id });
  return presentResident(ctx, row, canSeeCare(ctx));
}

export async function listResidents(ctx: Ctx, f: z.infer<typeof ZResidentListQuery>) {
  const scope = await scopeFor(ctx, 'resident.read');
  const seeCare = canSeeCare(ctx);
  if (f.careTag && !seeCare) throw new AppError('forbidden', 'REGISTRY_CARE_TAGS_FORBIDDEN');
  const rows = await q.listResidents(ctx.db, scope, {
    nodePath: await filterNode(ctx, f.jurisdictionId),
    householdId: f.householdId,
    dwellingId: f.dwellingId,
    buildingId: f.buildingId,
    residenceType: f.residenceType,
    careIndex: f.careTag ? careIndex(ctx.keyring, f.careTag) : undefined,
    status: f.status,
    afterSeq: decodeCursor(f.cursor),
    limit: f.limit,
  });
  return page(rows, f.limit, (r) => presentResident(ctx, r, seeCare));
}

export type SearchKind = 'phone' | 'idNumber' | 'name';

/** What a search text is: an exact phone, an exact document number, or (otherwise) part of a name. */
export function searchKind(text: string): { kind: SearchKind; value: string } {
  const compact = normalizeDocumentNumber(text);
  if (PHONE_PATTERN.test(compact)) return { kind: 'phone', value: compact };
  if (/^[0-9A-Z]{5,18}$/.test(compact) && /\d{4}/.test(compact)) return { kind: 'idNumber', value: compact };
  return { kind: 'name', value: text.trim() };
}

const MAX_SEARCH_OFFSET = 10_000;

/** Search by part of a name (trigram), exact ID number or exact phone (blind indexes); in scope, masked, audited. */
export async function searchResidents(ctx: Ctx, f: z.infer<typeof ZResidentSearchQuery>) {
  const scope = await scopeFor(ctx, 'resident.read');
  const offset = Number(decodeCursor(f.cursor) ?? '0');
  if (offset > MAX_SEARCH_OFFSET) throw new AppError('invalid', 'REGISTRY_CURSOR_INVALID');
  const { kind, value } = searchKind(f.q);
  const rows =
    kind === 'phone'
      ? await q.residentsByIndex(
          ctx.db,
          scope,
          'phone_bix',
          phoneIndex(ctx.keyring, value),
          f.includeEnded,
          offset,
          f.limit,
        )
      : kind === 'idNumber'
        ? await q.residentsByIndex(
            ctx.db,
            scope,
            'id_number_bix',
            idIndex(ctx.keyring, value),
            f.includeEnded,
            offset,
            f.limit,
          )
        : await q.residentsByName(ctx.db, scope, value, f.includeEnded, offset, f.limit);
  const more = rows.length > f.limit;
  const list = more ? rows.slice(0, f.limit) : rows;
  // The search itself is audited (its kind, never its text: that can be an ID number or a phone).
  await recordAudit(ctx, {
    action: 'resident.search',
    objectType: 'resident',
    details: { kind, results: list.length },
  });
  const seeCare = canSeeCare(ctx);
  return {
    kind,
    items: list.map((r) => presentResident(ctx, r, seeCare)),
    nextCursor: more ? encodeCursor(offset + f.limit) : null,
  };
}

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);

/** The floating population list; see floatingResidents for what arriving and overdue mean. */
export async function listFloating(ctx: Ctx, f: z.infer<typeof ZFloatingQuery>) {
  const scope = await scopeFor(ctx, 'resident.read');
  const day = today(ctx);
  const rows = await q.floatingResidents(ctx.db, scope, {
    status: f.status,
    today: day,
    nodePath: await filterNode(ctx, f.jurisdictionId),
    afterSeq: decodeCursor(f.cursor),
    limit: f.limit,
  });
  const seeCare = canSeeCare(ctx);
  const monthAgo = addDays(day, -30);
  return page(rows, f.limit, (r) => {
    const active = r.status === 'active';
    return {
      ...presentResident(ctx, r, seeCare),
      arriving: active && !!r.arrived_on && r.arrived_on > monthAgo,
      overdueLeave: active && !!r.expected_leave_on && r.expected_leave_on < day,
      overdueRegistration: active && !r.residence_registered_on && !!r.arrived_on && r.arrived_on <= monthAgo,
    };
  });
}

/** The change history of a resident: masked values, care tags only for the roles that may see them. */
export async function residentHistory(ctx: Ctx, id: string) {
  const scope = await scopeFor(ctx, 'resident.read');
  const row = await q.residentById(ctx.db, id, scope);
  if (!row) throw new AppError('not_found', 'REGISTRY_RESIDENT_NOT_FOUND');
  const seeCare = canSeeCare(ctx);
  await recordAudit(ctx, { action: 'resident.history', objectType: 'resident', objectId: id });
  const show = (field: string, protection: string, v: string | null): string | null => {
    if (v === null) return null;
    if (protection === 'encrypted') return seeCare ? decrypt(ctx.keyring, v) : '***';
    if (protection === 'masked') return v;
    if (field === 'name') return maskName(v);
    if (field === 'note') return scrubText(v);
    return v;
  };
  const rows = await q.historyOf(ctx.db, id);
  return {
    items: rows.map((h) => ({
      id: String(h.id),
      at: iso(h.at) as string,
      actorName: h.actor_name,
      field: h.field,
      before: show(h.field, h.protection, h.before_value),
      after: show(h.field, h.protection, h.after_value),
    })),
  };
}

/** The full ID number or phone, with a reason: permission, scope, daily cap (429) and audit. */
export async function revealResident(ctx: Ctx, id: string, field: 'idNumber' | 'phone', reason: string) {
  authorize(ctx.actor, 'person.reveal');
  const scope = await scopeFor(ctx, 'resident.read');
  const r = await reveal(
    ctx,
    { objectType: 'resident', objectId: id, field, reason, auditAction: 'resident.reveal' },
    async (tx) => {
      const row = await q.residentSecrets(tx.db, id, scope);
      if (!row) throw new AppError('not_found', 'REGISTRY_RESIDENT_NOT_FOUND');
      return open(ctx.keyring, field === 'idNumber' ? row.id_number_enc : row.phone_enc);
    },
  );
  return { field, ...r };
}
