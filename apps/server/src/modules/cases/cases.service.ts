import crypto, { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  type CaseAction,
  type CaseSource,
  type CaseState,
  caseStateLabels,
  type DeadlineColour,
  type Role,
  type TCaseDetail,
  type TCaseSummary,
  type TCreateCase,
  type TTransition,
} from '@jiayuan/contracts';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../shared/app-error.ts';
import { type Actor, type Ctx, isWithin, withTx } from '../../shared/context.ts';
import { decrypt, encrypt } from '../../shared/crypto.ts';
import { recordAudit } from '../audit/index.ts';
import { authorize, can } from '../identity/index.ts';
import { type AllowedMime, extensionFor, sanitise, sniffMime } from './attachments.ts';
import { allowedActions, check, openStates, REOPEN_WINDOW_DAYS, transitionFor } from './case.workflow.ts';
import * as q from './cases.queries.ts';
import * as cq from './categories.queries.ts';
import { effectiveLimit, usableDepartment, validateExtra, visibleCategory } from './categories.service.ts';
import { addDuration, deadlineFrom, durationBetween, localYear } from './deadlines.calendar.ts';
import { loadCalendar } from './deadlines.service.ts';
import { notify } from './notifications/outbox.ts';

/** Point → grid, from the registry's grid boundaries (injected so this module works before the registry exists). */
/** Point → grid. `via`: the caller's transaction handle, when it holds one (see registry's gridLocator). */
export type GridLocator = (
  lng: number,
  lat: number,
  via?: Kysely<DB>,
) => Promise<{ gridId: string; path: string } | null>;

export type CaseOptions = {
  locateGrid?: GridLocator;
  /** A report within this distance and time of an open one of the same 小类 is offered as a duplicate. */
  duplicateRadiusM: number;
  duplicateHours: number;
  uploadDir: string;
};

type CaseRow = q.CaseRow;
const DAY = 86_400_000;
const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
const actorOf = (ctx: Ctx): Actor => {
  if (!ctx.actor) throw new AppError('unauthenticated', 'AUTH_REQUIRED');
  return ctx.actor;
};

// ——— visibility and presentation ———

/** Staff read the cases of their subtree; anyone reads the cases they reported, own or are assigned. */
export function canSee(actor: Actor, c: Pick<CaseRow, 'path' | 'reporter_id' | 'assignee_id' | 'owner_id'>): boolean {
  return (
    (can(actor, 'case.read') && isWithin(c.path, actor.scopePath)) ||
    c.reporter_id === actor.userId ||
    c.assignee_id === actor.userId ||
    c.owner_id === actor.userId
  );
}

async function visibleCase(ctx: Ctx, id: string, forUpdate = false): Promise<CaseRow> {
  const actor = actorOf(ctx);
  const c = await q.caseById(ctx.db, id, forUpdate);
  if (!c || !canSee(actor, c)) throw new AppError('not_found', 'CASES_NOT_FOUND');
  return c;
}

export function deadlineColour(c: Pick<CaseRow, 'state' | 'expected_at' | 'warn_at'>, now: Date): DeadlineColour {
  if (c.state === 'closed' || c.state === 'discarded') return 'none';
  if (c.state === 'suspended') return 'paused';
  if (c.expected_at && new Date(c.expected_at) <= now) return 'red';
  if (c.warn_at && new Date(c.warn_at) <= now) return 'yellow';
  return 'green';
}

const parties = (c: CaseRow) => ({
  path: c.path,
  ownerId: c.owner_id,
  assigneeId: c.assignee_id,
  reporterId: c.reporter_id,
  state: c.state as CaseState,
});

export const maskName = (n: string | null): string | null => {
  if (!n) return n;
  const chars = [...n];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
};
export const maskPhone = (p: string | null): string | null => (p ? `${p.slice(0, 3)}****${p.slice(-4)}` : p);

function summary(
  c: CaseRow & { category_name: string; jurisdiction_name: string; assignee_name: string | null },
  now: Date,
): TCaseSummary {
  return {
    id: c.id,
    number: c.number,
    state: c.state as CaseState,
    urgency: c.urgency,
    source: c.source as CaseSource,
    title: c.title,
    categoryId: c.category_id,
    categoryName: c.category_name,
    jurisdictionId: c.jurisdiction_id,
    jurisdictionName: c.jurisdiction_name,
    gridId: c.grid_id,
    assigneeId: c.assignee_id,
    assigneeName: c.assignee_name,
    departmentId: c.department_id,
    lng: c.lng,
    lat: c.lat,
    expectedAt: iso(c.expected_at),
    deadline: deadlineColour(c, now),
    createdAt: iso(c.created_at) as string,
  };
}

export async function timeline(ctx: Ctx, id: string) {
  await visibleCase(ctx, id);
  return timelineOf(ctx, id);
}

async function timelineOf(ctx: Ctx, id: string) {
  return (await q.eventsOf(ctx.db, id)).map((e) => ({
    id: String(e.id),
    at: iso(e.at) as string,
    actorId: e.actor_id,
    actorName: e.actor_name,
    action: e.action,
    from: e.from_state,
    to: e.to_state,
    note: e.note,
    details: e.details,
  }));
}

async function present(ctx: Ctx, c: CaseRow): Promise<TCaseDetail> {
  const actor = actorOf(ctx);
  const labels = await q.caseLabels(ctx.db, c.id);
  const now = ctx.clock.now();
  const isReporter = c.reporter_id === actor.userId;
  let reporter: TCaseDetail['reporter'] = null;
  if (isReporter || can(actor, 'person.read')) {
    if (c.caller_name_enc || c.caller_phone_enc) {
      reporter = {
        name: maskName(c.caller_name_enc ? decrypt(ctx.keyring, c.caller_name_enc) : null),
        phone: maskPhone(c.caller_phone_enc ? decrypt(ctx.keyring, c.caller_phone_enc) : null),
      };
    } else if (labels.reporter_name) reporter = { name: maskName(labels.reporter_name), phone: null };
  }
  return {
    ...summary({ ...c, ...labels }, now),
    description: c.description,
    address: c.address,
    extra: (c.extra as Record<string, unknown>) ?? {},
    reporter,
    ownerId: c.owner_id,
    timeLimitMinutes: c.time_limit_minutes,
    clock: c.clock,
    warnAt: iso(c.warn_at),
    dispatchedAt: iso(c.dispatched_at),
    handledAt: iso(c.handled_at),
    closedAt: iso(c.closed_at),
    rating: c.rating,
    mergedInto: c.merged_into,
    allowedActions: allowedActions(actor, parties(c)),
    attachments: (await q.attachmentsOf(ctx.db, c.id)).map((a) => ({
      id: a.id,
      kind: a.kind,
      mime: a.mime,
      sizeBytes: a.size_bytes,
      createdAt: iso(a.created_at) as string,
    })),
    timeline: await timelineOf(ctx, c.id),
  };
}

export async function getCase(ctx: Ctx, id: string): Promise<TCaseDetail> {
  return present(ctx, await visibleCase(ctx, id));
}

// ——— intake ———

const sourceRoles: Record<Exclude<CaseSource, 'open311'>, Role[]> = {
  grid_manager: ['grid_manager'],
  building_head: ['building_head'],
  resident: ['resident'],
  hotline: ['front_desk', 'community_worker', 'community_leader'],
  referral: ['street_staff', 'community_leader'],
};
/** Residents and building heads may report a point anywhere; staff report inside their own scope. */
const reportsAnywhere: Role[] = ['resident', 'building_head'];

type Place = { id: string; path: string; level: string; parentId: string | null };

async function placeOf(ctx: Ctx, input: TCreateCase, opts: CaseOptions): Promise<Place> {
  const actor = actorOf(ctx);
  const node = async (id: string) => {
    const j = await cq.jurisdictionById(ctx.db, id);
    return j ? { id: j.id, path: j.path, level: j.level, parentId: j.parent_id, status: j.status } : null;
  };
  let place: (Place & { status: string }) | null = null;
  let byPoint = false;
  if (input.lng !== undefined && input.lat !== undefined && opts.locateGrid) {
    const g = await opts.locateGrid(input.lng, input.lat, ctx.db);
    if (g) {
      place = await node(g.gridId);
      byPoint = true;
    }
  }
  if (!place && input.jurisdictionId) place = await node(input.jurisdictionId);
  if (!place && !input.jurisdictionId) {
    const own = await node(actor.jurisdictionId);
    if (own && (own.level === 'grid' || own.level === 'community')) place = own;
  }
  if (!place)
    throw new AppError(
      input.jurisdictionId ? 'invalid' : 'invalid',
      input.jurisdictionId ? 'CASES_JURISDICTION_INVALID' : 'CASES_LOCATION_REQUIRED',
    );
  const anywhere = byPoint && actor.roles.some((r) => reportsAnywhere.includes(r));
  if (
    place.status !== 'active' ||
    (place.level !== 'grid' && place.level !== 'community') ||
    (!anywhere && !isWithin(place.path, actor.scopePath))
  )
    throw new AppError('invalid', 'CASES_JURISDICTION_INVALID');
  return place;
}

export async function createCase(ctx: Ctx, input: TCreateCase, opts: CaseOptions) {
  const actor = actorOf(ctx);
  authorize(actor, 'case.report');
  const src = input.source as Exclude<CaseSource, 'open311'>;
  if (!actor.roles.some((r) => sourceRoles[src].includes(r)))
    throw new AppError('forbidden', 'CASES_SOURCE_NOT_ALLOWED');
  if ((src === 'hotline') !== (input.caller !== undefined)) throw new AppError('invalid', 'CASES_CALLER_REQUIRED');
  if ((input.lng === undefined) !== (input.lat === undefined)) throw new AppError('invalid', 'CASES_LOCATION_REQUIRED');
  const category = await visibleCategory(ctx, input.categoryId);
  if (category.parent_id === null) throw new AppError('invalid', 'CASES_CATEGORY_NOT_LEAF');
  if (!category.active) throw new AppError('invalid', 'CASES_CATEGORY_INACTIVE');
  const place = await placeOf(ctx, input, opts);
  if (category.path && !isWithin(place.path, category.path))
    throw new AppError('not_found', 'CASES_CATEGORY_NOT_FOUND');
  const extra = validateExtra(category.extra_fields, input.extra);
  const urgency = input.urgency ?? category.default_urgency ?? 'yellow';
  const limit = effectiveLimit(category, input.urgency) as number;
  const now = ctx.clock.now();
  const labels = place.path.split('.');
  const districtCode = labels[1] ?? labels[0] ?? '000000';
  const communityId = place.level === 'grid' ? (place.parentId as string) : place.id;

  const created = await withTx(ctx, async (tx) => {
    const cal = await loadCalendar(tx.db);
    // Before dispatch the deadline is provisional (as if dispatched now); the clock really starts at dispatch.
    const provisional = deadlineFrom(now, limit, category.clock, cal);
    const year = localYear(now);
    const n = await q.nextCaseNumber(tx.db, districtCode, year);
    const number = `${districtCode}-${year}-${String(n).padStart(6, '0')}`;
    const { id } = await q.insertCase(tx.db, {
      number,
      category_id: category.id,
      jurisdiction_id: place.id,
      path: place.path,
      community_id: communityId,
      grid_id: place.level === 'grid' ? place.id : null,
      state: 'reported',
      urgency,
      source: src,
      title: input.title ?? [...input.description].slice(0, 30).join(''),
      description: input.description,
      address: input.address ?? null,
      lng: input.lng ?? null,
      lat: input.lat ?? null,
      extra: JSON.stringify(extra),
      reporter_id: actor.userId,
      caller_name_enc: input.caller ? encrypt(ctx.keyring, input.caller.name) : null,
      caller_phone_enc: input.caller ? encrypt(ctx.keyring, input.caller.phone) : null,
      owner_id: null,
      assignee_id: null,
      department_id: null,
      time_limit_minutes: limit,
      clock: category.clock,
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
    await q.insertEvent(tx.db, {
      caseId: id,
      at: now,
      actorId: actor.userId,
      actorName: actor.displayName,
      action: 'report',
      from: null,
      to: 'reported',
      note: null,
      details: { source: src },
    });
    await recordAudit(tx, {
      action: 'case.report',
      objectType: 'case',
      objectId: id,
      details: { number, source: src, category: category.code },
    });
    await notify(tx, {
      topic: 'case.transition',
      kind: 'case.reported',
      caseId: id,
      title: `事件已登记：${number}`,
      body: `您上报的事件已登记，编号 ${number}`,
      recipients: [actor.userId],
      includeActor: true,
      data: { number, state: 'reported' },
      ...(input.caller
        ? {
            sms: {
              phoneEnc: encrypt(ctx.keyring, input.caller.phone),
              text: `【家园】您反映的问题已登记，编号 ${number}，我们将尽快处理。`,
            },
          }
        : {}),
    });
    return id;
  });

  const possibleDuplicates =
    input.lng !== undefined && input.lat !== undefined
      ? await q.nearbyOpen(ctx.db, {
          categoryId: category.id,
          since: new Date(now.getTime() - opts.duplicateHours * 3600_000),
          lng: input.lng,
          lat: input.lat,
          radiusM: opts.duplicateRadiusM,
          subtreePath: labels.slice(0, Math.min(labels.length, 4)).join('.'),
          openStates,
          excludeId: created,
        })
      : [];
  // Anyone reporting is told a similar open case exists (its number); only those who may read it see its title.
  const visibleDupes = [];
  for (const d of possibleDuplicates) {
    const row = await q.caseById(ctx.db, d.id);
    visibleDupes.push({
      id: d.id,
      number: d.number,
      title: row && canSee(actor, row) ? d.title : d.category_name,
      state: d.state as CaseState,
      distanceM: Math.round(Number(d.distance_m) * 10) / 10,
      createdAt: iso(d.created_at) as string,
    });
  }
  return { case: await getCase(ctx, created), possibleDuplicates: visibleDupes };
}

// ——— listing ———

const encodeCursor = (createdAt: Date, id: string) =>
  Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
function decodeCursor(s: string): { createdAt: Date; id: string } {
  try {
    const [t, id] = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as [string, string];
    const createdAt = new Date(t);
    if (Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) throw new Error('bad');
    return { createdAt, id };
  } catch {
    throw new AppError('invalid', 'VALIDATION_FAILED', { details: { cursor: 'invalid' } });
  }
}

export async function listCases(
  ctx: Ctx,
  f: {
    state?: string;
    categoryId?: string;
    urgency?: string;
    deadline?: string;
    gridId?: string;
    jurisdictionId?: string;
    assigneeId?: string;
    mine?: 'reported' | 'assigned';
    limit: number;
    cursor?: string;
  },
) {
  const actor = actorOf(ctx);
  const states = f.state?.split(',');
  if (states?.some((s) => !(s in caseStateLabels)))
    throw new AppError('invalid', 'VALIDATION_FAILED', { details: { state: f.state } });
  let subtreePath: string | undefined;
  if (f.jurisdictionId) {
    const j = await cq.jurisdictionById(ctx.db, f.jurisdictionId);
    if (!j || !isWithin(j.path, actor.scopePath)) return { items: [], nextCursor: null };
    subtreePath = j.path;
  }
  const now = ctx.clock.now();
  const rows = await q.listCases(ctx.db, {
    scopePath: can(actor, 'case.read') ? actor.scopePath : null,
    relatedUserId: actor.userId,
    states,
    categoryIds: f.categoryId ? await q.subcategoryIds(ctx.db, f.categoryId) : undefined,
    urgency: f.urgency,
    deadline: f.deadline,
    gridId: f.gridId,
    subtreePath,
    assigneeId: f.assigneeId,
    mine: f.mine,
    now,
    limit: f.limit,
    after: f.cursor ? decodeCursor(f.cursor) : undefined,
  });
  const last = rows.at(-1);
  return {
    items: rows.map((r) => summary(r, now)),
    nextCursor: rows.length === f.limit && last ? encodeCursor(new Date(last.created_at), last.id) : null,
  };
}

// ——— transitions ———

function illegal(c: CaseRow, action: CaseAction, to: string): AppError {
  const from = c.state as CaseState;
  return new AppError('conflict', 'CASES_ILLEGAL_TRANSITION', {
    params: {
      from,
      to,
      action,
      fromLabel: caseStateLabels[from]?.zh ?? from,
      actionLabel: transitionFor(action).label.zh,
    },
    details: { from, to, action },
  });
}

async function checkAssignee(ctx: Ctx, c: CaseRow, assigneeId: string) {
  const u = await q.userForAssignment(ctx.db, assigneeId);
  const working = ['grid_manager', 'community_worker', 'community_leader', 'street_staff', 'department_staff'];
  if (u?.status !== 'active' || !u.roles.some((r) => working.includes(r)) || !isWithin(c.path, u.path))
    throw new AppError('invalid', 'CASES_ASSIGNEE_INVALID');
  return u;
}

/** Moves a case one step along the workflow, in one transaction with its event, audit row and notifications. */
export async function transition(ctx: Ctx, id: string, input: TTransition): Promise<TCaseDetail> {
  const actor = actorOf(ctx);
  await withTx(ctx, async (tx) => {
    const c = await visibleCase(tx, id, true);
    const verdict = check(actor, parties(c), input.action);
    if (!verdict.ok && verdict.why === 'illegal') throw illegal(c, input.action, verdict.to);
    if (!verdict.ok) throw new AppError('forbidden', 'CASES_ACTION_FORBIDDEN');
    const to = verdict.to;
    const now = ctx.clock.now();
    const set: Parameters<typeof q.updateCase>[2] = { state: to, updated_at: now };
    const details: Record<string, unknown> = {};
    let reason: string | null = null;
    let counter: 'rework_count' | 'handled_count' | 'reopen_count' | null = null;
    const withinWindow = () => {
      if (!c.closed_at || now.getTime() - new Date(c.closed_at).getTime() > REOPEN_WINDOW_DAYS * DAY)
        throw new AppError('conflict', 'CASES_REOPEN_WINDOW_PASSED', { params: { days: REOPEN_WINDOW_DAYS } });
    };
    switch (input.action) {
      case 'verify':
        break;
      case 'discard':
        reason = input.reason;
        break;
      case 'accept': {
        set.owner_id = actor.userId;
        set.accepted_at = now;
        const category = await cq.categoryById(tx.db, c.category_id);
        const route = await cq.routeFor(
          tx.db,
          [c.category_id, category?.parent_id].filter((x): x is string => !!x),
          c.path,
        );
        set.department_id = route?.department_id ?? null;
        details.departmentId = set.department_id;
        break;
      }
      case 'dispatch': {
        const u = await checkAssignee(tx, c, input.assigneeId);
        if (input.departmentId) await usableDepartment(tx, input.departmentId);
        set.assignee_id = u.id;
        if (input.departmentId !== undefined) set.department_id = input.departmentId;
        set.dispatched_at = now;
        set.first_dispatched_at = c.first_dispatched_at ?? now;
        // The clock starts at the first dispatch and again after a reopen; a rework keeps the running deadline.
        if (c.state !== 'rework' || !c.dispatched_at) {
          const d = deadlineFrom(now, c.time_limit_minutes, c.clock, await loadCalendar(tx.db));
          set.expected_at = d.expectedAt;
          set.warn_at = d.warnAt;
          set.warned_at = null;
          set.overdue_at = null;
        }
        details.assigneeId = u.id;
        details.assigneeName = u.display_name;
        break;
      }
      case 'start':
        set.started_at = c.started_at ?? now;
        break;
      case 'handle': {
        const ids = [...new Set(input.attachmentIds)];
        const photos = (await q.attachmentsOf(tx.db, c.id)).filter(
          (a) => ids.includes(a.id) && (a.mime === 'image/jpeg' || a.mime === 'image/png'),
        );
        if (photos.length !== ids.length) throw new AppError('invalid', 'CASES_PHOTOS_REQUIRED');
        await q.markHandlingPhotos(tx.db, c.id, ids);
        set.handled_at = now;
        set.first_handled_at = c.first_handled_at ?? now;
        counter = 'handled_count';
        details.attachmentIds = ids;
        break;
      }
      case 'close': {
        set.closed_at = now;
        set.closed_on_time =
          c.expected_at !== null && c.handled_at !== null && new Date(c.handled_at) <= new Date(c.expected_at);
        details.checkResult = input.checkResult;
        break;
      }
      case 'rework':
        reason = input.reason;
        counter = 'rework_count';
        break;
      case 'suspend':
        reason = input.reason;
        set.suspended_at = now;
        set.ever_suspended = true;
        break;
      case 'resume': {
        // The clock stood still while suspended: the deadline moves by the (working) time that was left.
        const cal = await loadCalendar(tx.db);
        const since = new Date(c.suspended_at as Date);
        const shift = (t: Date | null) =>
          t && new Date(t) > since
            ? addDuration(now, durationBetween(since, new Date(t), c.clock, cal), c.clock, cal)
            : t;
        set.expected_at = shift(c.expected_at);
        set.warn_at = shift(c.warn_at);
        set.suspended_at = null;
        details.expectedAt = iso(set.expected_at);
        break;
      }
      case 'reopen':
        withinWindow();
        reason = input.reason;
        counter = 'reopen_count';
        set.closed_at = null;
        set.closed_on_time = null;
        if (input.rating) {
          set.rating = input.rating;
          set.rated_at = now;
        }
        break;
      case 'rate':
        withinWindow();
        set.rating = input.rating;
        set.rated_at = now;
        details.rating = input.rating;
        break;
    }
    await q.updateCase(tx.db, c.id, set);
    if (counter) await q.incrementCounters(tx.db, c.id, counter);
    await q.insertEvent(tx.db, {
      caseId: c.id,
      at: now,
      actorId: actor.userId,
      actorName: actor.displayName,
      action: input.action,
      from: c.state,
      to,
      note: input.note ?? (input.action === 'handle' ? input.note : null) ?? null,
      details: { ...details, ...(reason ? { reason } : {}) },
    });
    await recordAudit(tx, {
      action: `case.${input.action}`,
      objectType: 'case',
      objectId: c.id,
      reason,
      details: {
        number: c.number,
        from: c.state,
        to,
        ...('assigneeId' in details ? { assigneeId: details.assigneeId } : {}),
      },
    });
    const label = transitionFor(input.action).label.zh;
    await notify(tx, {
      topic: 'case.transition',
      kind: `case.${input.action}`,
      caseId: c.id,
      title: `${label}：${c.number}`,
      body: `事件 ${c.number}「${c.title}」${caseStateLabels[c.state as CaseState]?.zh ?? c.state} → ${caseStateLabels[to].zh}`,
      recipients: [c.reporter_id, (set.assignee_id as string | undefined) ?? c.assignee_id, c.owner_id],
      data: { number: c.number, from: c.state, to, action: input.action },
      ...(input.action === 'close' && c.caller_phone_enc
        ? {
            sms: {
              phoneEnc: c.caller_phone_enc,
              text: `【家园】您反映的问题（编号 ${c.number}）已办结，感谢您的支持。`,
            },
          }
        : {}),
    });
  });
  return getCase(ctx, id);
}

/** Folds a duplicate report (not yet accepted) into an open case of the same 小类. */
export async function mergeCase(ctx: Ctx, id: string, input: { intoId: string; note?: string }): Promise<TCaseDetail> {
  const actor = actorOf(ctx);
  await withTx(ctx, async (tx) => {
    const c = await visibleCase(tx, id, true);
    const verdict = check(actor, parties(c), 'merge');
    if (!verdict.ok && verdict.why === 'illegal') throw illegal(c, 'merge', verdict.to);
    if (!verdict.ok) throw new AppError('forbidden', 'CASES_ACTION_FORBIDDEN');
    const target = await q.caseById(tx.db, input.intoId, true);
    if (
      !target ||
      !canSee(actor, target) ||
      target.id === c.id ||
      target.category_id !== c.category_id ||
      !openStates.includes(target.state as CaseState)
    )
      throw new AppError('invalid', 'CASES_MERGE_INVALID');
    const now = ctx.clock.now();
    await q.updateCase(tx.db, c.id, { state: 'discarded', merged_into: target.id, updated_at: now });
    await q.insertEvent(tx.db, {
      caseId: c.id,
      at: now,
      actorId: actor.userId,
      actorName: actor.displayName,
      action: 'merge',
      from: c.state,
      to: 'discarded',
      note: input.note ?? null,
      details: { into: target.id, intoNumber: target.number },
    });
    await q.insertEvent(tx.db, {
      caseId: target.id,
      at: now,
      actorId: actor.userId,
      actorName: actor.displayName,
      action: 'merged_from',
      from: target.state,
      to: target.state,
      note: input.note ?? null,
      details: { from: c.id, fromNumber: c.number },
    });
    await recordAudit(tx, {
      action: 'case.merge',
      objectType: 'case',
      objectId: c.id,
      details: { number: c.number, into: target.number },
    });
    await notify(tx, {
      topic: 'case.transition',
      kind: 'case.merge',
      caseId: c.id,
      title: `事件已合并：${c.number}`,
      body: `您上报的事件 ${c.number} 与 ${target.number} 为同一问题，已合并办理`,
      recipients: [c.reporter_id],
      data: { number: c.number, into: target.number },
    });
  });
  return getCase(ctx, id);
}

// ——— attachments ———

export class AttachmentTypeError extends Error {}

export async function addAttachment(ctx: Ctx, caseId: string, data: Buffer, opts: Pick<CaseOptions, 'uploadDir'>) {
  const actor = actorOf(ctx);
  const c = await visibleCase(ctx, caseId);
  if (c.state === 'closed' || c.state === 'discarded') throw new AppError('conflict', 'CASES_ATTACHMENT_CLOSED');
  const mime = sniffMime(data);
  if (!mime) throw new AttachmentTypeError();
  let clean: Buffer;
  try {
    clean = sanitise(data, mime);
  } catch {
    throw new AttachmentTypeError();
  }
  const now = ctx.clock.now();
  const rel = path.join('cases', localYearMonth(now), randomUUID());
  const file = path.join(opts.uploadDir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o750 });
  fs.writeFileSync(file, clean, { flag: 'wx', mode: 0o640 });
  try {
    return await withTx(ctx, async (tx) => {
      const a = await q.insertAttachment(tx.db, {
        caseId: c.id,
        jurisdictionId: c.jurisdiction_id,
        path: c.path,
        kind: c.assignee_id === actor.userId ? 'handling' : c.state === 'reported' ? 'report' : 'other',
        mime,
        sizeBytes: clean.length,
        sha256: crypto.createHash('sha256').update(clean).digest('hex'),
        storageName: rel,
        uploadedBy: actor.userId,
        now,
      });
      await q.insertEvent(tx.db, {
        caseId: c.id,
        at: now,
        actorId: actor.userId,
        actorName: actor.displayName,
        action: 'attachment',
        from: c.state,
        to: c.state,
        note: null,
        details: { attachmentId: a.id, mime },
      });
      await recordAudit(tx, {
        action: 'case.attachment.add',
        objectType: 'case',
        objectId: c.id,
        details: { attachmentId: a.id, mime, size: clean.length },
      });
      return { id: a.id, kind: a.kind, mime: a.mime, sizeBytes: a.size_bytes, createdAt: iso(a.created_at) as string };
    });
  } catch (e) {
    fs.rmSync(file, { force: true });
    throw e;
  }
}

const localYearMonth = (t: Date) => {
  const d = new Date(t.getTime() + 8 * 3600_000).toISOString();
  return path.join(d.slice(0, 4), d.slice(5, 7));
};

export async function openAttachment(
  ctx: Ctx,
  caseId: string,
  attachmentId: string,
  opts: Pick<CaseOptions, 'uploadDir'>,
) {
  const c = await visibleCase(ctx, caseId);
  const a = await q.attachmentOfCase(ctx.db, c.id, attachmentId);
  if (!a) throw new AppError('not_found', 'CASES_ATTACHMENT_NOT_FOUND');
  const root = path.resolve(opts.uploadDir);
  const file = path.resolve(root, a.storage_name);
  if (!file.startsWith(`${root}${path.sep}`) || !fs.existsSync(file))
    throw new AppError('not_found', 'CASES_ATTACHMENT_NOT_FOUND');
  return {
    stream: fs.createReadStream(file),
    mime: a.mime as AllowedMime,
    size: a.size_bytes,
    filename: `${c.number}-${a.id.slice(0, 8)}.${extensionFor[a.mime as AllowedMime]}`,
  };
}
