import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';

const categoryColumns = [
  'c.id',
  'c.parent_id',
  'c.code',
  'c.name',
  'c.jurisdiction_id',
  sql<string | null>`c.path::text`.as('path'),
  'c.default_urgency',
  'c.time_limit_minutes',
  'c.clock',
  'c.accept_condition',
  'c.close_condition',
  'c.extra_fields',
  'c.active',
  'c.sort',
] as const;

export type CategoryRow = NonNullable<Awaited<ReturnType<typeof categoryById>>>;

export async function categoryById(db: Kysely<DB>, id: string) {
  return db.selectFrom('case_categories as c').select(categoryColumns).where('c.id', '=', id).executeTakeFirst();
}

export async function categoryByCode(db: Kysely<DB>, code: string) {
  return db.selectFrom('case_categories as c').select(categoryColumns).where('c.code', '=', code).executeTakeFirst();
}

/** Global categories and those of the nodes on the actor's branch (ancestors and descendants of their scope). */
export async function categoriesFor(db: Kysely<DB>, scopePath: string, includeInactive: boolean) {
  let q = db
    .selectFrom('case_categories as c')
    .select(categoryColumns)
    .where((eb) =>
      eb.or([
        eb('c.path', 'is', null),
        sql<boolean>`c.path @> ${scopePath}::ltree`,
        sql<boolean>`c.path <@ ${scopePath}::ltree`,
      ]),
    );
  if (!includeInactive) q = q.where('c.active', '=', true);
  return q.orderBy(sql`c.parent_id is not null`).orderBy('c.sort').orderBy('c.code').execute();
}

export async function insertCategory(
  db: Kysely<DB>,
  v: {
    parentId: string | null;
    code: string;
    name: string;
    jurisdictionId: string | null;
    path: string | null;
    defaultUrgency: 'red' | 'yellow' | 'blue' | null;
    timeLimitMinutes: number | null;
    clock: 'natural' | 'working';
    acceptCondition: string;
    closeCondition: string;
    extraFields: unknown[];
    sort: number;
    now: Date;
  },
) {
  return db
    .insertInto('case_categories')
    .values({
      parent_id: v.parentId,
      code: v.code,
      name: v.name,
      jurisdiction_id: v.jurisdictionId,
      path: v.path,
      default_urgency: v.defaultUrgency,
      time_limit_minutes: v.timeLimitMinutes,
      clock: v.clock,
      accept_condition: v.acceptCondition,
      close_condition: v.closeCondition,
      extra_fields: JSON.stringify(v.extraFields),
      sort: v.sort,
      updated_at: v.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updateCategory(
  db: Kysely<DB>,
  id: string,
  v: Partial<{
    name: string;
    default_urgency: 'red' | 'yellow' | 'blue';
    time_limit_minutes: number | null;
    clock: 'natural' | 'working';
    accept_condition: string;
    close_condition: string;
    extra_fields: string;
    active: boolean;
    sort: number;
  }>,
  now: Date,
) {
  await db
    .updateTable('case_categories')
    .set({ ...v, updated_at: now })
    .where('id', '=', id)
    .execute();
}

// ——— departments ———

const departmentColumns = [
  'd.id',
  'd.name',
  'd.jurisdiction_id',
  sql<string>`d.path::text`.as('path'),
  'd.active',
] as const;

export async function departmentById(db: Kysely<DB>, id: string) {
  return db.selectFrom('departments as d').select(departmentColumns).where('d.id', '=', id).executeTakeFirst();
}

/** Departments on the actor's branch: those above their scope (a community dispatches to district bureaus) and below. */
export async function departmentsFor(db: Kysely<DB>, scopePath: string) {
  return db
    .selectFrom('departments as d')
    .select(departmentColumns)
    .where((eb) => eb.or([sql<boolean>`d.path @> ${scopePath}::ltree`, sql<boolean>`d.path <@ ${scopePath}::ltree`]))
    .where('d.active', '=', true)
    .orderBy(sql`nlevel(d.path)`)
    .orderBy('d.name')
    .execute();
}

export async function departmentNameTaken(db: Kysely<DB>, jurisdictionId: string, name: string) {
  const r = await db
    .selectFrom('departments')
    .select('id')
    .where('jurisdiction_id', '=', jurisdictionId)
    .where('name', '=', name)
    .executeTakeFirst();
  return r !== undefined;
}

export async function insertDepartment(
  db: Kysely<DB>,
  v: { name: string; jurisdictionId: string; path: string; now: Date },
) {
  return db
    .insertInto('departments')
    .values({ name: v.name, jurisdiction_id: v.jurisdictionId, path: v.path, updated_at: v.now })
    .returning('id')
    .executeTakeFirstOrThrow();
}

// ——— routing ———

export async function routingRulesFor(db: Kysely<DB>, scopePath: string) {
  return db
    .selectFrom('case_routing_rules as r')
    .select(['r.id', 'r.category_id', 'r.jurisdiction_id', 'r.department_id', sql<string>`r.path::text`.as('path')])
    .where((eb) => eb.or([sql<boolean>`r.path @> ${scopePath}::ltree`, sql<boolean>`r.path <@ ${scopePath}::ltree`]))
    .orderBy(sql`nlevel(r.path)`)
    .execute();
}

export async function upsertRoutingRule(
  db: Kysely<DB>,
  v: { categoryId: string; jurisdictionId: string; path: string; departmentId: string | null; now: Date },
) {
  return db
    .insertInto('case_routing_rules')
    .values({
      category_id: v.categoryId,
      jurisdiction_id: v.jurisdictionId,
      path: v.path,
      department_id: v.departmentId,
      updated_at: v.now,
    })
    .onConflict((oc) =>
      oc.columns(['category_id', 'jurisdiction_id']).doUpdateSet({ department_id: v.departmentId, updated_at: v.now }),
    )
    .returning(['id', 'category_id', 'jurisdiction_id', 'department_id'])
    .executeTakeFirstOrThrow();
}

/** The rule of the deepest node above (or at) the case's place for this 小类 or its 大类. */
export async function routeFor(db: Kysely<DB>, categoryIds: string[], casePath: string) {
  return db
    .selectFrom('case_routing_rules as r')
    .select(['r.department_id'])
    .where('r.category_id', 'in', categoryIds)
    .where(sql<boolean>`r.path @> ${casePath}::ltree`)
    .orderBy(sql`nlevel(r.path)`, 'desc')
    .orderBy(sql`r.category_id = ${categoryIds[0] ?? null}::uuid`, 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** A jurisdiction node (any level) with its path. */
export async function jurisdictionById(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('jurisdictions')
    .select(['id', 'code', 'name', 'level', 'parent_id', sql<string>`path::text`.as('path'), 'status'])
    .where('id', '=', id)
    .executeTakeFirst();
}
