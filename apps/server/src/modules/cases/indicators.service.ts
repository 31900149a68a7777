import type { TIndicators } from '@jiayuan/contracts';
import { AppError } from '../../shared/app-error.ts';
import { type Actor, type Ctx, isWithin } from '../../shared/context.ts';
import { authorize } from '../identity/index.ts';
import * as cq from './categories.queries.ts';
import { type IndicatorGroup, indicatorCounts } from './indicators.queries.ts';

/**
 * The indicators of DOMAIN.md, with their denominators written out. Cohort: the cases first dispatched (派遣, when
 * the clock starts) in [from, to), inside the actor's scope (or the node asked for).
 */
export const indicatorDefinitions: Record<string, string> = {
  dispatched: '派遣数：期间内首次派遣的事件数（统计口径）',
  due: '应结案数：其中已结案、缓办中，或办理时限已到（截至 min(期末, 当前)）的事件数',
  suspended: '缓办数：其中当前处于缓办状态的事件数',
  closed: '结案数：其中已核查结案的事件数',
  closedOnTime: '按期结案数：其中已结案且最后一次处置反馈不晚于办理时限的事件数',
  handled: '处置案件数：其中至少处置反馈过一次的事件数',
  reworked: '返工案件数：其中至少被返工一次的处置案件数',
  respondedInTime: '按时响应数：其中承办人在办理时限内签收处置的事件数',
  resolved: '解决数：其中已结案且报告人未评价为“不满意”的事件数',
  rated: '评价数：其中已结案且报告人已评价的事件数',
  satisfied: '满意数：其中评价为“满意”或“基本满意”的事件数',
  closeRate: '结案率 = 结案数 / (应结案数 − 缓办数)',
  onTimeCloseRate: '按期结案率 = 按期结案数 / (应结案数 − 缓办数)',
  reworkRate: '返工率 = 返工案件数 / 处置案件数',
  responseRate: '响应率 = 按时响应数 / 派遣数',
  resolveRate: '解决率 = 解决数 / 结案数',
  satisfactionRate: '满意率 = 满意数 / 评价数',
};

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10000) / 10000 : null);

type Counts = TIndicators['total']['counts'];
function row(key: string | null, label: string | null, k: Counts): TIndicators['total'] {
  const base = k.due - k.suspended;
  return {
    key,
    label,
    counts: k,
    rates: {
      closeRate: ratio(k.closed, base),
      onTimeCloseRate: ratio(k.closedOnTime, base),
      reworkRate: ratio(k.reworked, k.handled),
      responseRate: ratio(k.respondedInTime, k.dispatched),
      resolveRate: ratio(k.resolved, k.closed),
      satisfactionRate: ratio(k.satisfied, k.rated),
    },
  };
}

export async function indicators(
  ctx: Ctx,
  p: { groupBy: IndicatorGroup; from: string; to: string; jurisdictionId?: string },
): Promise<TIndicators> {
  authorize(ctx.actor, 'case.indicators');
  const actor = ctx.actor as Actor;
  const from = new Date(p.from);
  const to = new Date(p.to);
  if (!(from < to)) throw new AppError('invalid', 'VALIDATION_FAILED', { details: { to: 'must be after from' } });
  let subtreePath = actor.scopePath;
  if (p.jurisdictionId) {
    const j = await cq.jurisdictionById(ctx.db, p.jurisdictionId);
    if (!j || !isWithin(j.path, actor.scopePath)) throw new AppError('not_found', 'JURISDICTION_NOT_FOUND');
    subtreePath = j.path;
  }
  const now = ctx.clock.now();
  const rows = await indicatorCounts(ctx.db, {
    groupBy: p.groupBy,
    from,
    to,
    asOf: now < to ? now : to,
    subtreePath,
  });
  const total: Counts = {
    dispatched: 0,
    due: 0,
    suspended: 0,
    closed: 0,
    closedOnTime: 0,
    handled: 0,
    reworked: 0,
    respondedInTime: 0,
    resolved: 0,
    rated: 0,
    satisfied: 0,
  };
  const out = rows.map((r) => {
    const k: Counts = {
      dispatched: Number(r.dispatched),
      due: Number(r.due),
      suspended: Number(r.suspended),
      closed: Number(r.closed),
      closedOnTime: Number(r.closed_on_time),
      handled: Number(r.handled),
      reworked: Number(r.reworked),
      respondedInTime: Number(r.responded_in_time),
      resolved: Number(r.resolved),
      rated: Number(r.rated),
      satisfied: Number(r.satisfied),
    };
    for (const name of Object.keys(total) as (keyof Counts)[]) total[name] += k[name];
    return row(r.key, r.label, k);
  });
  return {
    groupBy: p.groupBy,
    from: from.toISOString(),
    to: to.toISOString(),
    rows: out,
    total: row(null, null, total),
    definitions: indicatorDefinitions,
  };
}
