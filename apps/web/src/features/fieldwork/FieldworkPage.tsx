import { buildingRecordKindLabels, buildingRecordKinds } from '@jiayuan/contracts';
import { useQuery } from '@tanstack/react-query';
import { Card, Segmented, Table, Tabs, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { type BuildingRecord, type BuildingRecordKind, fieldworkApi, type Patrol } from '../../api/endpoints.ts';
import { useI18n } from '../../app/i18n.tsx';
import { useUser } from '../../app/session.tsx';
import { duration } from '../cases/caseUi.tsx';
import { JurisdictionName } from './JurisdictionName.tsx';

/** 巡查与楼栋工作: patrol logs (mine and my scope's) and the five kinds of building-head records. */
export default function FieldworkPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'records' ? 'records' : 'patrols';
  return (
    <div className="jy-page" data-testid="fieldwork-page">
      <Typography.Title level={4} className="jy-page-title">
        {t('nav.fieldwork')}
      </Typography.Title>
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(k) => setParams(k === 'records' ? { tab: 'records' } : {})}
          items={[
            {
              key: 'patrols',
              label: <span data-testid="tab-patrols">{t('field.patrols')}</span>,
              children: <Patrols />,
            },
            {
              key: 'records',
              label: <span data-testid="tab-records">{t('field.records')}</span>,
              children: <Records />,
            },
          ]}
        />
      </Card>
    </div>
  );
}

function Patrols() {
  const { t } = useI18n();
  const me = useUser();
  const navigate = useNavigate();
  const list = useQuery({ queryKey: ['patrols'], queryFn: () => fieldworkApi.patrols(200) });
  return (
    <Table<Patrol>
      data-testid="patrol-table"
      rowKey="id"
      size="small"
      loading={list.isPending}
      dataSource={list.data?.items ?? []}
      pagination={(list.data?.items.length ?? 0) > 20 ? { pageSize: 20 } : false}
      scroll={{ x: 900 }}
      onRow={(p) => ({ onClick: () => navigate(`/fieldwork/patrols/${p.id}`), className: 'jy-clickable' })}
      columns={[
        {
          title: t('field.startedAt'),
          dataIndex: 'startedAt',
          width: 150,
          render: (v: string, p) => (
            <Link to={`/fieldwork/patrols/${p.id}`}>{dayjs(v).format('YYYY-MM-DD HH:mm')}</Link>
          ),
        },
        {
          title: t('field.duration'),
          key: 'dur',
          width: 110,
          render: (_, p) =>
            p.endedAt ? (
              duration(dayjs(p.endedAt).diff(dayjs(p.startedAt), 'minute'), t)
            ) : (
              <Tag color="processing">{t('field.ongoing')}</Tag>
            ),
        },
        {
          title: t('field.who'),
          dataIndex: 'userId',
          width: 100,
          render: (v: string) => (v === me.id ? t('field.me') : <span className="jy-mono">{v.slice(0, 8)}</span>),
        },
        {
          title: t('field.where'),
          dataIndex: 'jurisdictionId',
          width: 140,
          render: (v: string) => <JurisdictionName id={v} />,
        },
        { title: t('field.points'), dataIndex: 'pointCount', width: 80 },
        {
          title: t('field.distance'),
          dataIndex: 'distanceM',
          width: 100,
          render: (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} km` : `${Math.round(v)} m`),
        },
        { title: t('field.findingCount'), dataIndex: 'findingCount', width: 90 },
        { title: t('field.findings'), dataIndex: 'findings', ellipsis: true, render: (v: string | null) => v ?? '—' },
      ]}
    />
  );
}

function Records() {
  const { t, pick } = useI18n();
  const [kind, setKind] = useState<BuildingRecordKind | 'all'>('all');
  const list = useQuery({
    queryKey: ['building-records', kind],
    queryFn: () => fieldworkApi.records(kind === 'all' ? undefined : kind, 200),
  });
  return (
    <>
      <Segmented<BuildingRecordKind | 'all'>
        value={kind}
        onChange={setKind}
        style={{ marginBottom: 12 }}
        data-testid="record-kind"
        options={[
          { value: 'all', label: t('audit.all') },
          ...buildingRecordKinds.map((k) => ({ value: k, label: pick(buildingRecordKindLabels[k]) })),
        ]}
      />
      <Table<BuildingRecord>
        data-testid="record-table"
        rowKey="id"
        size="small"
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        pagination={(list.data?.items.length ?? 0) > 20 ? { pageSize: 20 } : false}
        scroll={{ x: 900 }}
        columns={[
          { title: t('field.occurredOn'), dataIndex: 'occurredOn', width: 110 },
          {
            title: t('field.kind'),
            dataIndex: 'kind',
            width: 130,
            render: (k: BuildingRecordKind) => <Tag color="blue">{pick(buildingRecordKindLabels[k])}</Tag>,
          },
          {
            title: t('field.building'),
            dataIndex: 'buildingLabel',
            width: 160,
            render: (v: string, r) =>
              r.buildingId ? <Link to={`/registry?sel=building:${r.buildingId}`}>{v}</Link> : v,
          },
          {
            title: t('field.where'),
            dataIndex: 'jurisdictionId',
            width: 130,
            render: (v: string) => <JurisdictionName id={v} />,
          },
          { title: t('field.summary'), dataIndex: 'summary', ellipsis: true },
          {
            title: t('field.case'),
            dataIndex: 'caseId',
            width: 90,
            render: (v: string | null) => (v ? <Link to={`/cases/${v}`}>{t('field.openCase')}</Link> : '—'),
          },
        ]}
      />
    </>
  );
}
