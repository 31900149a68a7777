import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Descriptions, Empty, Result, Row, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { lazy, Suspense, useMemo } from 'react';
import { useNavigate, useParams } from 'react-router';
import { fieldworkApi } from '../../api/endpoints.ts';
import { useI18n } from '../../app/i18n.tsx';
import { useUser } from '../../app/session.tsx';
import { duration } from '../cases/caseUi.tsx';
import { JurisdictionName } from './JurisdictionName.tsx';

const MiniMap = lazy(() => import('../map/MiniMap.tsx'));

/** One patrol: when, where, what was found, and its route drawn on the map (start green, end red). */
export default function PatrolDetailPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const me = useUser();
  const navigate = useNavigate();
  const patrol = useQuery({
    queryKey: ['patrols', id],
    queryFn: () => fieldworkApi.patrol(id),
    meta: { silent: true },
  });
  const route = useMemo(() => patrol.data?.route ?? [], [patrol.data]);
  if (patrol.isError) return <Result status="404" title={t('field.notFound')} />;
  const p = patrol.data;
  return (
    <div className="jy-page" data-testid="patrol-page">
      <div className="jy-page-head">
        <Space>
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} aria-label={t('common.back')} />
          <Typography.Title level={4} className="jy-page-title" style={{ marginBottom: 0 }}>
            {t('field.patrol')} {p ? dayjs(p.startedAt).format('YYYY-MM-DD HH:mm') : ''}
          </Typography.Title>
          {p && !p.endedAt && <Tag color="processing">{t('field.ongoing')}</Tag>}
        </Space>
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Card title={t('field.route')} styles={{ body: { padding: 0 } }}>
            {route.length > 0 ? (
              <Suspense fallback={<div className="jy-minimap" style={{ height: 480 }} />}>
                <MiniMap route={route} height={480} testId="patrol-map" />
              </Suspense>
            ) : (
              <Empty style={{ padding: 48 }} description={t('field.noRoute')} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Card loading={patrol.isPending}>
            {p && (
              <Descriptions
                column={1}
                size="small"
                bordered
                items={[
                  {
                    key: 'who',
                    label: t('field.who'),
                    children: p.userId === me.id ? t('field.me') : p.userId.slice(0, 8),
                  },
                  { key: 'where', label: t('field.where'), children: <JurisdictionName id={p.jurisdictionId} /> },
                  {
                    key: 'start',
                    label: t('field.startedAt'),
                    children: dayjs(p.startedAt).format('YYYY-MM-DD HH:mm'),
                  },
                  {
                    key: 'end',
                    label: t('field.endedAt'),
                    children: p.endedAt ? dayjs(p.endedAt).format('YYYY-MM-DD HH:mm') : '—',
                  },
                  {
                    key: 'dur',
                    label: t('field.duration'),
                    children: p.endedAt ? duration(dayjs(p.endedAt).diff(dayjs(p.startedAt), 'minute'), t) : '—',
                  },
                  { key: 'points', label: t('field.points'), children: p.pointCount },
                  {
                    key: 'dist',
                    label: t('field.distance'),
                    children:
                      p.distanceM >= 1000 ? `${(p.distanceM / 1000).toFixed(2)} km` : `${Math.round(p.distanceM)} m`,
                  },
                  { key: 'n', label: t('field.findingCount'), children: p.findingCount },
                  { key: 'f', label: t('field.findings'), children: <div className="jy-pre">{p.findings ?? '—'}</div> },
                ]}
              />
            )}
          </Card>
          {route.length > 0 && (
            <Card title={t('field.points')} style={{ marginTop: 16 }} size="small">
              <Table
                rowKey={(r) => r.at}
                size="small"
                dataSource={route}
                pagination={route.length > 10 ? { pageSize: 10, size: 'small' } : false}
                columns={[
                  { title: t('field.time'), dataIndex: 'at', render: (v: string) => dayjs(v).format('HH:mm:ss') },
                  { title: t('case.intake.lng'), dataIndex: 'lng', render: (v: number) => v.toFixed(5) },
                  { title: t('case.intake.lat'), dataIndex: 'lat', render: (v: number) => v.toFixed(5) },
                ]}
              />
            </Card>
          )}
        </Col>
      </Row>
    </div>
  );
}
