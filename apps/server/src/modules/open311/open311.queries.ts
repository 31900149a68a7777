import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';

// ——— places ———

export async function jurisdictionByCode(db: Kysely<DB>, code: string) {
  return db
    .selectFrom('jurisdictions')
    .select(['id', 'code', 'name', 'level', 'status', 'parent_id', sql<string>`path::text`.as('path')])
    .where('code', '=', code)
    .executeTakeFirst();
}

export async function jurisdictionById(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('jurisdictions')
    .select(['id', 'code', 'name', 'level', 'status', 'parent_id', sql<string>`path::text`.as('path')])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A building of the registry (an `address_id` may name one): where it lies. */
export async function buildingPlace(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('buildings')
    .select(['jurisdiction_id', 'name', 'address', 'lng', 'lat'])
    .where('id', '=', id)
    .executeTakeFirst();
}

// ——— services ———

const serviceColumns = [
  'c.id',
  'c.code',
  'c.name',
  sql<string | null>`c.path::text`.as('path'),
  'c.accept_condition',
  'c.extra_fields',
  'c.active',
  'c.parent_id',
  'p.name as group_name',
  'p.code as group_code',
] as const;

/**
 * Active 小类 offered throughout a jurisdiction: global ones and those of the jurisdiction or one of its ancestors
 * (with no jurisdiction, the global ones only).
 */
export async function servicesFor(db: Kysely<DB>, jurisdictionPath: string | null) {
  let q = db
    .selectFrom('case_categories as c')
    .innerJoin('case_categories as p', 'p.id', 'c.parent_id')
    .select(serviceColumns)
    .where('c.active', '=', true)
    .where('p.active', '=', true);
  q = jurisdictionPath
    ? q.where((eb) => eb.or([eb('c.path', 'is', null), sql<boolean>`c.path @> ${jurisdictionPath}::ltree`]))
    : q.where('c.path', 'is', null);
  return q.orderBy('p.sort').orderBy('p.code').orderBy('c.sort').orderBy('c.code').execute();
}

export type ServiceRow = NonNullable<Awaited<ReturnType<typeof serviceByCode>>>;

/** A 小类 by its code (大类 are not services). */
export async function serviceByCode(db: Kysely<DB>, code: string) {
  return db
    .selectFrom('case_categories as c')
    .innerJoin('case_categories as p', 'p.id', 'c.parent_id')
    .select([...serviceColumns, 'c.default_urgency', 'c.time_limit_minutes', 'c.clock', 'p.active as group_active'])
    .where('c.code', '=', code)
    .executeTakeFirst();
}

// ——— submissions ———

export async function lockSubmission(db: Kysely<DB>, key: string) {
  await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 311))`.execute(db);
}

/** A request the same key sent with the same content since `since` (a resend), if any. */
export async function recentSameRequest(db: Kysely<DB>, apiKeyId: string, hash: string, since: Date) {
  return db
    .selectFrom('open311_requests as o')
    .innerJoin('cases as c', 'c.id', 'o.case_id')
    .select(['c.id', 'c.number', 'o.account_id', 'o.token'])
    .where('o.api_key_id', '=', apiKeyId)
    .where('o.request_hash', '=', hash)
    .where('o.created_at', '>=', since)
    .orderBy('o.created_at', 'desc')
    .executeTakeFirst();
}

export async function insertSubmission(
  db: Kysely<DB>,
  v: {
    caseId: string;
    apiKeyId: string;
    token: string;
    deviceId: string | null;
    accountId: string | null;
    emailEnc: string | null;
    phoneEnc: string | null;
    mediaUrl: string | null;
    hash: string;
    now: Date;
  },
) {
  await db
    .insertInto('open311_requests')
    .values({
      case_id: v.caseId,
      api_key_id: v.apiKeyId,
      token: v.token,
      device_id: v.deviceId,
      account_id: v.accountId,
      email_enc: v.emailEnc,
      phone_enc: v.phoneEnc,
      media_url: v.mediaUrl,
      request_hash: v.hash,
      created_at: v.now,
    })
    .execute();
}

export async function requestByToken(db: Kysely<DB>, token: string) {
  return db
    .selectFrom('open311_requests as o')
    .innerJoin('cases as c', 'c.id', 'o.case_id')
    .select(['c.number', 'o.token'])
    .where('o.token', '=', token)
    .executeTakeFirst();
}

// ——— reading requests ———

export type RequestFilter = {
  /** The key's subtree, when a key was given. */
  scopePath: string | null;
  /** jurisdiction_id's subtree. */
  subtreePath: string | null;
  numbers?: string[];
  serviceCodes?: string[];
  from?: Date;
  to?: Date;
  states?: readonly string[];
  limit: number;
  offset: number;
};

/** Cases that came in through Open311, in scope, with what a request shows (never the reporter). */
export async function listRequests(db: Kysely<DB>, f: RequestFilter) {
  let q = db
    .selectFrom('cases as c')
    .innerJoin('open311_requests as o', 'o.case_id', 'c.id')
    .innerJoin('case_categories as k', 'k.id', 'c.category_id')
    .innerJoin('jurisdictions as j', 'j.id', 'c.jurisdiction_id')
    .leftJoin('departments as d', 'd.id', 'c.department_id')
    .select([
      'c.id',
      'c.number',
      'c.state',
      'c.description',
      'c.address',
      'c.lat',
      'c.lng',
      'c.created_at',
      'c.updated_at',
      'c.closed_at',
      'c.expected_at',
      'c.merged_into',
      sql<string>`c.path::text`.as('path'),
      'k.code as service_code',
      'k.name as service_name',
      'j.code as jurisdiction_code',
      'j.name as jurisdiction_name',
      'd.name as department_name',
      'o.media_url',
    ])
    .where('c.source', '=', 'open311');
  if (f.scopePath) q = q.where(sql<boolean>`c.path <@ ${f.scopePath}::ltree`);
  if (f.subtreePath) q = q.where(sql<boolean>`c.path <@ ${f.subtreePath}::ltree`);
  if (f.numbers) q = q.where('c.number', 'in', f.numbers.length ? f.numbers : ['']);
  if (f.serviceCodes?.length) q = q.where('k.code', 'in', f.serviceCodes);
  if (f.from) q = q.where('c.created_at', '>=', f.from);
  if (f.to) q = q.where('c.created_at', '<=', f.to);
  if (f.states) q = q.where('c.state', 'in', f.states.length ? (f.states as string[]) : ['']);
  return q.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(f.limit).offset(f.offset).execute();
}

export type RequestRow = Awaited<ReturnType<typeof listRequests>>[number];

/** The latest state change of each case (what status_notes explain). */
export async function latestStateEvents(db: Kysely<DB>, caseIds: readonly string[]) {
  if (caseIds.length === 0) return [];
  return db
    .selectFrom('case_events')
    .distinctOn('case_id')
    .select(['case_id', 'id', 'action', 'from_state', 'to_state', 'note', 'details'])
    .where('case_id', 'in', caseIds as string[])
    .where('from_state', 'is not', null)
    .where(sql<boolean>`from_state is distinct from to_state`)
    .orderBy('case_id')
    .orderBy('id', 'desc')
    .execute();
}

/** A case that came in through Open311, by its number, inside a subtree; locked for an update when asked. */
export async function open311CaseByNumber(db: Kysely<DB>, number: string, scopePath: string, forUpdate = false) {
  let q = db
    .selectFrom('cases as c')
    .innerJoin('open311_requests as o', 'o.case_id', 'c.id')
    .select(['c.id', 'c.number', 'c.state', 'c.owner_id', 'c.assignee_id', sql<string>`c.path::text`.as('path')])
    .where('c.number', '=', number)
    .where('c.source', '=', 'open311')
    .where(sql<boolean>`c.path <@ ${scopePath}::ltree`);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

// ——— updates ———

/** State changes of Open311 cases in a subtree, made within [from, to], oldest first. */
export async function stateChanges(
  db: Kysely<DB>,
  f: { scopePath: string; subtreePath: string | null; from: Date; to: Date; limit: number; offset: number },
) {
  let q = db
    .selectFrom('case_events as e')
    .innerJoin('cases as c', 'c.id', 'e.case_id')
    .select(['e.id', 'e.at', 'e.action', 'e.from_state', 'e.to_state', 'e.note', 'e.details', 'c.number'])
    .where('c.source', '=', 'open311')
    .where(sql<boolean>`c.path <@ ${f.scopePath}::ltree`)
    .where('e.at', '>=', f.from)
    .where('e.at', '<=', f.to)
    .where('e.from_state', 'is not', null)
    .where(sql<boolean>`e.from_state is distinct from e.to_state`);
  if (f.subtreePath) q = q.where(sql<boolean>`c.path <@ ${f.subtreePath}::ltree`);
  return q.orderBy('e.at').orderBy('e.id').limit(f.limit).offset(f.offset).execute();
}

export async function updateByExternalId(db: Kysely<DB>, apiKeyId: string, externalId: string) {
  return db
    .selectFrom('open311_updates')
    .select(['event_id', 'case_id'])
    .where('api_key_id', '=', apiKeyId)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

/** An external note on the case timeline; the state stays as it is. */
export async function insertExternalNote(
  db: Kysely<DB>,
  v: { caseId: string; state: string; at: Date; actorName: string; note: string | null; details: object },
) {
  return db
    .insertInto('case_events')
    .values({
      case_id: v.caseId,
      at: v.at,
      actor_id: null,
      actor_name: v.actorName,
      action: 'open311.update',
      from_state: v.state,
      to_state: v.state,
      note: v.note,
      details: JSON.stringify(v.details),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function insertUpdateLink(
  db: Kysely<DB>,
  v: { apiKeyId: string; externalId: string; caseId: string; eventId: string; now: Date },
) {
  await db
    .insertInto('open311_updates')
    .values({
      api_key_id: v.apiKeyId,
      external_id: v.externalId,
      case_id: v.caseId,
      event_id: v.eventId,
      created_at: v.now,
    })
    .execute();
}
