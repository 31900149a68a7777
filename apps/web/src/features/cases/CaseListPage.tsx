import { PlusOutlined, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import {
  type CaseState,
  type CaseUrgency,
  caseStateLabels,
  caseStates,
  caseUrgencies,
  type DeadlineColour,
  type TCaseSummary,
} from '@jiayuan/contracts';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Card, Cascader, Col, Form, Row, Select, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { type CaseFilter, caseApi } from '../../api/endpoints.ts';
import { access } from '../../app/access.ts';
import { useI18n } from '../../app/i18n.tsx';
import { useUser } from '../../app/session.tsx';
import { JurisdictionPicker } from '../jurisdictions/JurisdictionPicker.tsx';
import { categoryTree, DeadlineTag, openCaseStates, StateTag, UrgencyTag } from './caseUi.tsx';
import { useCategories } from './useCategories.ts';

const PAGE = 50;

type FilterForm = {
  states?: CaseState[];
  category?: string[];
  urgency?: CaseUrgency;
  deadline?: DeadlineColour;
  jurisdictionId?: string;
  mine?: 'reported' | 'assigned';
};

const toFilter = (v: FilterForm): CaseFilter => ({
  state: v.states?.length ? v.states.join(',') : undefined,
  categoryId: v.category?.at(-1),
  urgency: v.urgency,
  deadline: v.deadline,
  jurisdictionId: v.jurisdictionId,
  mine: v.mine,
});

/** 网格事件: every case in scope (or the user's own), with deadline colours and filters. */
export default function CaseListPage() {
  const { t, pick } = useI18n();
  const user = useUser();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm<FilterForm>();
  const initial: FilterForm = {
    states: openCaseStates,
    jurisdictionId: params.get('jurisdictionId') ?? undefined,
    deadline: (params.get('deadline') as DeadlineColour | null) ?? undefined,
  };
  const [filter, setFilter] = useState<CaseFilter>(toFilter(initial));
  const categories = useCategories();

  const list = useInfiniteQuery({
    queryKey: ['cases', 'list', filter],
    queryFn: ({ pageParam }) => caseApi.list(filter, PAGE, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 0,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  const columns: ColumnsType<TCaseSummary> = [
    {
      title: t('case.number'),
      dataIndex: 'number',
      width: 160,
      fixed: 'left',
      render: (v: string, c) => (
        <Link to={`/cases/${c.id}`} className="jy-mono" data-testid="case-link">
          {v}
        </Link>
      ),
    },
    { title: t('case.title'), dataIndex: 'title', width: 220, ellipsis: true },
    { title: t('case.category'), dataIndex: 'categoryName', width: 110 },
    { title: t('case.state'), dataIndex: 'state', width: 90, render: (s: CaseState) => <StateTag state={s} /> },
    {
      title: t('case.urgency'),
      dataIndex: 'urgency',
      width: 80,
      render: (u: CaseUrgency) => <UrgencyTag urgency={u} />,
    },
    {
      title: t('case.deadline'),
      dataIndex: 'deadline',
      width: 160,
      render: (d: DeadlineColour, c) => <DeadlineTag deadline={d} expectedAt={c.expectedAt} state={c.state} />,
    },
    { title: t('case.jurisdiction'), dataIndex: 'jurisdictionName', width: 110 },
    {
      title: t('case.assignee'),
      dataIndex: 'assigneeName',
      width: 90,
      render: (v: string | null) => v ?? '—',
    },
    {
      title: t('case.createdAt'),
      dataIndex: 'createdAt',
      width: 110,
      render: (v: string) => <span className="jy-nowrap">{dayjs(v).format('MM-DD HH:mm')}</span>,
    },
  ];

  return (
    <div className="jy-page" data-testid="case-list-page">
      <div className="jy-page-head">
        <Typography.Title level={4} className="jy-page-title">
          {t('nav.cases')}
        </Typography.Title>
        <Space wrap>
          {access.dispatchBoard(user) && <Link to="/cases/board">{t('nav.caseBoard')}</Link>}
          {access.intake(user) && (
            <Link to="/cases/new">
              <Button type="primary" icon={<PlusOutlined />} data-testid="case-new">
                {t('nav.caseIntake')}
              </Button>
            </Link>
          )}
        </Space>
      </div>
      <Card className="jy-filter-card">
        <Form<FilterForm>
          form={form}
          layout="vertical"
          name="case-filter"
          initialValues={initial}
          onFinish={(v) => setFilter(toFilter(v))}
        >
          <Row gutter={16}>
            <Col xs={24} md={12} xl={8}>
              <Form.Item name="states" label={t('case.state')}>
                <Select
                  mode="multiple"
                  allowClear
                  maxTagCount="responsive"
                  placeholder={t('case.filter.allStates')}
                  options={caseStates.map((s) => ({ value: s, label: pick(caseStateLabels[s]) }))}
                  data-testid="filter-state"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={5}>
              <Form.Item name="category" label={t('case.category')}>
                <Cascader
                  changeOnSelect
                  allowClear
                  options={categoryTree(categories.data?.items ?? [], false)}
                  placeholder={t('case.filter.allCategories')}
                  data-testid="filter-category"
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={3}>
              <Form.Item name="urgency" label={t('case.urgency')}>
                <Select
                  allowClear
                  placeholder={t('audit.all')}
                  options={caseUrgencies.map((u) => ({ value: u, label: t(`case.urgency.${u}`) }))}
                  data-testid="filter-urgency"
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={3}>
              <Form.Item name="deadline" label={t('case.deadline')}>
                <Select
                  allowClear
                  placeholder={t('audit.all')}
                  options={(['green', 'yellow', 'red', 'paused'] as const).map((d) => ({
                    value: d,
                    label: t(`case.deadline.${d}`),
                  }))}
                  data-testid="filter-deadline"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={5}>
              <Form.Item name="jurisdictionId" label={t('case.filter.grid')}>
                <JurisdictionPicker testId="filter-grid" placeholder={t('case.filter.allGrids')} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={5}>
              <Form.Item name="mine" label={t('case.filter.mine')}>
                <Select
                  allowClear
                  placeholder={t('audit.all')}
                  options={[
                    { value: 'assigned', label: t('case.filter.assigned') },
                    { value: 'reported', label: t('case.filter.reported') },
                  ]}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Form.Item label=" " className="jy-filter-buttons">
                <Space wrap>
                  <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="case-search">
                    {t('common.search')}
                  </Button>
                  <Button
                    onClick={() => {
                      form.setFieldsValue({
                        states: undefined,
                        category: undefined,
                        urgency: undefined,
                        deadline: undefined,
                        jurisdictionId: undefined,
                        mine: undefined,
                      });
                      setFilter({});
                    }}
                  >
                    {t('common.reset')}
                  </Button>
                </Space>
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Card>
      <Card>
        <div className="jy-toolbar">
          <Typography.Text type="secondary">
            {t('audit.loaded', { count: rows.length })}
            {list.hasNextPage ? '' : rows.length ? ` · ${t('audit.end')}` : ''}
          </Typography.Text>
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} aria-label={t('common.refresh')} />
        </div>
        <Table<TCaseSummary>
          data-testid="case-table"
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={rows}
          loading={list.isFetching && !list.isFetchingNextPage}
          pagination={false}
          scroll={{ x: 1120 }}
          rowClassName={(c) => `jy-clickable jy-row-${c.deadline}`}
          onRow={(c) => ({ onClick: () => navigate(`/cases/${c.id}`) })}
        />
        {list.hasNextPage && (
          <div className="jy-load-more">
            <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
              {t('audit.loadMore')}
            </Button>
          </div>
        )}
      </Card>
    </div>
  );
}
