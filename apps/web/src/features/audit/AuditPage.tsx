import { CheckCircleOutlined, ReloadOutlined, SafetyOutlined, SearchOutlined } from '@ant-design/icons';
import type { TAuditEntry } from '@jiayuan/contracts';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Col, DatePicker, Form, Input, Row, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { type AuditFilter, type AuditVerifyResult, auditApi } from '../../api/endpoints.ts';
import { useI18n } from '../../app/i18n.tsx';

const PAGE = 50;

type FilterForm = {
  action?: string;
  actor?: string;
  objectId?: string;
  success?: 'true' | 'false' | 'all';
  range?: [Dayjs | null, Dayjs | null] | null;
};

const toFilter = (v: FilterForm): AuditFilter => ({
  action: v.action?.trim() || undefined,
  actor: v.actor?.trim() || undefined,
  objectId: v.objectId?.trim() || undefined,
  success: v.success === 'true' || v.success === 'false' ? v.success : undefined,
  from: v.range?.[0]?.toISOString(),
  to: v.range?.[1]?.toISOString(),
});

export default function AuditPage() {
  const { t, roleLabel } = useI18n();
  const [form] = Form.useForm<FilterForm>();
  const [filter, setFilter] = useState<AuditFilter>({});
  const [verifyResult, setVerifyResult] = useState<AuditVerifyResult | null>(null);

  const list = useInfiniteQuery({
    queryKey: ['audit', filter],
    queryFn: ({ pageParam }) => auditApi.list(filter, PAGE, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
    staleTime: 0,
  });

  const verify = useMutation({ mutationFn: auditApi.verify, onSuccess: setVerifyResult });

  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  const columns: ColumnsType<TAuditEntry> = [
    {
      title: t('audit.time'),
      dataIndex: 'at',
      width: 170,
      fixed: 'left',
      render: (v: string) => <span className="jy-nowrap">{dayjs(v).format('YYYY-MM-DD HH:mm:ss')}</span>,
    },
    {
      title: t('audit.actor'),
      dataIndex: 'actorName',
      width: 170,
      render: (v: string | null) =>
        v ? (
          <span className="jy-nowrap">{v}</span>
        ) : (
          <Typography.Text type="secondary">{t('audit.anonymous')}</Typography.Text>
        ),
    },
    {
      title: t('audit.roles'),
      dataIndex: 'actorRoles',
      width: 130,
      render: (rs: string[]) => (
        <span className="jy-tags">
          {rs.map((r) => (
            <Tag key={r}>{roleLabel(r)}</Tag>
          ))}
        </span>
      ),
    },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      width: 190,
      render: (v: string) => <code className="jy-code">{v}</code>,
    },
    {
      title: t('audit.object'),
      key: 'object',
      width: 220,
      render: (_, e) =>
        e.objectType || e.objectId ? (
          <span className="jy-object">
            {e.objectType && <Tag>{e.objectType}</Tag>}
            {e.objectId && (
              <Typography.Text copyable={{ text: e.objectId }} className="jy-mono" ellipsis={{ tooltip: e.objectId }}>
                {e.objectId}
              </Typography.Text>
            )}
          </span>
        ) : (
          '—'
        ),
    },
    {
      title: t('audit.result'),
      dataIndex: 'success',
      width: 80,
      render: (ok: boolean) =>
        ok ? <Tag color="green">{t('audit.success')}</Tag> : <Tag color="red">{t('audit.failure')}</Tag>,
    },
    { title: t('audit.reason'), dataIndex: 'reason', width: 180, render: (v: string | null) => v ?? '—' },
    {
      title: 'IP',
      dataIndex: 'ip',
      width: 130,
      render: (v: string | null) => <span className="jy-mono">{v ?? '—'}</span>,
    },
    {
      title: t('audit.requestId'),
      dataIndex: 'requestId',
      width: 160,
      render: (v: string | null) =>
        v ? (
          <Typography.Text copyable className="jy-mono" ellipsis={{ tooltip: v }}>
            {v}
          </Typography.Text>
        ) : (
          '—'
        ),
    },
  ];

  return (
    <div className="jy-page" data-testid="audit-page">
      <Typography.Title level={4} className="jy-page-title">
        {t('nav.audit')}
      </Typography.Title>
      <Card className="jy-filter-card">
        <Form<FilterForm>
          form={form}
          name="audit-filter"
          layout="vertical"
          initialValues={{ success: 'all' }}
          onFinish={(v) => setFilter(toFilter(v))}
        >
          <Row gutter={16}>
            <Col xs={24} sm={12} lg={6} xxl={4}>
              <Form.Item name="action" label={t('audit.action')}>
                <Input
                  allowClear
                  placeholder={t('audit.actionPlaceholder')}
                  maxLength={64}
                  data-testid="audit-action"
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6} xxl={4}>
              <Form.Item name="actor" label={t('audit.actorUsername')}>
                <Input allowClear maxLength={64} data-testid="audit-actor" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6} xxl={4}>
              <Form.Item name="objectId" label={t('audit.objectId')}>
                <Input allowClear maxLength={64} data-testid="audit-object" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6} xxl={3}>
              <Form.Item name="success" label={t('audit.result')}>
                <Select
                  data-testid="audit-success"
                  options={[
                    { value: 'all', label: t('audit.all') },
                    { value: 'true', label: t('audit.success') },
                    { value: 'false', label: t('audit.failure') },
                  ]}
                />
              </Form.Item>
            </Col>
            <Col xs={24} lg={12} xxl={6}>
              <Form.Item name="range" label={t('audit.timeRange')}>
                <DatePicker.RangePicker showTime style={{ width: '100%' }} allowEmpty={[true, true]} />
              </Form.Item>
            </Col>
            <Col xs={24} lg={12} xxl={3}>
              <Form.Item label=" " className="jy-filter-buttons">
                <Space wrap>
                  <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="audit-search">
                    {t('common.search')}
                  </Button>
                  <Button
                    onClick={() => {
                      form.resetFields();
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

      {verifyResult && (
        <Alert
          className="jy-page-alert"
          data-testid="audit-verify-result"
          type={verifyResult.ok ? 'success' : 'error'}
          showIcon
          closable={{ onClose: () => setVerifyResult(null) }}
          title={verifyResult.ok ? t('audit.verifyOk', { rows: verifyResult.rows }) : t('audit.verifyBad')}
          description={
            verifyResult.ok
              ? t('audit.verifyOkDetail')
              : t('audit.verifyBadDetail', {
                  rows: verifyResult.rows,
                  id: verifyResult.firstBadId ?? '—',
                  problem: verifyResult.problem ?? '—',
                })
          }
        />
      )}

      <Card>
        <div className="jy-toolbar">
          <Typography.Text type="secondary">
            {t('audit.loaded', { count: rows.length })}
            {list.hasNextPage ? '' : rows.length ? ` · ${t('audit.end')}` : ''}
          </Typography.Text>
          <Space wrap>
            <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} aria-label={t('common.refresh')} />
            <Button
              icon={<SafetyOutlined />}
              onClick={() => verify.mutate()}
              loading={verify.isPending}
              data-testid="audit-verify"
            >
              {t('audit.verify')}
            </Button>
          </Space>
        </div>
        <Table<TAuditEntry>
          data-testid="audit-table"
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={rows}
          loading={list.isFetching && !list.isFetchingNextPage}
          pagination={false}
          scroll={{ x: 1450 }}
          expandable={{
            expandedRowRender: (e) => (
              <pre className="jy-json" data-testid="audit-details">
                {JSON.stringify(e.details ?? null, null, 2)}
              </pre>
            ),
            rowExpandable: (e) => e.details !== null && e.details !== undefined,
          }}
        />
        <div className="jy-load-more">
          {list.hasNextPage ? (
            <Button
              onClick={() => void list.fetchNextPage()}
              loading={list.isFetchingNextPage}
              data-testid="audit-load-more"
            >
              {t('audit.loadMore')}
            </Button>
          ) : (
            rows.length > 0 && (
              <Typography.Text type="secondary">
                <CheckCircleOutlined /> {t('audit.end')}
              </Typography.Text>
            )
          )}
        </div>
      </Card>
    </div>
  );
}
