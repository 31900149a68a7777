import { type Kysely, type Selectable, sql } from 'kysely';
import type { CasesTable, DB } from '../../db/schema.ts';

/** Draws the next number of a district and year from the counter row, in the caller's transaction. */
export async function nextCaseNumber(db: Kysely<DB>, scopeCode: string, year: number): Promise<number> {
  const r = await db
    .insertInto('case_counters')
    .values({ scope_code: scopeCode, year, n: 1 })
    .onConflict((oc) => oc.columns(['scope_code', 'year']).doUpdateSet({ n: sql`case_counters.n + 1` }))
    .returning('n')
    .executeTakeFirstOrThrow();
  return r.n;
}

export type CaseInsert = Omit<
  Selectable<CasesTable>,
  'id' | 'reopen_count' | 'rework_count' | 'handled_count' | 'ever_suspended' | 'extra'
> & { extra: string };

export async function insertCase(db: Kysely<DB>, v: CaseInsert) {
  return db.insertInto('cases').values(v).returning('id').executeTakeFirstOrThrow();
}

const caseColumns = [
  'c.id',
  'c.number',
  'c.category_id',
  'c.jurisdiction_id',
  sql<string>`c.path::text`.as('path'),
  'c.community_id',
  'c.grid_id',
  'c.state',
  'c.urgency',
  'c.source',
  'c.title',
  'c.description',
  'c.address',
  'c.lng',
  'c.lat',
  'c.extra',
  'c.reporter_id',
  'c.caller_name_enc',
  'c.caller_phone_enc',
  'c.owner_id',
  'c.assignee_id',
  'c.department_id',
  'c.time_limit_minutes',
  'c.clock',
  'c.expected_at',
  'c.warn_at',
  'c.accepted_at',
  'c.dispatched_at',
  'c.first_dispatched_at',
  'c.started_at',
  'c.handled_at',
  'c.first_handled_at',
  'c.closed_at',
  'c.suspended_at',
  'c.warned_at',
  'c.overdue_at',
  'c.escalated_at',
  'c.closed_on_time',
  'c.rating',
  'c.reopen_count',
  'c.rework_count',
  'c.merged_into',
  'c.created_at',
] as const;

export type CaseRow = NonNullable<Awaited<ReturnType<typeof caseById>>>;

export async function caseById(db: Kysely<DB>, id: string, forUpdate = false) {
  let q = db.selectFrom('cases as c').select(caseColumns).where('c.id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Names shown next to a case: category, place, assignee, reporter. */
export async function caseLabels(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('cases as c')
    .innerJoin('case_categories as k', 'k.id', 'c.category_id')
    .innerJoin('jurisdictions as j', 'j.id', 'c.jurisdiction_id')
    .leftJoin('users as a', 'a.id', 'c.assignee_id')
    .leftJoin('users as r', 'r.id', 'c.reporter_id')
    .select([
      'k.name as category_name',
      'j.name as jurisdiction_name',
      'a.display_name as assignee_name',
      'r.display_name as reporter_name',
    ])
    .where('c.id', '=', id)
    .executeTakeFirstOrThrow();
}

export async function updateCase(db: Kysely<DB>, id: string, set: Partial<Selectable<CasesTable>>) {
  const { id: _id, extra, ...rest } = set;
  await db
    .updateTable('cases')
    .set({ ...rest, ...(extra !== undefined ? { extra: JSON.stringify(extra) } : {}) })
    .where('id', '=', id)
    .execute();
}

export async function incrementCounters(
  db: Kysely<DB>,
  id: string,
  which: 'rework_count' | 'handled_count' | 'reopen_count',
) {
  await db
    .updateTable('cases')
    .set({ [which]: sql`${sql.ref(which)} + 1` })
    .where('id', '=', id)
    .execute();
}

export async function insertEvent(
  db: Kysely<DB>,
  e: {
    caseId: string;
    at: Date;
    actorId: string | null;
    actorName: string | null;
    action: string;
    from: string | null;
    to: string | null;
    note: string | null;
    details?: Record<string, unknown>;
  },
) {
  await db
    .insertInto('case_events')
    .values({
      case_id: e.caseId,
      at: e.at,
      actor_id: e.actorId,
      actor_name: e.actorName,
      action: e.action,
      from_state: e.from,
      to_state: e.to,
      note: e.note,
      details: JSON.stringify(e.details ?? {}),
    })
    .execute();
}

export async function eventsOf(db: Kysely<DB>, caseId: string) {
  return db
    .selectFrom('case_events')
    .select(['id', 'at', 'actor_id', 'actor_name', 'action', 'from_state', 'to_state', 'note', 'details'])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
}

// ——— listing ———

export type ListFilter = {
  scopePath: string | null;
  /** Cases the actor reported or was assigned, whatever their scope. */
  relatedUserId: string;
  states?: string[];
  categoryIds?: string[];
  urgency?: string;
  deadline?: string;
  gridId?: string;
  subtreePath?: string;
  assigneeId?: string;
  mine?: 'reported' | 'assigned';
  now: Date;
  limit: number;
  after?: { createdAt: Date; id: string };
};

const closedStates = ['closed', 'discarded'];

export async function listCases(db: Kysely<DB>, f: ListFilter) {
  let q = db
    .selectFrom('cases as c')
    .innerJoin('case_categories as k', 'k.id', 'c.category_id')
    .innerJoin('jurisdictions as j', 'j.id', 'c.jurisdiction_id')
    .leftJoin('users as a', 'a.id', 'c.assignee_id')
    .select([
      ...caseColumns,
      'k.name as category_name',
      'j.name as jurisdiction_name',
      'a.display_name as assignee_name',
    ]);
  q = q.where((eb) => {
    const visible = [eb('c.reporter_id', '=', f.relatedUserId), eb('c.assignee_id', '=', f.relatedUserId)];
    if (f.scopePath) visible.push(eb(sql<boolean>`c.path <@ ${f.scopePath}::ltree`, '=', true));
    return eb.or(visible);
  });
  if (f.mine === 'reported') q = q.where('c.reporter_id', '=', f.relatedUserId);
  if (f.mine === 'assigned') q = q.where('c.assignee_id', '=', f.relatedUserId);
  if (f.states?.length) q = q.where('c.state', 'in', f.states);
  if (f.categoryIds?.length) q = q.where('c.category_id', 'in', f.categoryIds);
  if (f.urgency) q = q.where('c.urgency', '=', f.urgency as 'red');
  if (f.gridId) q = q.where('c.grid_id', '=', f.gridId);
  if (f.subtreePath) q = q.where(sql<boolean>`c.path <@ ${f.subtreePath}::ltree`);
  if (f.assigneeId) q = q.where('c.assignee_id', '=', f.assigneeId);
  if (f.deadline) {
    const now = f.now;
    switch (f.deadline) {
      case 'none':
        q = q.where('c.state', 'in', closedStates);
        break;
      case 'paused':
        q = q.where('c.state', '=', 'suspended');
        break;
      default: {
        q = q.where('c.state', 'not in', [...closedStates, 'suspended']);
        if (f.deadline === 'red') q = q.where('c.expected_at', '<=', now);
        if (f.deadline === 'yellow') q = q.where('c.warn_at', '<=', now).where('c.expected_at', '>', now);
        if (f.deadline === 'green')
          q = q.where((eb) => eb.or([eb('c.warn_at', '>', now), eb('c.warn_at', 'is', null)]));
      }
    }
  }
  if (f.after) {
    const a = f.after;
    q = q.where((eb) =>
      eb.or([
        eb('c.created_at', '<', a.createdAt),
        eb.and([eb('c.created_at', '=', a.createdAt), eb('c.id', '<', a.id)]),
      ]),
    );
  }
  return q.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(f.limit).execute();
}

export async function subcategoryIds(db: Kysely<DB>, id: string): Promise<string[]> {
  const rows = await db
    .selectFrom('case_categories')
    .select('id')
    .where((eb) => eb.or([eb('id', '=', id), eb('parent_id', '=', id)]))
    .execute();
  return rows.map((r) => r.id);
}

/** Open cases of a 小类 near a point, reported since `since`, inside a subtree: candidates for a duplicate. */
export async function nearbyOpen(
  db: Kysely<DB>,
  p: {
    categoryId: string;
    since: Date;
    lng: number;
    lat: number;
    radiusM: number;
    subtreePath: string;
    openStates: readonly string[];
    excludeId?: string;
  },
) {
  // A bounding box on plain columns first (index-friendly), then the great-circle distance.
  const dLat = p.radiusM / 111_320;
  const dLng = p.radiusM / (111_320 * Math.max(0.01, Math.cos((p.lat * Math.PI) / 180)));
  const distance = sql<number>`6371008.8 * 2 * asin(sqrt(
      power(sin(radians(c.lat - ${p.lat}) / 2), 2) +
      cos(radians(${p.lat})) * cos(radians(c.lat)) * power(sin(radians(c.lng - ${p.lng}) / 2), 2)))`;
  let q = db
    .selectFrom('cases as c')
    .innerJoin('case_categories as k', 'k.id', 'c.category_id')
    .select([
      'c.id',
      'c.number',
      'c.title',
      'k.name as category_name',
      'c.state',
      'c.created_at',
      distance.as('distance_m'),
    ])
    .where('c.category_id', '=', p.categoryId)
    .where('c.created_at', '>=', p.since)
    .where('c.state', 'in', p.openStates as string[])
    .where('c.lat', '>=', p.lat - dLat)
    .where('c.lat', '<=', p.lat + dLat)
    .where('c.lng', '>=', p.lng - dLng)
    .where('c.lng', '<=', p.lng + dLng)
    .where(sql<boolean>`c.path <@ ${p.subtreePath}::ltree`)
    .where(distance, '<=', p.radiusM);
  if (p.excludeId) q = q.where('c.id', '<>', p.excludeId);
  return q.orderBy('distance_m').limit(10).execute();
}

// ——— people ———

export async function userForAssignment(db: Kysely<DB>, userId: string) {
  const u = await db
    .selectFrom('users as u')
    .innerJoin('jurisdictions as j', 'j.id', 'u.jurisdiction_id')
    .select(['u.id', 'u.status', 'u.display_name', sql<string>`j.path::text`.as('path')])
    .where('u.id', '=', userId)
    .executeTakeFirst();
  if (!u) return undefined;
  const roles = await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute();
  return { ...u, roles: roles.map((r) => r.role) };
}

/** Active users placed at a jurisdiction node holding one of the roles (who an escalation goes to). */
export async function usersAt(db: Kysely<DB>, jurisdictionId: string, roles: readonly string[]) {
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .select('u.id')
    .distinct()
    .where('u.jurisdiction_id', '=', jurisdictionId)
    .where('u.status', '=', 'active')
    .where('r.role', 'in', roles as string[])
    .execute();
  return rows.map((r) => r.id);
}

export async function jurisdictionByPath(db: Kysely<DB>, path: string) {
  return db
    .selectFrom('jurisdictions')
    .select(['id', 'code', 'name', 'level', sql<string>`path::text`.as('path')])
    .where(sql<boolean>`path = ${path}::ltree`)
    .executeTakeFirst();
}

// ——— attachments ———

export async function insertAttachment(
  db: Kysely<DB>,
  v: {
    caseId: string;
    jurisdictionId: string;
    path: string;
    kind: 'report' | 'handling' | 'other';
    mime: 'image/jpeg' | 'image/png' | 'application/pdf';
    sizeBytes: number;
    sha256: string;
    storageName: string;
    uploadedBy: string;
    now: Date;
  },
) {
  return db
    .insertInto('case_attachments')
    .values({
      case_id: v.caseId,
      jurisdiction_id: v.jurisdictionId,
      path: v.path,
      kind: v.kind,
      mime: v.mime,
      size_bytes: v.sizeBytes,
      sha256: v.sha256,
      storage_name: v.storageName,
      uploaded_by: v.uploadedBy,
      created_at: v.now,
    })
    .returning(['id', 'kind', 'mime', 'size_bytes', 'created_at'])
    .executeTakeFirstOrThrow();
}

const attachmentColumns = ['id', 'case_id', 'kind', 'mime', 'size_bytes', 'storage_name', 'created_at'] as const;

export async function attachmentsOf(db: Kysely<DB>, caseId: string) {
  return db
    .selectFrom('case_attachments')
    .select(attachmentColumns)
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function attachmentOfCase(db: Kysely<DB>, caseId: string, id: string) {
  return db
    .selectFrom('case_attachments')
    .select(attachmentColumns)
    .where('case_id', '=', caseId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function markHandlingPhotos(db: Kysely<DB>, caseId: string, ids: string[]) {
  await db
    .updateTable('case_attachments')
    .set({ kind: 'handling' })
    .where('case_id', '=', caseId)
    .where('id', 'in', ids)
    .execute();
}

// ——— deadline flags ———

/** Raises a flag once per case, kind and deadline; false when it was already raised (by this or another runner). */
export async function raiseFlag(
  db: Kysely<DB>,
  v: { caseId: string; kind: 'warning' | 'overdue' | 'escalation'; dueAt: Date; now: Date; target?: string | null },
): Promise<boolean> {
  const r = await db
    .insertInto('case_deadline_flags')
    .values({
      case_id: v.caseId,
      kind: v.kind,
      due_at: v.dueAt,
      raised_at: v.now,
      target_jurisdiction_id: v.target ?? null,
    })
    .onConflict((oc) => oc.columns(['case_id', 'kind', 'due_at']).doNothing())
    .returning('case_id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function flagsOf(db: Kysely<DB>, caseId: string) {
  return db.selectFrom('case_deadline_flags').selectAll().where('case_id', '=', caseId).orderBy('raised_at').execute();
}

/** Running cases past their warning point not yet warned for this deadline. */
export async function dueForWarning(db: Kysely<DB>, now: Date, clockStates: readonly string[], limit: number) {
  return db
    .selectFrom('cases as c')
    .select(caseColumns)
    .where('c.state', 'in', clockStates as string[])
    .where('c.warn_at', '<=', now)
    .where('c.expected_at', 'is not', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('case_deadline_flags as f')
            .select('f.case_id')
            .whereRef('f.case_id', '=', 'c.id')
            .where('f.kind', '=', 'warning')
            .whereRef('f.due_at', '=', 'c.expected_at'),
        ),
      ),
    )
    .orderBy('c.warn_at')
    .limit(limit)
    .execute();
}

/** Running cases past their deadline not yet escalated for this deadline. */
export async function dueForEscalation(db: Kysely<DB>, now: Date, clockStates: readonly string[], limit: number) {
  return db
    .selectFrom('cases as c')
    .select(caseColumns)
    .where('c.state', 'in', clockStates as string[])
    .where('c.expected_at', '<=', now)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('case_deadline_flags as f')
            .select('f.case_id')
            .whereRef('f.case_id', '=', 'c.id')
            .where('f.kind', '=', 'escalation')
            .whereRef('f.due_at', '=', 'c.expected_at'),
        ),
      ),
    )
    .orderBy('c.expected_at')
    .limit(limit)
    .execute();
}

// ——— calendar ———

export async function calendarDays(db: Kysely<DB>, year?: number) {
  let q = db
    .selectFrom('work_calendar_days')
    .select([sql<string>`day::text`.as('day'), 'kind', 'name', 'year'])
    .orderBy('day');
  if (year !== undefined) q = q.where('year', '=', year);
  return q.execute();
}

export async function replaceCalendarYear(
  db: Kysely<DB>,
  year: number,
  days: { day: string; kind: 'holiday' | 'workday'; name: string }[],
  now: Date,
) {
  await db.deleteFrom('work_calendar_days').where('year', '=', year).execute();
  if (days.length === 0) return;
  await db
    .insertInto('work_calendar_days')
    .values(days.map((d) => ({ day: d.day, year, kind: d.kind, name: d.name, updated_at: now })))
    .execute();
}
