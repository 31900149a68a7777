import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { pathWithin, type Scope, scopeWhere } from './registry.queries.ts';

const orgSelect = (db: Kysely<DB>) =>
  db
    .selectFrom('organisations as o')
    .innerJoin('jurisdictions as j', 'j.id', 'o.jurisdiction_id')
    .leftJoin('buildings as b', 'b.id', 'o.building_id')
    .leftJoin('complexes as c', 'c.id', 'b.complex_id')
    .select([
      'o.id',
      'o.seq',
      'o.name',
      'o.uscc',
      'o.category',
      'o.building_id',
      'o.dwelling_id',
      'o.address',
      'o.contact_name',
      'o.contact_phone_enc',
      'o.employees',
      'o.is_rental',
      'o.is_catering',
      'o.has_hazardous',
      'o.is_crowded',
      'o.status',
      sql<string | null>`o.closed_on::text`.as('closed_on'),
      'o.created_at',
      'o.updated_at',
      sql<string>`o.path::text`.as('path'),
      'j.id as j_id',
      'j.code as j_code',
      'j.name as j_name',
      'b.name as building_name',
      'c.name as complex_name',
    ]);
export type OrgRow = NonNullable<Awaited<ReturnType<typeof orgById>>>;

export async function orgById(db: Kysely<DB>, id: string, scope: Scope) {
  return orgSelect(db)
    .where('o.id', '=', id)
    .where(scopeWhere(scope, 'o', 'building_id'))
    .executeTakeFirst();
}

export type OrgFilter = {
  nodePath: string | null;
  buildingId?: string | undefined;
  category?: string | undefined;
  flag?: 'isRental' | 'isCatering' | 'hasHazardous' | 'isCrowded' | undefined;
  status?: 'active' | 'closed' | undefined;
  afterSeq: string | null;
  limit: number;
};
const flagColumn = {
  isRental: 'o.is_rental',
  isCatering: 'o.is_catering',
  hasHazardous: 'o.has_hazardous',
  isCrowded: 'o.is_crowded',
} as const;

export async function listOrgs(db: Kysely<DB>, scope: Scope, f: OrgFilter) {
  let qb = orgSelect(db).where(scopeWhere(scope, 'o', 'building_id'));
  if (f.nodePath) qb = qb.where(pathWithin('o', f.nodePath));
  if (f.buildingId) qb = qb.where('o.building_id', '=', f.buildingId);
  if (f.category) qb = qb.where('o.category', '=', f.category);
  if (f.flag) qb = qb.where(flagColumn[f.flag], '=', true);
  if (f.status) qb = qb.where('o.status', '=', f.status);
  if (f.afterSeq) qb = qb.where('o.seq', '>', f.afterSeq);
  return qb
    .orderBy('o.seq')
    .limit(f.limit + 1)
    .execute();
}

export type OrgValues = {
  name: string;
  uscc: string | null;
  category: string;
  building_id: string | null;
  dwelling_id: string | null;
  address: string | null;
  contact_name: string | null;
  contact_phone_enc: string | null;
  contact_phone_bix: string | null;
  employees: number | null;
  is_rental: boolean;
  is_catering: boolean;
  has_hazardous: boolean;
  is_crowded: boolean;
};

export async function insertOrg(
  db: Kysely<DB>,
  v: OrgValues & { jurisdiction_id: string; path: string },
  now: Date,
): Promise<{ id: string }> {
  return db
    .insertInto('organisations')
    .values({ ...v, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updateOrg(
  db: Kysely<DB>,
  id: string,
  set: Partial<OrgValues & { status: 'active' | 'closed'; closed_on: string | null }>,
  now: Date,
) {
  await db
    .updateTable('organisations')
    .set({ ...set, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function orgContactPhone(db: Kysely<DB>, id: string, scope: Scope) {
  return db
    .selectFrom('organisations as o')
    .select(['o.id', 'o.contact_phone_enc'])
    .where('o.id', '=', id)
    .where(scopeWhere(scope, 'o', 'building_id'))
    .executeTakeFirst();
}
