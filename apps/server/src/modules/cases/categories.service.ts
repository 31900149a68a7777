import {
  type CaseUrgency,
  type TCategory,
  type TExtraField,
  type ZCreateCategory,
  ZExtraField,
  type ZUpdateCategory,
} from '@jiayuan/contracts';
import { z } from 'zod';
import { AppError } from '../../shared/app-error.ts';
import { type Actor, type Ctx, isWithin, withTx } from '../../shared/context.ts';
import { recordAudit } from '../audit/index.ts';
import { authorize, can } from '../identity/index.ts';
import * as q from './categories.queries.ts';
import { urgencyLimitMinutes } from './deadlines.calendar.ts';

type CategoryRow = q.CategoryRow;

export const effectiveLimit = (c: Pick<CategoryRow, 'time_limit_minutes' | 'default_urgency'>, urgency?: CaseUrgency) =>
  c.time_limit_minutes ??
  ((urgency ?? c.default_urgency) ? urgencyLimitMinutes[(urgency ?? c.default_urgency) as CaseUrgency] : null);

export const presentCategory = (c: CategoryRow): TCategory => ({
  id: c.id,
  parentId: c.parent_id,
  code: c.code,
  name: c.name,
  jurisdictionId: c.jurisdiction_id,
  defaultUrgency: c.default_urgency,
  timeLimitMinutes: c.time_limit_minutes,
  effectiveLimitMinutes: effectiveLimit(c),
  clock: c.clock,
  acceptCondition: c.accept_condition,
  closeCondition: c.close_condition,
  extraFields: (c.extra_fields as unknown[]) ?? [],
  active: c.active,
  sort: c.sort,
});

const onBranch = (a: string, b: string) => isWithin(a, b) || isWithin(b, a);

export async function listCategories(ctx: Ctx, includeInactive: boolean): Promise<TCategory[]> {
  authorize(ctx.actor, 'case.category.read');
  return (await q.categoriesFor(ctx.db, (ctx.actor as Actor).scopePath, includeInactive)).map(presentCategory);
}

/** A category the actor may see (global, or on their branch); 404 otherwise. */
export async function visibleCategory(ctx: Ctx, id: string): Promise<CategoryRow> {
  const c = await q.categoryById(ctx.db, id);
  if (!c || (c.path !== null && !onBranch(c.path, (ctx.actor as Actor).scopePath)))
    throw new AppError('not_found', 'CASES_CATEGORY_NOT_FOUND');
  return c;
}

/** Global ones are the system administrator's; scoped ones belong to leaders whose scope covers them. */
function authorizeEdit(ctx: Ctx, path: string | null) {
  if (path === null) return authorize(ctx.actor, 'case.category.manage_global');
  authorize(ctx.actor, 'case.category.manage', { path }, 'CASES_CATEGORY_NOT_FOUND');
}

export async function createCategory(ctx: Ctx, input: z.infer<typeof ZCreateCategory>): Promise<TCategory> {
  authorize(ctx.actor, 'case.category.read');
  let path: string | null = null;
  if (input.jurisdictionId) {
    const j = await q.jurisdictionById(ctx.db, input.jurisdictionId);
    if (!j || !isWithin(j.path, (ctx.actor as Actor).scopePath))
      throw new AppError('not_found', 'CASES_JURISDICTION_INVALID');
    path = j.path;
  }
  authorizeEdit(ctx, path);
  const parent = input.parentId ? await visibleCategory(ctx, input.parentId) : null;
  if (parent && parent.parent_id !== null) throw new AppError('invalid', 'CASES_CATEGORY_INVALID');
  if (parent?.path && (!path || !isWithin(path, parent.path))) throw new AppError('invalid', 'CASES_CATEGORY_INVALID');
  if (!parent !== (input.defaultUrgency === undefined)) throw new AppError('invalid', 'CASES_CATEGORY_INVALID');
  return withTx(ctx, async (tx) => {
    if (await q.categoryByCode(tx.db, input.code)) throw new AppError('conflict', 'CASES_CATEGORY_CODE_TAKEN');
    const { id } = await q.insertCategory(tx.db, {
      parentId: parent?.id ?? null,
      code: input.code,
      name: input.name,
      jurisdictionId: input.jurisdictionId ?? null,
      path,
      defaultUrgency: input.defaultUrgency ?? null,
      timeLimitMinutes: input.timeLimitMinutes ?? null,
      clock: input.clock ?? parent?.clock ?? 'natural',
      acceptCondition: input.acceptCondition ?? parent?.accept_condition ?? '',
      closeCondition: input.closeCondition ?? parent?.close_condition ?? '',
      extraFields: input.extraFields ?? [],
      sort: input.sort ?? 0,
      now: ctx.clock.now(),
    });
    await recordAudit(tx, {
      action: 'case.category.create',
      objectType: 'case_category',
      objectId: id,
      details: { code: input.code, name: input.name, global: path === null },
    });
    return presentCategory((await q.categoryById(tx.db, id)) as CategoryRow);
  });
}

export async function updateCategory(ctx: Ctx, id: string, input: z.infer<typeof ZUpdateCategory>): Promise<TCategory> {
  authorize(ctx.actor, 'case.category.read');
  const c = await visibleCategory(ctx, id);
  authorizeEdit(ctx, c.path);
  if (input.defaultUrgency !== undefined && c.parent_id === null)
    throw new AppError('invalid', 'CASES_CATEGORY_INVALID');
  return withTx(ctx, async (tx) => {
    await q.updateCategory(
      tx.db,
      id,
      {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.defaultUrgency !== undefined ? { default_urgency: input.defaultUrgency } : {}),
        ...(input.timeLimitMinutes !== undefined ? { time_limit_minutes: input.timeLimitMinutes } : {}),
        ...(input.clock !== undefined ? { clock: input.clock } : {}),
        ...(input.acceptCondition !== undefined ? { accept_condition: input.acceptCondition } : {}),
        ...(input.closeCondition !== undefined ? { close_condition: input.closeCondition } : {}),
        ...(input.extraFields !== undefined ? { extra_fields: JSON.stringify(input.extraFields) } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
        ...(input.sort !== undefined ? { sort: input.sort } : {}),
      },
      ctx.clock.now(),
    );
    await recordAudit(tx, {
      action: 'case.category.update',
      objectType: 'case_category',
      objectId: id,
      details: { code: c.code, changed: Object.keys(input) },
    });
    return presentCategory((await q.categoryById(tx.db, id)) as CategoryRow);
  });
}

// ——— extra fields ———

/** A strict zod schema for a category's extra fields: unknown keys, wrong types and unknown options are refused. */
export function extraSchema(fields: readonly TExtraField[]) {
  const shape: Record<string, z.ZodType> = {};
  for (const raw of fields) {
    const f = ZExtraField.parse(raw);
    let t: z.ZodType;
    switch (f.type) {
      case 'string':
        t = z.string().trim().min(1).max(500);
        break;
      case 'number':
        t = z.number().finite();
        break;
      case 'date':
        t = z.iso.date();
        break;
      case 'single':
        t = z.enum(f.options as [string, ...string[]]);
        break;
      case 'multi':
        t = z
          .array(z.enum(f.options as [string, ...string[]]))
          .min(1)
          .refine((a) => new Set(a).size === a.length, 'duplicate option');
        break;
    }
    shape[f.key] = f.required ? t : t.optional();
  }
  return z.strictObject(shape);
}

export function validateExtra(fields: unknown, extra: Record<string, unknown> | undefined): Record<string, unknown> {
  const r = extraSchema((fields as TExtraField[]) ?? []).safeParse(extra ?? {});
  if (!r.success)
    throw new AppError('invalid', 'CASES_EXTRA_FIELDS_INVALID', {
      details: { issues: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
    });
  return r.data as Record<string, unknown>;
}

// ——— departments and routing ———

export async function listDepartments(ctx: Ctx) {
  authorize(ctx.actor, 'case.category.read');
  return (await q.departmentsFor(ctx.db, (ctx.actor as Actor).scopePath)).map((d) => ({
    id: d.id,
    name: d.name,
    jurisdictionId: d.jurisdiction_id,
    active: d.active,
  }));
}

export async function createDepartment(ctx: Ctx, input: { name: string; jurisdictionId: string }) {
  const j = await q.jurisdictionById(ctx.db, input.jurisdictionId);
  authorize(ctx.actor, 'case.department.manage', j ? { path: j.path } : { path: '~' }, 'CASES_JURISDICTION_INVALID');
  const node = j as NonNullable<typeof j>;
  return withTx(ctx, async (tx) => {
    if (await q.departmentNameTaken(tx.db, node.id, input.name))
      throw new AppError('conflict', 'CASES_DEPARTMENT_NAME_TAKEN');
    const { id } = await q.insertDepartment(tx.db, {
      name: input.name,
      jurisdictionId: node.id,
      path: node.path,
      now: ctx.clock.now(),
    });
    await recordAudit(tx, { action: 'case.department.create', objectType: 'department', objectId: id, details: input });
    return { id, name: input.name, jurisdictionId: node.id, active: true };
  });
}

/** A department the actor can route to: on their branch. */
export async function usableDepartment(ctx: Ctx, id: string) {
  const d = await q.departmentById(ctx.db, id);
  if (!d?.active || !onBranch(d.path, (ctx.actor as Actor).scopePath))
    throw new AppError('not_found', 'CASES_DEPARTMENT_NOT_FOUND');
  return d;
}

export async function listRoutingRules(ctx: Ctx) {
  authorize(ctx.actor, 'case.category.read');
  return (await q.routingRulesFor(ctx.db, (ctx.actor as Actor).scopePath)).map((r) => ({
    id: r.id,
    categoryId: r.category_id,
    jurisdictionId: r.jurisdiction_id,
    departmentId: r.department_id,
  }));
}

/** 小类 × jurisdiction subtree → the responsible department, or (null) the community itself. */
export async function putRoutingRule(
  ctx: Ctx,
  input: { categoryId: string; jurisdictionId: string; departmentId: string | null },
) {
  const j = await q.jurisdictionById(ctx.db, input.jurisdictionId);
  authorize(ctx.actor, 'case.department.manage', j ? { path: j.path } : { path: '~' }, 'CASES_JURISDICTION_INVALID');
  const node = j as NonNullable<typeof j>;
  await visibleCategory(ctx, input.categoryId);
  if (input.departmentId) await usableDepartment(ctx, input.departmentId);
  return withTx(ctx, async (tx) => {
    const r = await q.upsertRoutingRule(tx.db, { ...input, path: node.path, now: ctx.clock.now() });
    await recordAudit(tx, {
      action: 'case.routing.put',
      objectType: 'case_routing_rule',
      objectId: r.id,
      details: input,
    });
    return { id: r.id, categoryId: r.category_id, jurisdictionId: r.jurisdiction_id, departmentId: r.department_id };
  });
}

export const canManageCategories = (actor: Actor | null) =>
  can(actor, 'case.category.manage') || can(actor, 'case.category.manage_global');
