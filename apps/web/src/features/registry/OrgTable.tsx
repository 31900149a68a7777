import type { TOrganisationView } from '@jiayuan/contracts';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { orgApi } from '../../api/endpoints.ts';
import { access } from '../../app/access.ts';
import { type MessageKey, useI18n } from '../../app/i18n.tsx';
import { useUser } from '../../app/session.tsx';
import { RevealButton } from './RevealButton.tsx';
import { useRegistryLabels } from './registryUi.tsx';

const flags: { key: 'isRental' | 'isCatering' | 'hasHazardous' | 'isCrowded'; label: MessageKey; colour: string }[] = [
  { key: 'isRental', label: 'reg.org.rental', colour: 'blue' },
  { key: 'isCatering', label: 'reg.org.catering', colour: 'orange' },
  { key: 'hasHazardous', label: 'reg.org.hazardous', colour: 'red' },
  { key: 'isCrowded', label: 'reg.org.crowded', colour: 'purple' },
];

/** The organisations (实有单位) at a place: in a jurisdiction subtree, or at a building (optionally one dwelling). */
export function OrgTable({
  jurisdictionId,
  buildingId,
  dwellingId,
}: {
  jurisdictionId?: string;
  buildingId?: string;
  dwellingId?: string;
}) {
  const { t } = useI18n();
  const user = useUser();
  const { orgCategoryLabel } = useRegistryLabels();
  const list = useInfiniteQuery({
    queryKey: ['organisations', { jurisdictionId, buildingId }],
    queryFn: ({ pageParam }) => orgApi.list({ jurisdictionId, buildingId, limit: 100, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = (list.data?.pages.flatMap((p) => p.items) ?? []).filter(
    (o) => !dwellingId || o.dwellingId === dwellingId,
  );
  const canReveal = access.reveal(user);

  const columns: ColumnsType<TOrganisationView> = [
    {
      title: t('reg.org.name'),
      dataIndex: 'name',
      width: 200,
      render: (v: string, o) => (
        <span>
          {v}
          {o.status === 'closed' && (
            <Tag style={{ marginInlineStart: 6 }} className="jy-retired-tag">
              {t('reg.org.closed')}
            </Tag>
          )}
        </span>
      ),
    },
    { title: t('reg.org.category'), dataIndex: 'category', width: 140, render: (v: string) => orgCategoryLabel(v) },
    {
      title: t('reg.org.uscc'),
      dataIndex: 'uscc',
      width: 180,
      render: (v: string | null) => <span className="jy-mono">{v ?? '—'}</span>,
    },
    { title: t('reg.address'), dataIndex: 'address', width: 180, render: (v: string | null) => v ?? '—' },
    {
      title: t('reg.org.contact'),
      key: 'contact',
      width: 220,
      render: (_, o) =>
        o.contactName || o.contactPhone ? (
          <span className="jy-nowrap">
            {o.contactName ?? ''} <span className="jy-mono">{o.contactPhone ?? ''}</span>
            {canReveal && o.contactPhone && (
              <RevealButton
                label={t('reg.org.contactPhone')}
                reveal={(reason) => orgApi.reveal(o.id, reason)}
                testId="org-reveal"
              />
            )}
          </span>
        ) : (
          '—'
        ),
    },
    { title: t('reg.org.employees'), dataIndex: 'employees', width: 80, render: (v: number | null) => v ?? '—' },
    {
      title: t('reg.org.flags'),
      key: 'flags',
      width: 200,
      render: (_, o) => (
        <span className="jy-tags">
          {flags
            .filter((f) => o[f.key])
            .map((f) => (
              <Tag key={f.key} color={f.colour}>
                {t(f.label)}
              </Tag>
            ))}
        </span>
      ),
    },
  ];

  return (
    <>
      <Table<TOrganisationView>
        data-testid="org-table"
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={list.isFetching && !list.isFetchingNextPage}
        pagination={false}
        scroll={{ x: 1100 }}
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
