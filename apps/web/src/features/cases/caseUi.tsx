import {
  type CaseSource,
  type CaseState,
  type CaseUrgency,
  caseStateLabels,
  type DeadlineColour,
  type TCategory,
} from '@jiayuan/contracts';
import { Tag, Tooltip } from 'antd';
import dayjs from 'dayjs';
import { type MessageKey, useI18n } from '../../app/i18n.tsx';

export const openCaseStates: CaseState[] = [
  'reported',
  'verified',
  'accepted',
  'dispatched',
  'in_progress',
  'handled',
  'rework',
  'suspended',
  'reopened',
];

const stateColour: Record<CaseState, string> = {
  reported: 'blue',
  verified: 'geekblue',
  discarded: 'default',
  accepted: 'cyan',
  dispatched: 'purple',
  in_progress: 'processing',
  handled: 'gold',
  closed: 'success',
  rework: 'volcano',
  suspended: 'default',
  reopened: 'magenta',
};

export function StateTag({ state }: { state: CaseState }) {
  const { pick } = useI18n();
  return (
    <Tag color={stateColour[state]} data-testid="case-state" data-state={state}>
      {pick(caseStateLabels[state])}
    </Tag>
  );
}

const urgencyColour: Record<CaseUrgency, string> = { red: 'red', yellow: 'orange', blue: 'blue' };

export function UrgencyTag({ urgency }: { urgency: CaseUrgency }) {
  const { t } = useI18n();
  return <Tag color={urgencyColour[urgency]}>{t(`case.urgency.${urgency}`)}</Tag>;
}

const notDispatched: CaseState[] = ['reported', 'verified', 'accepted'];

const deadlineTagColour: Record<DeadlineColour, string> = {
  green: 'success',
  yellow: 'warning',
  red: 'error',
  paused: 'default',
  none: 'default',
};

/** 绿 on track, 黄牌 past 80 % of the limit, 红牌 overdue; with the time left (or over) against the expected time. */
export function DeadlineTag({
  deadline,
  expectedAt,
  state,
}: {
  deadline: DeadlineColour;
  expectedAt: string | null;
  state?: CaseState;
}) {
  const { t } = useI18n();
  if (deadline === 'none') return <span className="jy-muted">—</span>;
  // Before the first dispatch the deadline is provisional: the clock starts at dispatch.
  if (state && notDispatched.includes(state))
    return (
      <Tag className="jy-nowrap" data-testid="case-deadline" data-deadline="not-started">
        {t('case.deadline.notStarted')}
      </Tag>
    );
  let detail = '';
  if (expectedAt && deadline !== 'paused') {
    const mins = dayjs(expectedAt).diff(dayjs(), 'minute');
    detail =
      mins >= 0
        ? t('case.deadline.left', { time: duration(mins, t) })
        : t('case.deadline.over', { time: duration(-mins, t) });
  }
  return (
    <Tooltip
      title={expectedAt ? t('case.expectedAt', { at: dayjs(expectedAt).format('YYYY-MM-DD HH:mm') }) : undefined}
    >
      <Tag
        color={deadlineTagColour[deadline]}
        data-testid="case-deadline"
        data-deadline={deadline}
        className="jy-nowrap"
      >
        {t(`case.deadline.${deadline}`)}
        {detail ? ` · ${detail}` : ''}
      </Tag>
    </Tooltip>
  );
}

export function duration(mins: number, t: (k: MessageKey, v?: Record<string, string | number>) => string): string {
  if (mins < 60) return t('case.dur.min', { n: mins });
  if (mins < 48 * 60) return t('case.dur.hour', { n: Math.floor(mins / 60) });
  return t('case.dur.day', { n: Math.floor(mins / 1440) });
}

export function SourceLabel({ source }: { source: CaseSource }) {
  const { t } = useI18n();
  return <>{t(`case.source.${source}`)}</>;
}

/** 大类 › 小类 as a cascader tree, in the categories' order. */
export type CategoryOption = { value: string; label: string; children?: CategoryOption[]; category: TCategory };

export function categoryTree(items: TCategory[], onlyActive = true): CategoryOption[] {
  const list = items
    .filter((c) => !onlyActive || c.active)
    .sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code));
  return list
    .filter((c) => c.parentId === null)
    .map((main) => ({
      value: main.id,
      label: main.name,
      category: main,
      children: list
        .filter((c) => c.parentId === main.id)
        .map((sub) => ({ value: sub.id, label: sub.name, category: sub })),
    }))
    .filter((m) => (m.children?.length ?? 0) > 0);
}

/** "大类 › 小类" for a 小类 id. */
export function categoryPath(items: TCategory[] | undefined, id: string): string | null {
  const c = items?.find((x) => x.id === id);
  if (!c) return null;
  const parent = c.parentId ? items?.find((x) => x.id === c.parentId) : undefined;
  return parent ? `${parent.name} › ${c.name}` : c.name;
}
