import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../shared/app-error.ts';
import { type Ctx, withTx } from '../../shared/context.ts';
import { recordAudit } from '../audit/index.ts';
import { authorize } from '../identity/index.ts';
import { clockStates } from './case.workflow.ts';
import * as q from './cases.queries.ts';
import { type Calendar, calendarOf } from './deadlines.calendar.ts';
import { notify } from './notifications/outbox.ts';

export async function loadCalendar(db: Kysely<DB>): Promise<Calendar> {
  return calendarOf(await q.calendarDays(db));
}

export async function getCalendarYear(ctx: Ctx, year: number) {
  authorize(ctx.actor, 'case.category.read');
  const days = await q.calendarDays(ctx.db, year);
  return { year, days: days.map((d) => ({ day: d.day, kind: d.kind, name: d.name })) };
}

/**
 * Replaces a year's holidays and make-up working days (the State Council publishes them each November). Deadlines
 * already computed keep their value; new clocks and resumed ones use the new calendar.
 */
export async function putCalendarYear(
  ctx: Ctx,
  year: number,
  days: { day: string; kind: 'holiday' | 'workday'; name: string }[],
) {
  authorize(ctx.actor, 'case.calendar.manage');
  const seen = new Set<string>();
  for (const d of days) {
    if (Number(d.day.slice(0, 4)) !== year || seen.has(d.day))
      throw new AppError('invalid', 'CASES_CALENDAR_INVALID', { details: { day: d.day } });
    seen.add(d.day);
  }
  return withTx(ctx, async (tx) => {
    await q.replaceCalendarYear(tx.db, year, days, ctx.clock.now());
    await recordAudit(tx, {
      action: 'case.calendar.put',
      objectType: 'work_calendar',
      objectId: String(year),
      details: {
        holidays: days.filter((d) => d.kind === 'holiday').length,
        workdays: days.filter((d) => d.kind === 'workday').length,
      },
    });
    return getCalendarYear(tx, year);
  });
}

/** The node an overdue case escalates to: the level above the case's community (its street). */
export const escalationPath = (casePath: string): string => casePath.split('.').slice(0, 3).join('.');

const systemEvent = (c: q.CaseRow, action: string, at: Date, details: Record<string, unknown> = {}) => ({
  caseId: c.id,
  at,
  actorId: null,
  actorName: '系统',
  action,
  from: c.state,
  to: c.state,
  note: null,
  details,
});

/**
 * The deadline job: yellow warning at 80 % of the limit, and past the deadline the red flag and an escalation (督办)
 * to the next level up. Each is raised once per case and deadline: the flag row's primary key decides, so two runners
 * (or two processes) that see the same case raise it once; the second insert waits for the first to commit and then
 * does nothing.
 */
export async function runDeadlines(ctx: Ctx, batch = 200): Promise<{ warned: number; escalated: number }> {
  const now = ctx.clock.now();
  let warned = 0;
  let escalated = 0;
  for (const c of await q.dueForWarning(ctx.db, now, clockStates, batch)) {
    const dueAt = new Date(c.expected_at as Date);
    if (!(await q.raiseFlag(ctx.db, { caseId: c.id, kind: 'warning', dueAt, now }))) continue;
    warned++;
    await q.updateCase(ctx.db, c.id, { warned_at: now });
    await q.insertEvent(ctx.db, systemEvent(c, 'deadline.warning', now, { expectedAt: dueAt.toISOString() }));
    await recordAudit(ctx, { action: 'case.deadline_warning', objectType: 'case', objectId: c.id });
    await notify(ctx, {
      topic: 'case.deadline',
      kind: 'case.warning',
      caseId: c.id,
      title: `黄牌预警：${c.number}`,
      body: `事件 ${c.number} 已用去 80% 办理时限，请于 ${dueAt.toISOString()} 前办结`,
      recipients: [c.assignee_id, c.owner_id],
      data: { number: c.number, expectedAt: dueAt.toISOString() },
    });
  }
  for (const c of await q.dueForEscalation(ctx.db, now, clockStates, batch)) {
    const dueAt = new Date(c.expected_at as Date);
    const target = await q.jurisdictionByPath(ctx.db, escalationPath(c.path));
    if (!(await q.raiseFlag(ctx.db, { caseId: c.id, kind: 'escalation', dueAt, now, target: target?.id ?? null })))
      continue;
    await q.raiseFlag(ctx.db, { caseId: c.id, kind: 'overdue', dueAt, now });
    escalated++;
    await q.updateCase(ctx.db, c.id, { overdue_at: now, escalated_at: now });
    await q.insertEvent(ctx.db, systemEvent(c, 'deadline.overdue', now, { expectedAt: dueAt.toISOString() }));
    await q.insertEvent(
      ctx.db,
      systemEvent(c, 'deadline.escalated', now, { to: target ? { id: target.id, name: target.name } : null }),
    );
    await recordAudit(ctx, {
      action: 'case.escalate',
      objectType: 'case',
      objectId: c.id,
      details: { to: target?.code ?? null },
    });
    const supervisors = target ? await q.usersAt(ctx.db, target.id, ['street_staff', 'leader']) : [];
    await notify(ctx, {
      topic: 'case.deadline',
      kind: 'case.escalated',
      caseId: c.id,
      title: `红牌督办：${c.number}`,
      body: `事件 ${c.number} 已超过办理时限，已提请${target?.name ?? '上级'}督办`,
      recipients: [c.assignee_id, c.owner_id, ...supervisors],
      data: { number: c.number, expectedAt: dueAt.toISOString(), escalatedTo: target?.code ?? null },
    });
  }
  return { warned, escalated };
}
