import { type CaseState, caseStateLabels, type TExtraField } from '@jiayuan/contracts';
import { AppError } from '../../shared/app-error.ts';
import { type Ctx, isWithin, withTx } from '../../shared/context.ts';
import { encrypt, randomToken, sha256 } from '../../shared/crypto.ts';
import { recordAudit } from '../audit/index.ts';
// The case loop's own building blocks: an Open311 report becomes a case exactly as an intake from the web does
// (number, provisional deadline, first event), only without a signed-in reporter.
import { openStates } from '../cases/case.workflow.ts';
import * as cq from '../cases/cases.queries.ts';
import { effectiveLimit, validateExtra } from '../cases/categories.service.ts';
import { deadlineFrom, localDate, localYear } from '../cases/deadlines.calendar.ts';
import { loadCalendar } from '../cases/deadlines.service.ts';
import { type GridLocator, notify } from '../cases/index.ts';
import type { ApiPrincipal } from './api-keys.service.ts';
import './open311.messages.ts';
import { dateWindow, invalidParam, type Params, paging, parseW3c, required, w3c } from './open311.params.ts';
import * as q from './open311.queries.ts';
import type { Resource, Value } from './open311.xml.ts';

export type Open311Options = {
  /** Point → grid (the registry's locate), when the deployment has one. */
  locateGrid?: GridLocator;
  /** The same key sending the same request (same device/account, same fields) within this window gets the first answer. */
  resendWindowMinutes?: number;
};

export const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';
/** When this interface last changed (discovery's changeset). */
export const CHANGESET = '2026-03-01T00:00:00+08:00';
const DEFAULT_RESEND_WINDOW_MINUTES = 10;
const MAX_DESCRIPTION = 4000;
const MAX_IDS = 200;

// ——— statuses ———

/** FixMyStreet's extended statuses (OPEN311.md), which it both sends and reads. */
export const extendedStatuses = [
  'OPEN',
  'CLOSED',
  'FIXED',
  'IN_PROGRESS',
  'ACTION_SCHEDULED',
  'INVESTIGATING',
  'DUPLICATE',
  'NOT_COUNCILS_RESPONSIBILITY',
  'NO_FURTHER_ACTION',
  'INTERNAL_REFERRAL',
  'FOR_TRIAGE',
  'CANCELLED',
  'REOPEN',
] as const;
export type ExtendedStatus = (typeof extendedStatuses)[number];

/** The grid workflow's states as Open311 statuses (OPEN311.md "Mapping of the grid workflow"). */
export const statusOfState: Record<CaseState, ExtendedStatus> = {
  reported: 'OPEN',
  verified: 'OPEN',
  accepted: 'OPEN',
  dispatched: 'ACTION_SCHEDULED',
  in_progress: 'IN_PROGRESS',
  handled: 'IN_PROGRESS',
  suspended: 'IN_PROGRESS',
  closed: 'FIXED',
  discarded: 'NO_FURTHER_ACTION',
  rework: 'REOPEN',
  reopened: 'REOPEN',
};

/** A merged (duplicate) case shows DUPLICATE rather than NO_FURTHER_ACTION. */
export const extendedStatus = (state: string, mergedInto: string | null): ExtendedStatus =>
  state === 'discarded' && mergedInto ? 'DUPLICATE' : (statusOfState[state as CaseState] ?? 'OPEN');

/** GeoReport's own two: open while the case is in one of the workflow's open states. */
export const plainStatus = (state: string): 'open' | 'closed' =>
  (openStates as readonly string[]).includes(state) ? 'open' : 'closed';

const statesWith = (s: 'open' | 'closed') =>
  (Object.keys(caseStateLabels) as CaseState[]).filter((x) => plainStatus(x) === s);

// ——— personal data ———

/**
 * Masks what looks personal in free text shown to the public: ID card numbers, mobile and landline numbers, e-mail
 * addresses. Reporter fields are never shown at all; this only protects what people typed into descriptions.
 */
export function maskPersonal(text: string): string {
  return text
    .replace(/(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])/g, '$1********$2')
    .replace(/(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g, '$1****$2')
    .replace(/(?<!\d)(0\d{2,3}-?)\d{3,4}(\d{4})(?!\d)/g, '$1****$2')
    .replace(/([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g, '$1***@$2');
}

const maskName = (n: string): string => {
  const chars = [...n];
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
};

// ——— discovery and services ———

export function discovery(baseUrl: string): Resource {
  return {
    kind: 'object',
    root: 'discovery',
    fields: {
      changeset: CHANGESET,
      contact: '家园 Jiayuan 平台管理员 · the platform administrator of this deployment',
      key_service: 'API 密钥由平台管理员签发（jiayuan keys create）· API keys are issued by the platform administrator',
      endpoints: [
        {
          specification: SPECIFICATION,
          url: baseUrl,
          changeset: CHANGESET,
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    },
  };
}

/** jurisdiction_id → the node (404 when unknown); none given → the key's, if a key was given. */
async function jurisdictionOf(ctx: Ctx, p: Params, key: ApiPrincipal | null) {
  const code = p.get('jurisdiction_id');
  if (code === undefined) return key ? { path: key.path, code: key.jurisdictionCode } : null;
  const j = await q.jurisdictionByCode(ctx.db, code);
  if (!j) throw new AppError('not_found', 'OPEN311_JURISDICTION_NOT_FOUND');
  return j;
}

const datatypeOf: Record<TExtraField['type'], string> = {
  string: 'string',
  number: 'number',
  date: 'datetime',
  single: 'singlevaluelist',
  multi: 'multivaluelist',
};
const datatypeDescription: Record<TExtraField['type'], string> = {
  string: '文本，不超过 500 字 · text, at most 500 characters',
  number: '数字 · a number',
  date: '日期，如 2026-03-02 · a date such as 2026-03-02',
  single: '从列表中选择一项 · one value from the list',
  multi: '从列表中选择一项或多项 · one or more values from the list',
};

const fieldsOf = (s: { extra_fields: unknown }) =>
  ((s.extra_fields as TExtraField[] | null) ?? []).filter((f) => f?.key);

export async function listServices(ctx: Ctx, p: Params, key: ApiPrincipal | null): Promise<Resource> {
  const j = await jurisdictionOf(ctx, p, key);
  const rows = await q.servicesFor(ctx.db, j?.path ?? null);
  return {
    kind: 'list',
    root: 'services',
    item: 'service',
    rows: rows.map((s) => ({
      service_code: s.code,
      service_name: s.name,
      description: s.accept_condition ? `${s.name}：${s.accept_condition}` : s.name,
      metadata: fieldsOf(s).length > 0,
      type: 'realtime',
      // No keywords: FixMyStreet gives some keywords (private, inactive, …) a meaning of their own.
      group: s.group_name,
    })),
  };
}

async function usableService(ctx: Ctx, code: string) {
  const s = await q.serviceByCode(ctx.db, code);
  if (!s?.active || !s.group_active) throw new AppError('not_found', 'OPEN311_SERVICE_NOT_FOUND');
  return s;
}

export async function serviceDefinition(
  ctx: Ctx,
  code: string,
  p: Params,
  key: ApiPrincipal | null,
): Promise<Resource> {
  const j = await jurisdictionOf(ctx, p, key);
  const s = await usableService(ctx, code);
  // A category of one jurisdiction is defined for it and its subtree only.
  if (j && s.path && !isWithin(j.path, s.path)) throw new AppError('not_found', 'OPEN311_SERVICE_NOT_FOUND');
  return {
    kind: 'object',
    root: 'service_definition',
    fields: {
      service_code: s.code,
      attributes: fieldsOf(s).map((f, i) => ({
        variable: true,
        code: f.key,
        datatype: datatypeOf[f.type],
        required: f.required ?? false,
        datatype_description: datatypeDescription[f.type],
        order: i + 1,
        description: f.label,
        ...(f.options ? { values: f.options.map((o) => ({ key: o, name: o })) } : {}),
      })),
    },
  };
}

// ——— creating requests ———

/** The attributes sent, as the case's extra fields; unknown attribute codes are ignored. */
function extraFrom(fields: readonly TExtraField[], attrs: Map<string, string[]>): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  for (const f of fields) {
    const values = attrs.get(f.key);
    const bad = () => new AppError('invalid', 'OPEN311_ATTRIBUTE_INVALID', { params: { name: f.key } });
    if (!values?.length) {
      if (f.required) throw bad();
      continue;
    }
    const last = values.at(-1) as string;
    switch (f.type) {
      case 'string':
        if ([...last].length > 500) throw bad();
        extra[f.key] = last;
        break;
      case 'number': {
        const n = Number(last);
        if (!Number.isFinite(n)) throw bad();
        extra[f.key] = n;
        break;
      }
      case 'date': {
        let d: Date;
        try {
          d = parseW3c(f.key, last);
        } catch {
          throw bad();
        }
        extra[f.key] = localDate(d);
        break;
      }
      case 'single':
        if (!f.options?.includes(last)) throw bad();
        extra[f.key] = last;
        break;
      case 'multi': {
        const set = [...new Set(values)];
        if (set.some((v) => !f.options?.includes(v))) throw bad();
        extra[f.key] = set;
        break;
      }
    }
  }
  return extra;
}

type Place = { id: string; path: string; level: string; parent_id: string | null; status: string };

/**
 * Where a report goes, first that applies: the point's grid (through the locator), address_id (the code of a grid
 * or community, or a registry building), jurisdiction_id when it is a grid or community, the key's own node when it
 * is one. Always inside the key's subtree.
 */
async function placeOf(
  ctx: Ctx,
  key: ApiPrincipal,
  loc: { lng?: number; lat?: number; addressId?: string; jurisdiction: Place | null },
  opts: Open311Options,
): Promise<Place> {
  const inScope = (j: Place) => {
    if (!isWithin(j.path, key.path)) throw new AppError('invalid', 'OPEN311_LOCATION_OUT_OF_SCOPE');
    return j;
  };
  const placeable = (j: Place | undefined | null) =>
    !!j && j.status === 'active' && (j.level === 'grid' || j.level === 'community');
  if (loc.lng !== undefined && loc.lat !== undefined && opts.locateGrid) {
    const g = await opts.locateGrid(loc.lng, loc.lat, ctx.db);
    const j = g ? await q.jurisdictionById(ctx.db, g.gridId) : undefined;
    if (j && placeable(j)) return inScope(j);
  }
  if (loc.addressId !== undefined) {
    let j: Place | undefined;
    if (/^\d{6,14}$/.test(loc.addressId)) j = await q.jurisdictionByCode(ctx.db, loc.addressId);
    else if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(loc.addressId)) {
      const b = await q.buildingPlace(ctx.db, loc.addressId);
      j = b ? await q.jurisdictionById(ctx.db, b.jurisdiction_id) : undefined;
    }
    if (!j) throw invalidParam('address_id');
    inScope(j);
    if (placeable(j)) return j;
  }
  if (loc.jurisdiction && placeable(loc.jurisdiction)) return loc.jurisdiction;
  const own = await q.jurisdictionById(ctx.db, key.jurisdictionId);
  if (own && placeable(own)) return own;
  throw new AppError('invalid', 'OPEN311_LOCATION_UNPLACED');
}

const coordinate = (p: Params, name: 'lat' | 'long', limit: number): number | undefined => {
  const v = p.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^[+-]?\d+(\.\d+)?$/.test(v) || !Number.isFinite(n) || Math.abs(n) > limit) throw invalidParam(name);
  return n;
};

const bounded = (p: Params, name: string, max: number): string | undefined => {
  const v = p.get(name);
  if (v !== undefined && [...v].length > max) throw invalidParam(name);
  return v;
};

const mediaUrl = (p: Params): string | undefined => {
  const v = bounded(p, 'media_url', 2000);
  if (v === undefined) return undefined;
  try {
    const u = new URL(v);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
  } catch {
    throw invalidParam('media_url');
  }
  return v;
};

export type Answer = { status: number; body: Record<string, Value>[] };

const auditActor = (key: ApiPrincipal) => ({
  actorOverride: { id: null, name: `open311:${key.name}`, roles: [] as string[], path: key.path },
});
const actorName = (key: ApiPrincipal) => `Open311 · ${key.name}`;

/** POST requests: a new case of source open311, synchronously (service type realtime: the answer names the case). */
export async function createRequest(ctx: Ctx, key: ApiPrincipal, p: Params, opts: Open311Options): Promise<Answer> {
  const serviceCode = required(p, 'service_code');
  const lat = coordinate(p, 'lat', 90);
  const lng = coordinate(p, 'long', 180);
  if ((lat === undefined) !== (lng === undefined)) throw new AppError('invalid', 'OPEN311_LOCATION_REQUIRED');
  const addressString = p.text('address_string');
  const addressId = bounded(p, 'address_id', 64);
  if (lat === undefined && addressString === undefined && addressId === undefined)
    throw new AppError('invalid', 'OPEN311_LOCATION_REQUIRED');

  let jurisdiction: Place | null = null;
  const jCode = p.get('jurisdiction_id');
  if (jCode !== undefined) {
    const j = await q.jurisdictionByCode(ctx.db, jCode);
    // The key's own node or anything on its branch names this deployment; another branch is not found.
    if (!j || !(isWithin(j.path, key.path) || isWithin(key.path, j.path)))
      throw new AppError('not_found', 'OPEN311_JURISDICTION_NOT_FOUND');
    if (isWithin(j.path, key.path)) jurisdiction = j;
  }
  const service = await usableService(ctx, serviceCode);
  const description = p.text('description');
  if (description !== undefined && [...description].length > MAX_DESCRIPTION) throw invalidParam('description');
  const place = await placeOf(ctx, key, { lng, lat, addressId, jurisdiction }, opts);
  if (service.path && !isWithin(place.path, service.path)) throw new AppError('invalid', 'OPEN311_SERVICE_NOT_HERE');
  const extra = validateExtra(service.extra_fields, extraFrom(fieldsOf(service), p.attributes()));

  const name = [bounded(p, 'first_name', 50), bounded(p, 'last_name', 50)].filter((x) => x !== undefined).join(' ');
  const email = bounded(p, 'email', 254);
  if (email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(email)) throw invalidParam('email');
  const phone = bounded(p, 'phone', 32);
  const deviceId = bounded(p, 'device_id', 255) ?? bounded(p, 'deviceid', 255);
  const accountId = bounded(p, 'account_id', 255);
  const media = mediaUrl(p);
  const hash = sha256(p.canonical(['api_key']));
  const text = description ?? service.name;
  const now = ctx.clock.now();

  return withTx(ctx, async (tx) => {
    // A resend (same key, same device or account, same fields, shortly after) answers the first request again.
    if (deviceId !== undefined || accountId !== undefined) {
      await q.lockSubmission(tx.db, `open311:${key.id}:${hash}`);
      const windowMs = (opts.resendWindowMinutes ?? DEFAULT_RESEND_WINDOW_MINUTES) * 60_000;
      const same = await q.recentSameRequest(tx.db, key.id, hash, new Date(now.getTime() - windowMs));
      if (same)
        return {
          status: 200,
          body: [
            {
              service_request_id: same.number,
              service_notice: `重复提交，已有事件编号 ${same.number} · Already received as case ${same.number}`,
              account_id: same.account_id ?? null,
            },
          ],
        };
    }
    const limit = effectiveLimit(service) as number;
    const provisional = deadlineFrom(now, limit, service.clock, await loadCalendar(tx.db));
    const year = localYear(now);
    const labels = place.path.split('.');
    const districtCode = labels[1] ?? labels[0] ?? '000000';
    const number = `${districtCode}-${year}-${String(await cq.nextCaseNumber(tx.db, districtCode, year)).padStart(6, '0')}`;
    const { id } = await cq.insertCase(tx.db, {
      number,
      category_id: service.id,
      jurisdiction_id: place.id,
      path: place.path,
      community_id: place.level === 'grid' ? (place.parent_id as string) : place.id,
      grid_id: place.level === 'grid' ? place.id : null,
      state: 'reported',
      urgency: service.default_urgency ?? 'yellow',
      source: 'open311',
      title: [...(text.split('\n').find((l) => l.trim() !== '') ?? text)].slice(0, 30).join('').trim() || service.name,
      description: text,
      address: addressString ? [...addressString].slice(0, 200).join('') : null,
      lng: lng ?? null,
      lat: lat ?? null,
      extra: JSON.stringify(extra),
      reporter_id: null,
      caller_name_enc: name ? encrypt(ctx.keyring, name) : null,
      caller_phone_enc: null,
      owner_id: null,
      assignee_id: null,
      department_id: null,
      time_limit_minutes: limit,
      clock: service.clock,
      expected_at: provisional.expectedAt,
      warn_at: provisional.warnAt,
      accepted_at: null,
      dispatched_at: null,
      first_dispatched_at: null,
      started_at: null,
      handled_at: null,
      first_handled_at: null,
      closed_at: null,
      suspended_at: null,
      warned_at: null,
      overdue_at: null,
      escalated_at: null,
      closed_on_time: null,
      rating: null,
      rated_at: null,
      merged_into: null,
      created_at: now,
      updated_at: now,
    });
    await cq.insertEvent(tx.db, {
      caseId: id,
      at: now,
      actorId: null,
      actorName: actorName(key),
      action: 'report',
      from: null,
      to: 'reported',
      note: null,
      details: { source: 'open311', apiKeyId: key.id },
    });
    await q.insertSubmission(tx.db, {
      caseId: id,
      apiKeyId: key.id,
      token: randomToken(16),
      deviceId: deviceId ?? null,
      accountId: accountId ?? null,
      // The outside system keeps talking to its user; Jiayuan keeps the contact details sealed, for staff to call back.
      emailEnc: email ? encrypt(ctx.keyring, email) : null,
      phoneEnc: phone ? encrypt(ctx.keyring, phone) : null,
      mediaUrl: media ?? null,
      hash,
      now,
    });
    await recordAudit(tx, {
      action: 'case.report',
      objectType: 'case',
      objectId: id,
      details: { number, source: 'open311', category: service.code, apiKeyId: key.id },
      ...auditActor(key),
    });
    await notify(tx, {
      topic: 'case.transition',
      kind: 'case.reported',
      caseId: id,
      title: `事件已登记：${number}`,
      body: `Open311（${key.name}）上报的事件已登记，编号 ${number}`,
      recipients: [],
      data: { number, state: 'reported', source: 'open311' },
    });
    return {
      status: 201,
      body: [
        {
          service_request_id: number,
          service_notice: `已登记，事件编号 ${number} · Registered as case ${number}`,
          account_id: accountId ?? null,
        },
      ],
    };
  });
}

export async function tokenLookup(ctx: Ctx, token: string): Promise<Resource> {
  const r = token.length <= 64 ? await q.requestByToken(ctx.db, token) : undefined;
  if (!r) throw new AppError('not_found', 'OPEN311_TOKEN_NOT_FOUND');
  return {
    kind: 'list',
    root: 'service_requests',
    item: 'request',
    rows: [{ service_request_id: r.number, token: r.token }],
  };
}

// ——— reading requests ———

type StateEvent = { action: string; to_state: string | null; note: string | null; details: unknown };

/** What the public may read about a state change: the new state and, for outward-facing steps, their note. */
export function publicNote(e: StateEvent): string {
  const label = caseStateLabels[e.to_state as CaseState]?.zh ?? e.to_state ?? '';
  const d = (e.details ?? {}) as Record<string, unknown>;
  let more: unknown = null;
  switch (e.action) {
    case 'handle':
      more = e.note;
      break;
    case 'close':
      more = d.checkResult ?? e.note;
      break;
    case 'discard':
      more = d.reason;
      break;
    case 'merge':
      more = d.intoNumber ? `与事件 ${String(d.intoNumber)} 合并办理` : null;
      break;
  }
  const text = typeof more === 'string' && more.trim() ? `${label}：${more.trim()}` : label;
  return maskPersonal(text);
}

/** The subtree a read covers: the key's, narrowed by jurisdiction_id (404 off the key's branch). */
async function readScope(ctx: Ctx, p: Params, key: ApiPrincipal | null) {
  const code = p.get('jurisdiction_id');
  if (code === undefined) return { scopePath: key?.path ?? null, subtreePath: null };
  const j = await q.jurisdictionByCode(ctx.db, code);
  if (!j || (key && !isWithin(j.path, key.path) && !isWithin(key.path, j.path)))
    throw new AppError('not_found', 'OPEN311_JURISDICTION_NOT_FOUND');
  return { scopePath: key?.path ?? null, subtreePath: j.path };
}

async function present(ctx: Ctx, rows: q.RequestRow[]): Promise<Record<string, Value>[]> {
  const last = new Map(
    (
      await q.latestStateEvents(
        ctx.db,
        rows.map((r) => r.id),
      )
    ).map((e) => [e.case_id, e]),
  );
  return rows.map((r) => {
    const e = last.get(r.id);
    const status = plainStatus(r.state);
    return {
      service_request_id: r.number,
      status,
      status_notes: e ? publicNote(e) : (caseStateLabels[r.state as CaseState]?.zh ?? r.state),
      service_name: r.service_name,
      service_code: r.service_code,
      description: maskPersonal(r.description),
      agency_responsible: r.department_name ?? r.jurisdiction_name,
      service_notice: null,
      requested_datetime: w3c(r.created_at),
      updated_datetime: w3c(status === 'closed' ? (r.closed_at ?? r.updated_at) : r.updated_at),
      expected_datetime: status === 'open' ? w3c(r.expected_at) : null,
      address: r.address,
      address_id: r.jurisdiction_code,
      zipcode: null,
      lat: r.lat,
      long: r.lng,
      media_url: r.media_url,
    };
  });
}

const requestList = (rows: Record<string, Value>[]): Resource => ({
  kind: 'list',
  root: 'service_requests',
  item: 'request',
  rows,
});

/**
 * GET requests: the cases that came in through Open311. Without a key, all of them (never the reporter's name,
 * e-mail or phone, personal data in descriptions masked); with a key, those in the key's subtree.
 */
export async function listRequests(ctx: Ctx, p: Params, key: ApiPrincipal | null): Promise<Resource> {
  const scope = await readScope(ctx, p, key);
  const ids = p.get('service_request_id');
  if (ids !== undefined) {
    const numbers = [...new Set(ids.split(',').map((s) => s.trim()))].filter((s) => s !== '');
    if (numbers.length > MAX_IDS || numbers.some((n) => n.length > 64)) throw invalidParam('service_request_id');
    const rows = await q.listRequests(ctx.db, { ...scope, numbers, limit: MAX_IDS, offset: 0 });
    return requestList(await present(ctx, rows));
  }
  const codes = p.get('service_code');
  const serviceCodes = codes
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const status = p.get('status');
  let states: string[] | undefined;
  if (status !== undefined) {
    const wanted = new Set(status.split(',').map((s) => s.trim().toLowerCase()));
    if ([...wanted].some((s) => s !== 'open' && s !== 'closed')) throw invalidParam('status');
    states = [...wanted].flatMap((s) => statesWith(s as 'open' | 'closed'));
  }
  const { start, end } = dateWindow(p, ctx.clock.now());
  const rows = await q.listRequests(ctx.db, {
    ...scope,
    ...(serviceCodes?.length ? { serviceCodes } : {}),
    ...(states ? { states } : {}),
    from: start,
    to: end,
    ...paging(p),
  });
  return requestList(await present(ctx, rows));
}

export async function getRequest(ctx: Ctx, id: string, p: Params, key: ApiPrincipal | null): Promise<Resource> {
  const scope = await readScope(ctx, p, key);
  const rows = id.length <= 64 ? await q.listRequests(ctx.db, { ...scope, numbers: [id], limit: 1, offset: 0 }) : [];
  if (rows.length === 0) throw new AppError('not_found', 'OPEN311_REQUEST_NOT_FOUND');
  return requestList(await present(ctx, rows));
}

// ——— servicerequestupdates (FixMyStreet's extension) ———

/** GET servicerequestupdates: the state changes Jiayuan staff made on Open311 cases in the key's subtree. */
export async function listUpdates(ctx: Ctx, p: Params, key: ApiPrincipal): Promise<Resource> {
  const { subtreePath } = await readScope(ctx, p, key);
  const { start, end } = dateWindow(p, ctx.clock.now());
  const rows = await q.stateChanges(ctx.db, { scopePath: key.path, subtreePath, from: start, to: end, ...paging(p) });
  return {
    kind: 'list',
    root: 'service_request_updates',
    item: 'request_update',
    rows: rows.map((e) => ({
      update_id: String(e.id),
      service_request_id: e.number,
      status: e.action === 'merge' ? 'DUPLICATE' : extendedStatus(e.to_state ?? '', null),
      updated_datetime: w3c(e.at),
      description: publicNote(e),
      media_url: null,
      external_status_code: e.to_state,
    })),
  };
}

/**
 * POST servicerequestupdates: a note from the outside system on the case timeline, idempotent by (key, update_id).
 * The state is never changed from outside: the workflow's steps need their roles, photos and check results. The
 * status the outside system reports is kept with the note and the case's owner and assignee are told in-app.
 */
export async function postUpdate(ctx: Ctx, key: ApiPrincipal, p: Params): Promise<Answer> {
  const number = required(p, 'service_request_id');
  const externalId = p.first('update_id', 'update_id_ext');
  if (externalId === undefined)
    throw new AppError('invalid', 'OPEN311_PARAM_REQUIRED', { params: { name: 'update_id' } });
  if (externalId.length > 255) throw invalidParam('update_id');
  const rawStatus = p.get('status')?.toUpperCase();
  if (rawStatus !== undefined && !(extendedStatuses as readonly string[]).includes(rawStatus))
    throw invalidParam('status');
  const updatedAt = p.get('updated_datetime');
  const at = updatedAt !== undefined ? parseW3c('updated_datetime', updatedAt) : undefined;
  const description = p.text('description');
  if (description !== undefined && [...description].length > MAX_DESCRIPTION) throw invalidParam('description');
  const media = mediaUrl(p);
  const name = [bounded(p, 'first_name', 50), bounded(p, 'last_name', 50)].filter((x) => x !== undefined).join(' ');
  const now = ctx.clock.now();

  return withTx(ctx, async (tx) => {
    await q.lockSubmission(tx.db, `open311-update:${key.id}:${externalId}`);
    const seen = await q.updateByExternalId(tx.db, key.id, externalId);
    if (seen) return { status: 200, body: [{ update_id: String(seen.event_id) }] };
    const c = await q.open311CaseByNumber(tx.db, number, key.path, true);
    if (!c) throw new AppError('not_found', 'OPEN311_REQUEST_NOT_FOUND');
    const { id: eventId } = await q.insertExternalNote(tx.db, {
      caseId: c.id,
      state: c.state,
      at: now,
      actorName: actorName(key),
      note: description ?? null,
      details: {
        source: 'open311',
        apiKeyId: key.id,
        updateId: externalId,
        ...(rawStatus ? { status: rawStatus } : {}),
        ...(at ? { updatedAt: at.toISOString() } : {}),
        ...(media ? { mediaUrl: media } : {}),
        ...(name ? { by: maskName(name) } : {}),
      },
    });
    await q.insertUpdateLink(tx.db, { apiKeyId: key.id, externalId, caseId: c.id, eventId, now });
    await recordAudit(tx, {
      action: 'open311.update.receive',
      objectType: 'case',
      objectId: c.id,
      details: { number: c.number, updateId: externalId, status: rawStatus ?? null, apiKeyId: key.id },
      ...auditActor(key),
    });
    await notify(tx, {
      topic: 'case.transition',
      kind: 'case.open311_update',
      caseId: c.id,
      title: `外部更新：${c.number}`,
      body: `Open311（${key.name}）对事件 ${c.number} 提交了更新${rawStatus ? `（${rawStatus}）` : ''}`,
      recipients: [c.owner_id, c.assignee_id],
      data: { number: c.number, status: rawStatus ?? null, source: 'open311' },
    });
    return { status: 201, body: [{ update_id: String(eventId) }] };
  });
}

export const updateAnswer = (rows: Record<string, Value>[]): Resource => ({
  kind: 'list',
  root: 'service_request_updates',
  item: 'request_update',
  rows,
});
export const requestAnswer = requestList;
