import { UserAddOutlined } from '@ant-design/icons';
import type { TBuildingView, TDwellingView } from '@jiayuan/contracts';
import { useQuery } from '@tanstack/react-query';
import {
  Button,
  Card,
  Descriptions,
  type DescriptionsProps,
  Space,
  Table,
  Tabs,
  type TabsProps,
  Tag,
  Typography,
} from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { householdApi, jurisdictionApi, placeApi, residentApi } from '../../api/endpoints.ts';
import { access } from '../../app/access.ts';
import { useI18n } from '../../app/i18n.tsx';
import { useUser } from '../../app/session.tsx';
import { LevelTag } from '../jurisdictions/NodeTitle.tsx';
import { OrgTable } from './OrgTable.tsx';
import type { PlaceKind } from './PlaceTree.tsx';
import { ResidentTable } from './ResidentTable.tsx';
import { useRegistryLabels } from './registryUi.tsx';

type Props = { kind: PlaceKind; id: string; onOpen: (key: string) => void };

/** The details of the place selected in the tree, with its residents, organisations and what lies below it. */
export function PlacePanel({ kind, id, onOpen }: Props) {
  switch (kind) {
    case 'jurisdiction':
      return <JurisdictionPanel id={id} onOpen={onOpen} />;
    case 'complex':
      return <ComplexPanel id={id} onOpen={onOpen} />;
    case 'building':
      return <BuildingPanel id={id} onOpen={onOpen} />;
    case 'unit':
      return <UnitPanel id={id} onOpen={onOpen} />;
    case 'dwelling':
      return <DwellingPanel id={id} onOpen={onOpen} />;
    case 'household':
      return <HouseholdPanel id={id} />;
  }
}

function Shell({
  title,
  loading,
  info,
  tabs,
  actions,
  testId,
}: {
  title: ReactNode;
  loading: boolean;
  info: DescriptionsProps['items'];
  tabs: TabsProps['items'];
  actions?: ReactNode;
  testId: string;
}) {
  return (
    <Card title={title} loading={loading} extra={actions} data-testid={testId}>
      <Descriptions column={{ xs: 1, md: 2, xxl: 3 }} size="small" bordered className="jy-desc-nowrap" items={info} />
      {tabs && tabs.length > 0 && <Tabs className="jy-panel-tabs" items={tabs} destroyOnHidden />}
    </Card>
  );
}

function RegisterButton({ query }: { query: Record<string, string | undefined> }) {
  const { t } = useI18n();
  const user = useUser();
  if (!access.writeResidents(user)) return null;
  const qs = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => !!e[1])).toString();
  return (
    <Link to={`/registry/residents/new${qs ? `?${qs}` : ''}`}>
      <Button type="primary" icon={<UserAddOutlined />} data-testid="register-resident">
        {t('reg.register')}
      </Button>
    </Link>
  );
}

function residentsTab(key: string, query: Parameters<typeof residentApi.list>[0], showAddress = true) {
  return {
    key: 'residents',
    label: <TabLabel k="reg.tab.residents" />,
    children: (
      <ResidentTable
        queryKey={['residents', key, query]}
        fetchPage={(cursor) => residentApi.list({ ...query, limit: 50, cursor })}
        showAddress={showAddress}
      />
    ),
  };
}

function TabLabel({ k }: { k: Parameters<ReturnType<typeof useI18n>['t']>[0] }) {
  const { t } = useI18n();
  return <span data-testid={`tab-${k.split('.').pop()}`}>{t(k)}</span>;
}

function JurisdictionPanel({ id, onOpen }: { id: string; onOpen: (key: string) => void }) {
  const { t } = useI18n();
  const user = useUser();
  const node = useQuery({ queryKey: ['jurisdiction', id], queryFn: () => jurisdictionApi.get(id) });
  const n = node.data;
  const placeLevel = n?.level === 'community' || n?.level === 'grid';
  const tabs: TabsProps['items'] = [];
  if (access.residents(user)) tabs.push(residentsTab('jurisdiction', { jurisdictionId: id }));
  if (placeLevel)
    tabs.push({
      key: 'buildings',
      label: <TabLabel k="reg.tab.buildings" />,
      children: <BuildingList query={{ jurisdictionId: id }} onOpen={onOpen} />,
    });
  if (access.organisations(user))
    tabs.push({ key: 'orgs', label: <TabLabel k="reg.tab.orgs" />, children: <OrgTable jurisdictionId={id} /> });
  return (
    <Shell
      testId="place-panel"
      loading={node.isPending}
      title={
        <Space>
          {n?.name}
          {n && <LevelTag level={n.level} />}
        </Space>
      }
      actions={placeLevel && <RegisterButton query={{ jurisdictionId: id }} />}
      info={
        n
          ? [
              { key: 'code', label: t('jur.code'), children: <Typography.Text copyable>{n.code}</Typography.Text> },
              { key: 'children', label: t('jur.childCount'), children: n.childCount },
            ]
          : []
      }
      tabs={tabs}
    />
  );
}

function BuildingList({
  query,
  onOpen,
}: {
  query: { jurisdictionId?: string; complexId?: string };
  onOpen: (key: string) => void;
}) {
  const { t } = useI18n();
  const list = useQuery({
    queryKey: ['buildings', query],
    queryFn: () => placeApi.buildings({ ...query, limit: 200 }),
  });
  return (
    <Table<TBuildingView>
      data-testid="building-table"
      rowKey="id"
      size="small"
      loading={list.isPending}
      dataSource={list.data?.items ?? []}
      pagination={(list.data?.items.length ?? 0) > 20 ? { pageSize: 20 } : false}
      onRow={(b) => ({ onClick: () => onOpen(`building:${b.id}`), className: 'jy-clickable' })}
      columns={[
        {
          title: t('reg.kind.building'),
          dataIndex: 'name',
          render: (v: string, b) => <Typography.Link>{`${b.complexName ?? ''}${v}`}</Typography.Link>,
        },
        { title: t('reg.grid'), key: 'grid', render: (_, b) => b.jurisdiction.name },
        { title: t('reg.floors'), dataIndex: 'floors', width: 80, render: (v: number | null) => v ?? '—' },
        { title: t('reg.address'), dataIndex: 'address', render: (v: string | null) => v ?? '—' },
      ]}
    />
  );
}

function ComplexPanel({ id, onOpen }: { id: string; onOpen: (key: string) => void }) {
  const { t } = useI18n();
  const c = useQuery({ queryKey: ['complex', id], queryFn: () => placeApi.complex(id) });
  return (
    <Shell
      testId="place-panel"
      loading={c.isPending}
      title={
        <Space>
          {c.data?.name}
          <Tag color="geekblue">{t('reg.kind.complex')}</Tag>
        </Space>
      }
      info={
        c.data
          ? [
              { key: 'j', label: t('reg.grid'), children: c.data.jurisdiction.name },
              { key: 'addr', label: t('reg.address'), children: c.data.address ?? '—' },
              { key: 'n', label: t('reg.buildingCount'), children: c.data.buildingCount },
            ]
          : []
      }
      tabs={[
        {
          key: 'buildings',
          label: <TabLabel k="reg.tab.buildings" />,
          children: <BuildingList query={{ complexId: id }} onOpen={onOpen} />,
        },
      ]}
    />
  );
}

function DwellingList({
  query,
  onOpen,
}: {
  query: { buildingId?: string; unitId?: string };
  onOpen: (key: string) => void;
}) {
  const { t } = useI18n();
  const { dwellingUseLabel } = useRegistryLabels();
  const list = useQuery({
    queryKey: ['dwellings', query],
    queryFn: () => placeApi.dwellings({ ...query, limit: 200 }),
  });
  return (
    <Table<TDwellingView>
      data-testid="dwelling-table"
      rowKey="id"
      size="small"
      loading={list.isPending}
      dataSource={list.data?.items ?? []}
      pagination={(list.data?.items.length ?? 0) > 20 ? { pageSize: 20 } : false}
      onRow={(d) => ({ onClick: () => onOpen(`dwelling:${d.id}`), className: 'jy-clickable' })}
      columns={[
        { title: t('reg.room'), dataIndex: 'number', render: (v: string) => <Typography.Link>{v}</Typography.Link> },
        { title: t('reg.floor'), dataIndex: 'floor', width: 80, render: (v: number | null) => v ?? '—' },
        { title: t('reg.area'), dataIndex: 'area', width: 100, render: (v: number | null) => (v ? `${v} m²` : '—') },
        { title: t('reg.use'), dataIndex: 'use', width: 100, render: (v: string) => dwellingUseLabel(v) },
      ]}
    />
  );
}

function BuildingPanel({ id, onOpen }: { id: string; onOpen: (key: string) => void }) {
  const { t } = useI18n();
  const user = useUser();
  const b = useQuery({ queryKey: ['building', id], queryFn: () => placeApi.building(id) });
  const heads = useQuery({
    queryKey: ['building', id, 'heads'],
    queryFn: () => placeApi.buildingHeads(id),
    meta: { silent: true },
  });
  const tabs: TabsProps['items'] = [];
  if (access.residents(user)) tabs.push(residentsTab('building', { buildingId: id }, false));
  tabs.push({
    key: 'dwellings',
    label: <TabLabel k="reg.tab.dwellings" />,
    children: <DwellingList query={{ buildingId: id }} onOpen={onOpen} />,
  });
  if (access.organisations(user))
    tabs.push({ key: 'orgs', label: <TabLabel k="reg.tab.orgs" />, children: <OrgTable buildingId={id} /> });
  const d = b.data;
  return (
    <Shell
      testId="place-panel"
      loading={b.isPending}
      title={
        <Space>
          {d ? `${d.complexName ?? ''}${d.name}` : ''}
          <Tag color="blue">{t('reg.kind.building')}</Tag>
        </Space>
      }
      info={
        d
          ? [
              { key: 'grid', label: t('reg.grid'), children: d.jurisdiction.name },
              { key: 'addr', label: t('reg.address'), children: d.address ?? '—' },
              { key: 'floors', label: t('reg.floors'), children: d.floors ?? '—' },
              {
                key: 'point',
                label: t('reg.point'),
                children: d.lng !== null && d.lat !== null ? `${d.lng.toFixed(5)}, ${d.lat.toFixed(5)}` : '—',
              },
              {
                key: 'heads',
                label: t('reg.buildingHeads'),
                children: heads.data?.items.length ? heads.data.items.map((h) => h.displayName).join('、') : '—',
              },
            ]
          : []
      }
      tabs={tabs}
    />
  );
}

function UnitPanel({ id, onOpen }: { id: string; onOpen: (key: string) => void }) {
  const { t } = useI18n();
  const u = useQuery({ queryKey: ['unit', id], queryFn: () => placeApi.unit(id) });
  return (
    <Shell
      testId="place-panel"
      loading={u.isPending}
      title={
        <Space>
          {u.data?.name}
          <Tag>{t('reg.kind.unit')}</Tag>
        </Space>
      }
      info={u.data ? [{ key: 'grid', label: t('reg.grid'), children: u.data.jurisdiction.name }] : []}
      tabs={[
        {
          key: 'dwellings',
          label: <TabLabel k="reg.tab.dwellings" />,
          children: <DwellingList query={{ unitId: id }} onOpen={onOpen} />,
        },
      ]}
    />
  );
}

function DwellingPanel({ id, onOpen }: { id: string; onOpen: (key: string) => void }) {
  const { t } = useI18n();
  const user = useUser();
  const { dwellingUseLabel } = useRegistryLabels();
  const d = useQuery({ queryKey: ['dwelling', id], queryFn: () => placeApi.dwelling(id) });
  const households = useQuery({
    queryKey: ['households', { dwellingId: id }],
    queryFn: () => householdApi.list({ dwellingId: id, limit: 200 }),
    enabled: access.residents(user),
  });
  const tabs: TabsProps['items'] = [];
  if (access.residents(user)) {
    tabs.push(residentsTab('dwelling', { dwellingId: id }, false));
    tabs.push({
      key: 'households',
      label: <TabLabel k="reg.tab.households" />,
      children: (
        <Table
          data-testid="household-table"
          rowKey="id"
          size="small"
          loading={households.isPending}
          dataSource={households.data?.items ?? []}
          pagination={false}
          onRow={(h) => ({ onClick: () => onOpen(`household:${h.id}`), className: 'jy-clickable' })}
          columns={[
            {
              title: t('reg.householdNumber'),
              dataIndex: 'number',
              render: (v: string) => <Typography.Link>{v}</Typography.Link>,
            },
            { title: t('reg.head'), dataIndex: 'headName', render: (v: string | null) => v ?? '—' },
            { title: t('reg.members'), dataIndex: 'memberCount', width: 90 },
          ]}
        />
      ),
    });
  }
  if (access.organisations(user) && d.data)
    tabs.push({
      key: 'orgs',
      label: <TabLabel k="reg.tab.orgs" />,
      children: <OrgTable buildingId={d.data.buildingId} dwellingId={id} />,
    });
  const v = d.data;
  return (
    <Shell
      testId="place-panel"
      loading={d.isPending}
      title={
        <Space>
          {v?.number}
          <Tag>{t('reg.kind.dwelling')}</Tag>
        </Space>
      }
      actions={v && <RegisterButton query={{ dwellingId: id }} />}
      info={
        v
          ? [
              { key: 'grid', label: t('reg.grid'), children: v.jurisdiction.name },
              { key: 'floor', label: t('reg.floor'), children: v.floor ?? '—' },
              { key: 'area', label: t('reg.area'), children: v.area ? `${v.area} m²` : '—' },
              { key: 'use', label: t('reg.use'), children: dwellingUseLabel(v.use) },
            ]
          : []
      }
      tabs={tabs}
    />
  );
}

function HouseholdPanel({ id }: { id: string }) {
  const { t } = useI18n();
  const h = useQuery({ queryKey: ['household', id], queryFn: () => householdApi.get(id) });
  const v = h.data;
  return (
    <Shell
      testId="place-panel"
      loading={h.isPending}
      title={
        <Space>
          {v ? t('reg.householdTitle', { number: v.number }) : ''}
          <Tag color="orange">{t('reg.kind.household')}</Tag>
        </Space>
      }
      actions={
        v && (
          <RegisterButton
            query={{
              householdId: id,
              dwellingId: v.dwellingId ?? undefined,
              jurisdictionId: v.dwellingId ? undefined : v.jurisdiction.id,
            }}
          />
        )
      }
      info={
        v
          ? [
              { key: 'addr', label: t('reg.address'), children: v.address ?? v.jurisdiction.name },
              { key: 'head', label: t('reg.head'), children: v.headName ?? '—' },
              { key: 'members', label: t('reg.members'), children: v.memberCount },
            ]
          : []
      }
      tabs={[residentsTab('household', { householdId: id }, false)]}
    />
  );
}
