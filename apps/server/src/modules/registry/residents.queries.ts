import { type Kysely, type SqlBool, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { pathWithin, type Scope, scopeWhere } from './registry.queries.ts';

// ───────────────────────────── residents ─────────────────────────────

const residentSelect = (db: Kysely<DB>) =>
  db
    .selectFrom('residents as r')
    .innerJoin('jurisdictions as j', 'j.id', 'r.jurisdiction_id')
    .leftJoin('dwellings as d', 'd.id', 'r.dwelling_id')
    .leftJoin('units as u', 'u.id', 'd.unit_id')
    .leftJoin('buildings as b', 'b.id', 'r.building_id')
    .leftJoin('complexes as c', 'c.id', 'b.complex_id')
    .select([
      'r.id',
      'r.seq',
      'r.jurisdiction_id',
      sql<string>`r.path::text`.as('path'),
      'r.name',
      'r.id_type',
      'r.id_number_enc',
      'r.id_number_bix',
      'r.sex',
      sql<string | null>`r.birth_date::text`.as('birth_date'),
      'r.phone_enc',
      'r.household_id',
      'r.relation_to_head',
      'r.dwelling_id',
      'r.building_id',
      'r.registered_place',
      'r.residence_type',
      sql<string | null>`r.arrived_on::text`.as('arrived_on'),
      sql<string | null>`r.expected_leave_on::text`.as('expected_leave_on'),
      sql<string | null>`r.residence_registered_on::text`.as('residence_registered_on'),
      'r.separated',
      'r.care_tags_enc',
      'r.note',
      'r.status',
      'r.end_reason',
      sql<string | null>`r.ended_on::text`.as('ended_on'),
      'r.created_at',
      'r.updated_at',
      'j.id as j_id',
      'j.code as j_code',
      'j.name as j_name',
      'c.name as complex_name',
      'b.name as building_name',
      'u.name as unit_name',
      'd.number as room',
    ]);
export type ResidentRow = NonNullable<Awaited<ReturnType<typeof residentById>>>;

export async function residentById(db: Kysely<DB>, id: string, scope: Scope) {
  return residentSelect(db)
    .where('r.id', '=', id)
    .where(scopeWhere(scope, 'r', 'building_id'))
    .executeTakeFirst();
}

export type ResidentFilter = {
  nodePath: string | null;
  householdId?: string | undefined;
  dwellingId?: string | undefined;
  buildingId?: string | undefined;
  residenceType?: string | undefined;
  careIndex?: string | undefined;
  status: 'active' | 'ended' | 'all';
  afterSeq: string | null;
  limit: number;
};

export async function listResidents(db: Kysely<DB>, scope: Scope, f: ResidentFilter) {
  let qb = residentSelect(db).where(scopeWhere(scope, 'r', 'building_id'));
  if (f.nodePath) qb = qb.where(pathWithin('r', f.nodePath));
  if (f.householdId) qb = qb.where('r.household_id', '=', f.householdId);
  if (f.dwellingId) qb = qb.where('r.dwelling_id', '=', f.dwellingId);
  if (f.buildingId) qb = qb.where('r.building_id', '=', f.buildingId);
  if (f.residenceType) qb = qb.where('r.residence_type', '=', f.residenceType as never);
  if (f.careIndex) qb = qb.where(sql<SqlBool>`r.care_tag_bix @> array[${f.careIndex}]::text[]`);
  if (f.status !== 'all') qb = qb.where('r.status', '=', f.status);
  if (f.afterSeq) qb = qb.where('r.seq', '>', f.afterSeq);
  return qb
    .orderBy('r.seq')
    .limit(f.limit + 1)
    .execute();
}

/** Exact lookup through a blind index (ID number or phone), in scope. */
export async function residentsByIndex(
  db: Kysely<DB>,
  scope: Scope,
  column: 'id_number_bix' | 'phone_bix',
  value: string,
  includeEnded: boolean,
  offset: number,
  limit: number,
) {
  let qb = residentSelect(db)
    .where(scopeWhere(scope, 'r', 'building_id'))
    .where(`r.${column}`, '=', value);
  if (!includeEnded) qb = qb.where('r.status', '=', 'active');
  return qb
    .orderBy('r.seq')
    .offset(offset)
    .limit(limit + 1)
    .execute();
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Names containing the text, or similar to it (pg_trgm), best matches first; in scope. */
export async function residentsByName(
  db: Kysely<DB>,
  scope: Scope,
  text: string,
  includeEnded: boolean,
  offset: number,
  limit: number,
) {
  let qb = residentSelect(db)
    .where(scopeWhere(scope, 'r', 'building_id'))
    .where(sql<SqlBool>`(r.name like ${`%${likeEscape(text)}%`} or r.name % ${text})`);
  if (!includeEnded) qb = qb.where('r.status', '=', 'active');
  return qb
    .orderBy(sql`r.name = ${text}`, 'desc')
    .orderBy(sql`similarity(r.name, ${text})`, 'desc')
    .orderBy('r.seq')
    .offset(offset)
    .limit(limit + 1)
    .execute();
}

/**
 * Floating population (流动人口), in scope. arriving: arrived in the last 30 days; overdue: the expected leave date has
 * passed, or 30 days after arrival there is still no residence registration (居住登记); departed: ended by departure;
 * all: every floating resident still registered as living here.
 */
export async function floatingResidents(
  db: Kysely<DB>,
  scope: Scope,
  f: {
    status: 'arriving' | 'overdue' | 'departed' | 'all';
    today: string;
    nodePath: string | null;
    afterSeq: string | null;
    limit: number;
  },
) {
  let qb = residentSelect(db)
    .where(scopeWhere(scope, 'r', 'building_id'))
    .where('r.residence_type', '=', 'floating');
  if (f.nodePath) qb = qb.where(pathWithin('r', f.nodePath));
  const day = sql`${f.today}::date`;
  if (f.status === 'departed') qb = qb.where('r.status', '=', 'ended').where('r.end_reason', '=', 'departed');
  else qb = qb.where('r.status', '=', 'active');
  if (f.status === 'arriving') qb = qb.where(sql<SqlBool>`r.arrived_on > ${day} - 30`);
  if (f.status === 'overdue')
    qb = qb.where(
      sql<SqlBool>`(r.expected_leave_on < ${day} or (r.residence_registered_on is null and r.arrived_on <= ${day} - 30))`,
    );
  if (f.afterSeq) qb = qb.where('r.seq', '>', f.afterSeq);
  return qb
    .orderBy('r.seq')
    .limit(f.limit + 1)
    .execute();
}

/** The active registration holding a document number, wherever it is (for the one-active-registration rule). */
export async function activeByIdIndex(db: Kysely<DB>, bix: string) {
  return db
    .selectFrom('residents')
    .select(['id', sql<string>`path::text`.as('path'), 'building_id'])
    .where('id_number_bix', '=', bix)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

export type ResidentValues = {
  jurisdiction_id: string;
  path: string;
  name: string;
  id_type: DB['residents']['id_type'];
  id_number_enc: string;
  id_number_bix: string;
  sex: 'M' | 'F' | null;
  birth_date: string | null;
  phone_enc: string | null;
  phone_bix: string | null;
  household_id: string | null;
  relation_to_head: string | null;
  dwelling_id: string | null;
  building_id: string | null;
  registered_place: string | null;
  residence_type: DB['residents']['residence_type'];
  arrived_on: string | null;
  expected_leave_on: string | null;
  residence_registered_on: string | null;
  separated: boolean;
  care_tags_enc: string | null;
  care_tag_bix: string[];
  note: string | null;
};

export async function insertResident(db: Kysely<DB>, v: ResidentValues, by: string | null, now: Date) {
  return db
    .insertInto('residents')
    .values({ ...v, created_by: by, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updateResident(
  db: Kysely<DB>,
  id: string,
  set: Partial<
    ResidentValues & { status: 'active' | 'ended'; end_reason: DB['residents']['end_reason']; ended_on: string | null }
  >,
  now: Date,
) {
  await db
    .updateTable('residents')
    .set({ ...set, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function residentSecrets(db: Kysely<DB>, id: string, scope: Scope) {
  return db
    .selectFrom('residents as r')
    .select(['r.id', 'r.id_number_enc', 'r.phone_enc'])
    .where('r.id', '=', id)
    .where(scopeWhere(scope, 'r', 'building_id'))
    .executeTakeFirst();
}

// ───────────────────────────── history ─────────────────────────────

export type HistoryInsert = {
  field: string;
  before: string | null;
  after: string | null;
  protection: 'plain' | 'masked' | 'encrypted';
};

export async function insertHistory(
  db: Kysely<DB>,
  residentId: string,
  actor: { id: string | null; name: string | null },
  at: Date,
  rows: HistoryInsert[],
) {
  if (rows.length === 0) return;
  await db
    .insertInto('resident_history')
    .values(
      rows.map((r) => ({
        resident_id: residentId,
        at,
        actor_id: actor.id,
        actor_name: actor.name,
        field: r.field,
        before_value: r.before,
        after_value: r.after,
        protection: r.protection,
      })),
    )
    .execute();
}

export async function historyOf(db: Kysely<DB>, residentId: string) {
  return db
    .selectFrom('resident_history')
    .selectAll()
    .where('resident_id', '=', residentId)
    .orderBy('id')
    .limit(1000)
    .execute();
}

// ───────────────────────────── households ─────────────────────────────

const householdSelect = (db: Kysely<DB>) =>
  db
    .selectFrom('households as h')
    .innerJoin('jurisdictions as j', 'j.id', 'h.jurisdiction_id')
    .leftJoin('dwellings as d', 'd.id', 'h.dwelling_id')
    .leftJoin('buildings as b', 'b.id', 'h.building_id')
    .leftJoin('complexes as c', 'c.id', 'b.complex_id')
    .leftJoin('residents as head', 'head.id', 'h.head_resident_id')
    .select([
      'h.id',
      'h.seq',
      'h.number',
      'h.dwelling_id',
      'h.building_id',
      'h.head_resident_id',
      'h.jurisdiction_id',
      'h.created_at',
      'h.updated_at',
      sql<string>`h.path::text`.as('path'),
      'j.id as j_id',
      'j.code as j_code',
      'j.name as j_name',
      'c.name as complex_name',
      'b.name as building_name',
      'd.number as room',
      'head.name as head_name',
      sql<number>`(select count(*)::int from residents m where m.household_id = h.id and m.status = 'active')`.as(
        'member_count',
      ),
    ]);
export type HouseholdRow = NonNullable<Awaited<ReturnType<typeof householdById>>>;

export async function householdById(db: Kysely<DB>, id: string, scope: Scope) {
  return householdSelect(db)
    .where('h.id', '=', id)
    .where(scopeWhere(scope, 'h', 'building_id'))
    .executeTakeFirst();
}

export async function listHouseholds(
  db: Kysely<DB>,
  scope: Scope,
  f: { nodePath: string | null; dwellingId?: string | undefined; afterSeq: string | null; limit: number },
) {
  let qb = householdSelect(db).where(scopeWhere(scope, 'h', 'building_id'));
  if (f.nodePath) qb = qb.where(pathWithin('h', f.nodePath));
  if (f.dwellingId) qb = qb.where('h.dwelling_id', '=', f.dwellingId);
  if (f.afterSeq) qb = qb.where('h.seq', '>', f.afterSeq);
  return qb
    .orderBy('h.seq')
    .limit(f.limit + 1)
    .execute();
}

export async function insertHousehold(
  db: Kysely<DB>,
  v: { jurisdictionId: string; path: string; number: string; dwellingId: string | null; buildingId: string | null },
  now: Date,
) {
  return db
    .insertInto('households')
    .values({
      jurisdiction_id: v.jurisdictionId,
      path: v.path,
      number: v.number,
      dwelling_id: v.dwellingId,
      building_id: v.buildingId,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updateHousehold(
  db: Kysely<DB>,
  id: string,
  set: Partial<{
    number: string;
    dwelling_id: string | null;
    building_id: string | null;
    jurisdiction_id: string;
    path: string;
    head_resident_id: string | null;
  }>,
  now: Date,
) {
  await db
    .updateTable('households')
    .set({ ...set, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** Sets the head only when the household has none yet (two "self" members racing cannot both win). */
export async function claimHead(db: Kysely<DB>, householdId: string, residentId: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('households')
    .set({ head_resident_id: residentId, updated_at: now })
    .where('id', '=', householdId)
    .where('head_resident_id', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ───────────────────────────── key rotation ─────────────────────────────

const notUnder = (column: string, prefix: string) =>
  sql<SqlBool>`(${sql.ref(column)} is not null and left(${sql.ref(column)}, ${prefix.length}) <> ${prefix})`;

export async function residentsToRekey(db: Kysely<DB>, prefix: string, afterSeq: string, limit: number) {
  return db
    .selectFrom('residents')
    .select(['id', 'seq', 'id_number_enc', 'phone_enc', 'care_tags_enc'])
    .where('seq', '>', afterSeq)
    .where((eb) =>
      eb.or([notUnder('id_number_enc', prefix), notUnder('phone_enc', prefix), notUnder('care_tags_enc', prefix)]),
    )
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export async function rekeyResident(
  db: Kysely<DB>,
  id: string,
  v: { id_number_enc: string; phone_enc: string | null; care_tags_enc: string | null },
) {
  await db.updateTable('residents').set(v).where('id', '=', id).execute();
}

export async function orgsToRekey(db: Kysely<DB>, prefix: string, afterSeq: string, limit: number) {
  return db
    .selectFrom('organisations')
    .select(['id', 'seq', 'contact_phone_enc'])
    .where('seq', '>', afterSeq)
    .where(notUnder('contact_phone_enc', prefix))
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export async function rekeyOrg(db: Kysely<DB>, id: string, enc: string) {
  await db.updateTable('organisations').set({ contact_phone_enc: enc }).where('id', '=', id).execute();
}

export async function historyToRekey(db: Kysely<DB>, prefix: string, afterId: string, limit: number) {
  return db
    .selectFrom('resident_history')
    .select(['id', 'before_value', 'after_value'])
    .where('id', '>', afterId)
    .where('protection', '=', 'encrypted')
    .where((eb) => eb.or([notUnder('before_value', prefix), notUnder('after_value', prefix)]))
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function rekeyHistory(
  db: Kysely<DB>,
  id: string,
  v: { before_value: string | null; after_value: string | null },
) {
  await db.updateTable('resident_history').set(v).where('id', '=', id).execute();
}
