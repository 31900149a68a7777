import { DownOutlined, ReloadOutlined, UnorderedListOutlined, UpOutlined } from '@ant-design/icons';
import { type CaseState, caseStateLabels, type TCaseSummary } from '@jiayuan/contracts';
import { useQuery } from '@tanstack/react-query';
import { Badge, Button, Card, Empty, Space, Spin, Switch, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { caseApi } from '../../api/endpoints.ts';
import { useI18n } from '../../app/i18n.tsx';
import { JurisdictionPicker } from '../jurisdictions/JurisdictionPicker.tsx';
import { collectPages } from '../map/collect.ts';
import { CaseActionBar } from './CaseActions.tsx';
import { DeadlineTag, openCaseStates, UrgencyTag } from './caseUi.tsx';

/** The columns and the states each gathers (a returned or reopened case waits for dispatch again). */
const columns: { key: CaseState; states: CaseState[] }[] = [
  { key: 'reported', states: ['reported', 'verified'] },
  { key: 'accepted', states: ['accepted', 'rework', 'reopened'] },
  { key: 'dispatched', states: ['dispatched'] },
  { key: 'in_progress', states: ['in_progress', 'suspended'] },
  { key: 'handled', states: ['handled'] },
];

/** Before the first dispatch the deadline clock has not started: a neutral card edge. */
const notDispatched: CaseState[] = ['reported', 'verified', 'accepted'];
/** States that share a column with another: named on the card. */
const secondaryStates: CaseState[] = ['verified', 'rework', 'reopened', 'suspended'];

const urgencyRank = { red: 0, yellow: 1, blue: 2 };
const deadlineRank = { red: 0, yellow: 1, green: 2, paused: 3, none: 4 };

/** 调度看板: open cases by stage, most urgent first, each card with the steps the user may take. */
export default function DispatchBoardPage() {
  const { t, pick } = useI18n();
  const [jurisdictionId, setJurisdictionId] = useState<string | undefined>();
  const [mine, setMine] = useState(false);
  const board = useQuery({
    queryKey: ['cases', 'board', jurisdictionId ?? null, mine],
    queryFn: () =>
      collectPages(
        (cursor) =>
          caseApi.list(
            { state: openCaseStates.join(','), jurisdictionId, mine: mine ? 'assigned' : undefined },
            200,
            cursor,
          ),
        1000,
      ),
    staleTime: 0,
    refetchInterval: 60_000,
  });
  const items = board.data?.items ?? [];
  const sorted = [...items].sort(
    (a, b) =>
      deadlineRank[a.deadline] - deadlineRank[b.deadline] ||
      urgencyRank[a.urgency] - urgencyRank[b.urgency] ||
      a.createdAt.localeCompare(b.createdAt),
  );

  return (
    <div className="jy-page jy-page-wide" data-testid="board-page">
      <div className="jy-page-head">
        <Typography.Title level={4} className="jy-page-title">
          {t('nav.caseBoard')}
        </Typography.Title>
        <Space wrap>
          <div style={{ width: 260 }}>
            <JurisdictionPicker
              value={jurisdictionId}
              onChange={(v) => setJurisdictionId(v || undefined)}
              placeholder={t('case.filter.allGrids')}
              testId="board-scope"
            />
          </div>
          <Space size="small">
            <Switch size="small" checked={mine} onChange={setMine} data-testid="board-mine" />
            <Typography.Text>{t('case.board.mine')}</Typography.Text>
          </Space>
          <Tooltip title={t('common.refresh')}>
            <Button
              icon={<ReloadOutlined />}
              loading={board.isFetching}
              onClick={() => void board.refetch()}
              aria-label={t('common.refresh')}
            />
          </Tooltip>
          <Link to="/cases">
            <Button icon={<UnorderedListOutlined />}>{t('nav.cases')}</Button>
          </Link>
        </Space>
      </div>
      {board.isPending ? (
        <div className="jy-page-spin">
          <Spin />
        </div>
      ) : (
        <div className="jy-board" data-testid="board">
          {columns.map((col) => {
            const cards = sorted.filter((c) => col.states.includes(c.state));
            return (
              <div key={col.key} className="jy-board-col" data-testid={`board-col-${col.key}`}>
                <div className="jy-board-col-head">
                  <div className="jy-board-col-title">
                    <Typography.Text strong>{pick(caseStateLabels[col.key])}</Typography.Text>
                    <Badge count={cards.length} showZero color={cards.length ? '#1d5fbf' : '#bfbfbf'} />
                  </div>
                  <Typography.Text type="secondary" className="jy-hint">
                    {col.states.length > 1
                      ? `+ ${col.states
                          .slice(1)
                          .map((s) => pick(caseStateLabels[s]))
                          .join(' / ')}`
                      : '\u00a0'}
                  </Typography.Text>
                </div>
                <div className="jy-board-cards">
                  {cards.length === 0 && (
                    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('case.board.empty')} />
                  )}
                  {cards.map((c) => (
                    <BoardCard key={c.id} item={c} />
                  ))}
                </div>
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}

function BoardCard({ item: c }: { item: TCaseSummary }) {
  const { t, pick } = useI18n();
  const [open, setOpen] = useState(false);
  const detail = useQuery({
    queryKey: ['cases', 'detail', c.id],
    queryFn: () => caseApi.get(c.id),
    enabled: open,
    staleTime: 0,
  });
  return (
    <Card
      size="small"
      className={`jy-board-card jy-board-card-${notDispatched.includes(c.state) ? 'none' : c.deadline}`}
      data-testid="board-card"
      data-number={c.number}
    >
      <div className="jy-board-card-top">
        <Link to={`/cases/${c.id}`} className="jy-mono">
          {c.number}
        </Link>
        <UrgencyTag urgency={c.urgency} />
      </div>
      <div className="jy-board-card-title" title={c.title}>
        {c.title}
      </div>
      <Space size={4} wrap>
        <Tag>{c.categoryName}</Tag>
        {secondaryStates.includes(c.state) ? <Tag color="volcano">{pick(caseStateLabels[c.state])}</Tag> : null}
        <DeadlineTag deadline={c.deadline} expectedAt={c.expectedAt} state={c.state} />
      </Space>
      <div className="jy-board-card-meta">
        <span>{c.jurisdictionName}</span>
        {c.assigneeName && <span>· {c.assigneeName}</span>}
      </div>
      <div className="jy-board-card-actions">
        {open ? detail.data ? <CaseActionBar detail={detail.data} size="small" /> : <Spin size="small" /> : null}
        <Button
          type="link"
          size="small"
          onClick={() => setOpen((o) => !o)}
          icon={open ? <UpOutlined /> : <DownOutlined />}
          data-testid="board-card-actions"
        >
          {open ? t('case.board.hideActions') : t('case.board.actions')}
        </Button>
      </div>
    </Card>
  );
}
