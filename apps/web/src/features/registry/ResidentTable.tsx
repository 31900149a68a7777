import type { TResidentView } from '@jiayuan/contracts';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';
import type { Page } from '../../api/endpoints.ts';
import { useI18n } from '../../app/i18n.tsx';
import { CareTagList, ResidenceTag, useRegistryLabels } from './registryUi.tsx';

/** Residents as a table (always masked), loaded page by page; a row opens the resident. */
export function ResidentTable<R extends TResidentView>({
  queryKey,
  fetchPage,
  extraColumns = [],
  testId = 'resident-table',
  empty,
  showAddress = true,
}: {
  queryKey: readonly unknown[];
  fetchPage: (cursor: string | undefined) => Promise<Page<R>>;
  extraColumns?: ColumnsType<R>;
  testId?: string;
  empty?: ReactNode;
  /** Off where every row is at the same place (a building, a dwelling, a household). */
  showAddress?: boolean;
}) {
  const { t } = useI18n();
  const { sexLabel, relationLabel } = useRegistryLabels();
  const navigate = useNavigate();
  const list = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const showCare = rows.some((r) => r.careTags !== null);

  const columns: ColumnsType<R> = [
    {
      title: t('reg.field.name'),
      dataIndex: 'name',
      width: 110,
      fixed: 'left',
      render: (v: string, r) => (
        <span className="jy-nowrap">
          <Typography.Link data-testid="resident-link">{v}</Typography.Link>
          {r.status === 'ended' && (
            <Tag style={{ marginInlineStart: 6 }} className="jy-retired-tag">
              {t('reg.status.ended')}
            </Tag>
          )}
        </span>
      ),
    },
    {
      title: `${t('reg.field.sex')}/${t('reg.age')}`,
      key: 'sexAge',
      width: 90,
      render: (_, r) => `${sexLabel(r.sex)} / ${r.age ?? '—'}`,
    },
    {
      title: t('reg.field.idNumber'),
      dataIndex: 'idNumber',
      width: 180,
      render: (v: string) => <span className="jy-mono">{v}</span>,
    },
    {
      title: t('reg.field.phone'),
      dataIndex: 'phone',
      width: 120,
      render: (v: string | null) => <span className="jy-mono">{v ?? '—'}</span>,
    },
    {
      title: t('reg.field.residenceType'),
      dataIndex: 'residenceType',
      width: 100,
      render: (v: TResidentView['residenceType']) => <ResidenceTag type={v} />,
    },
    {
      title: t('reg.field.relation'),
      dataIndex: 'relationToHead',
      width: 110,
      render: (v: string | null) => relationLabel(v),
    },
    ...(showAddress
      ? [
          {
            title: t('reg.address'),
            dataIndex: 'address',
            width: 200,
            render: (v: string | null, r: R) => v ?? r.jurisdiction.name,
          },
        ]
      : []),
    ...(showCare
      ? [
          {
            title: t('reg.field.careTags'),
            dataIndex: 'careTags',
            width: 200,
            render: (v: TResidentView['careTags']) => (v && v.length > 0 ? <CareTagList tags={v} /> : '—'),
          },
        ]
      : []),
    ...extraColumns,
  ];

  return (
    <>
      <Table<R>
        data-testid={testId}
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={list.isFetching && !list.isFetchingNextPage}
        pagination={false}
        scroll={{ x: showAddress ? 1000 : 760 }}
        locale={empty ? { emptyText: empty } : undefined}
        onRow={(r) => ({ onClick: () => navigate(`/registry/residents/${r.id}`), className: 'jy-clickable' })}
      />
      {list.hasNextPage && (
        <div className="jy-load-more">
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('audit.loadMore')}
          </Button>
        </div>
      )}
    </>
  );
}
