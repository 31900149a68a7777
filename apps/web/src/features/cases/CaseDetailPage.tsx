import { ArrowLeftOutlined, FilePdfOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { type CaseState, caseActions, caseStateLabels, type TCaseDetail } from '@jiayuan/contracts';
import { useQuery } from '@tanstack/react-query';
import {
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Image,
  Result,
  Row,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
  Upload,
} from 'antd';
import dayjs from 'dayjs';
import { lazy, Suspense, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/client.ts';
import { type CaseEvent, caseApi } from '../../api/endpoints.ts';
import { type MessageKey, useI18n } from '../../app/i18n.tsx';
import { showError, showSuccess } from '../../app/notify.ts';
import { actionKey, CaseActionBar, useRefreshCases } from './CaseActions.tsx';
import { categoryPath, DeadlineTag, duration, SourceLabel, StateTag, UrgencyTag } from './caseUi.tsx';
import { useCategories } from './useCategories.ts';

const MiniMap = lazy(() => import('../map/MiniMap.tsx'));

const fmt = (v: string | null) => (v ? dayjs(v).format('YYYY-MM-DD HH:mm') : '—');

export default function CaseDetailPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const navigate = useNavigate();
  const c = useQuery({
    queryKey: ['cases', 'detail', id],
    queryFn: () => caseApi.get(id),
    meta: { silent: true },
    staleTime: 0,
  });
  if (c.isError) {
    const notFound = isApiError(c.error) && c.error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'warning'}
        title={notFound ? t('case.notFound') : t('common.loadFailed')}
        subTitle={c.error instanceof Error ? c.error.message : undefined}
        extra={<Button onClick={() => navigate('/cases')}>{t('case.backToList')}</Button>}
      />
    );
  }
  if (!c.data)
    return (
      <div className="jy-page-spin">
        <Spin />
      </div>
    );
  return <CaseDetail detail={c.data} refetch={() => void c.refetch()} fetching={c.isFetching} />;
}

function CaseDetail({ detail: d, refetch, fetching }: { detail: TCaseDetail; refetch: () => void; fetching: boolean }) {
  const { t, pick } = useI18n();
  const navigate = useNavigate();
  const categories = useCategories();
  const fields = (categories.data?.items.find((x) => x.id === d.categoryId)?.extraFields ?? []) as {
    key: string;
    label: string;
  }[];
  const extras = Object.entries(d.extra);

  return (
    <div className="jy-page" data-testid="case-detail-page">
      <div className="jy-page-head">
        <Space wrap>
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} aria-label={t('common.back')} />
          <Typography.Title level={4} className="jy-page-title" style={{ marginBottom: 0 }}>
            <span className="jy-mono" data-testid="case-number">
              {d.number}
            </span>{' '}
            {d.title}
          </Typography.Title>
          <StateTag state={d.state} />
          <UrgencyTag urgency={d.urgency} />
          <DeadlineTag deadline={d.deadline} expectedAt={d.expectedAt} state={d.state} />
        </Space>
        <Button icon={<ReloadOutlined />} loading={fetching} onClick={refetch} aria-label={t('common.refresh')} />
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Card title={t('case.actions')} className="jy-case-actions" size="small">
            <CaseActionBar detail={d} />
            {d.mergedInto && (
              <Typography.Paragraph style={{ marginTop: 8, marginBottom: 0 }}>
                {t('case.mergedInto')} <Link to={`/cases/${d.mergedInto}`}>{t('case.openMerged')}</Link>
              </Typography.Paragraph>
            )}
          </Card>
          <Card style={{ marginTop: 16 }} data-testid="case-info">
            <Descriptions
              bordered
              size="small"
              className="jy-desc-nowrap"
              column={{ xs: 1, md: 2 }}
              items={[
                {
                  key: 'cat',
                  label: t('case.category'),
                  children: categoryPath(categories.data?.items, d.categoryId) ?? d.categoryName,
                },
                { key: 'src', label: t('case.source'), children: <SourceLabel source={d.source} /> },
                {
                  key: 'desc',
                  label: t('case.description'),
                  span: 'filled',
                  children: <div className="jy-pre">{d.description}</div>,
                },
                { key: 'addr', label: t('case.address'), children: d.address ?? '—' },
                { key: 'where', label: t('case.jurisdiction'), children: d.jurisdictionName },
                {
                  key: 'reporter',
                  label: t('case.reporter'),
                  children: d.reporter ? `${d.reporter.name ?? ''} ${d.reporter.phone ?? ''}`.trim() || '—' : '—',
                },
                { key: 'assignee', label: t('case.assignee'), children: d.assigneeName ?? '—' },
                {
                  key: 'limit',
                  label: t('case.timeLimit'),
                  children: `${duration(d.timeLimitMinutes, t)} · ${t(d.clock === 'working' ? 'case.clock.working' : 'case.clock.natural')}`,
                },
                { key: 'expected', label: t('case.expected'), children: fmt(d.expectedAt) },
                { key: 'created', label: t('case.createdAt'), children: fmt(d.createdAt) },
                { key: 'dispatched', label: t('case.dispatchedAt'), children: fmt(d.dispatchedAt) },
                { key: 'handled', label: t('case.handledAt'), children: fmt(d.handledAt) },
                { key: 'closed', label: t('case.closedAt'), children: fmt(d.closedAt) },
                ...(d.rating
                  ? [{ key: 'rating', label: t('case.input.rating'), children: t(`case.rating.${d.rating}`) }]
                  : []),
                ...extras.map(([k, v]) => ({
                  key: `x-${k}`,
                  label: fields.find((f) => f.key === k)?.label ?? k,
                  children: Array.isArray(v) ? v.join('、') : String(v),
                })),
              ]}
            />
          </Card>
          <Attachments detail={d} />
        </Col>
        <Col xs={24} xl={9}>
          {d.lng !== null && d.lat !== null && (
            <Card
              title={t('case.location')}
              size="small"
              styles={{ body: { padding: 0 } }}
              style={{ marginBottom: 16 }}
            >
              <Suspense fallback={<div className="jy-minimap" style={{ height: 240 }} />}>
                <MiniMap point={{ lng: d.lng, lat: d.lat }} height={240} testId="case-map" />
              </Suspense>
            </Card>
          )}
          <Card title={t('case.timeline')} data-testid="case-timeline">
            <Timeline items={d.timeline.map((e) => timelineItem(e, t, pick))} />
          </Card>
        </Col>
      </Row>
    </div>
  );
}

const eventKeys: Record<string, MessageKey> = {
  report: 'case.event.report',
  attachment: 'case.event.attachment',
  merged_from: 'case.event.mergedFrom',
  'deadline.warning': 'case.event.warning',
  'deadline.overdue': 'case.event.overdue',
  'deadline.escalated': 'case.event.escalated',
  'open311.update': 'case.event.open311',
};

function timelineItem(
  e: CaseEvent,
  t: (k: MessageKey, v?: Record<string, string | number>) => string,
  pick: (l: { zh: string; en: string }) => string,
) {
  const details = (e.details ?? {}) as Record<string, unknown>;
  const extra: string[] = [];
  if (typeof details.reason === 'string') extra.push(`${t('case.input.reason')}：${details.reason}`);
  if (typeof details.assigneeName === 'string') extra.push(`${t('case.assignee')}：${details.assigneeName}`);
  if (typeof details.checkResult === 'string') extra.push(`${t('case.input.checkResult')}：${details.checkResult}`);
  if (typeof details.rating === 'string')
    extra.push(`${t('case.input.rating')}：${t(`case.rating.${details.rating}` as MessageKey)}`);
  if (typeof details.intoNumber === 'string') extra.push(t('case.timeline.mergedInto', { number: details.intoNumber }));
  if (typeof details.fromNumber === 'string') extra.push(t('case.timeline.mergedFrom', { number: details.fromNumber }));
  const colour =
    e.action === 'close'
      ? 'green'
      : ['discard', 'rework', 'deadline.overdue', 'deadline.escalated'].includes(e.action)
        ? 'red'
        : e.action === 'deadline.warning'
          ? 'orange'
          : e.action === 'attachment'
            ? 'gray'
            : 'blue';
  const label = eventKeys[e.action]
    ? t(eventKeys[e.action] as MessageKey)
    : (caseActions as readonly string[]).includes(e.action)
      ? t(actionKey(e.action))
      : e.action;
  return {
    color: colour,
    content: (
      <div className="jy-tl" data-testid="timeline-item" data-action={e.action}>
        <div>
          <Typography.Text strong>{label}</Typography.Text>
          {e.to && e.from !== e.to && e.to in caseStateLabels && (
            <Tag style={{ marginInlineStart: 8 }}>{pick(caseStateLabels[e.to as CaseState])}</Tag>
          )}
        </div>
        <Typography.Text type="secondary" className="jy-hint">
          {dayjs(e.at).format('YYYY-MM-DD HH:mm')} · {e.actorName ?? t('audit.anonymous')}
        </Typography.Text>
        {e.note && <div className="jy-pre">{e.note}</div>}
        {extra.map((x) => (
          <div key={x} className="jy-hint">
            {x}
          </div>
        ))}
      </div>
    ),
  };
}

function Attachments({ detail: d }: { detail: TCaseDetail }) {
  const { t } = useI18n();
  const refresh = useRefreshCases();
  const [uploading, setUploading] = useState(0);
  const finished = d.state === 'closed' || d.state === 'discarded';
  const images = d.attachments.filter((a) => a.mime.startsWith('image/'));
  const files = d.attachments.filter((a) => !a.mime.startsWith('image/'));
  return (
    <Card
      title={t('case.attachments')}
      style={{ marginTop: 16 }}
      data-testid="case-attachments"
      extra={
        !finished && (
          <Upload
            accept="image/jpeg,image/png,application/pdf"
            multiple
            showUploadList={false}
            beforeUpload={(file) => {
              if (file.size > 10 * 1024 * 1024) {
                showError(new Error(t('case.uploadTooLarge')));
                return Upload.LIST_IGNORE;
              }
              return true;
            }}
            customRequest={async ({ file, onSuccess, onError }) => {
              setUploading((n) => n + 1);
              try {
                const a = await caseApi.upload(d.id, file as Blob, (file as File).name);
                showSuccess(t('case.uploaded'));
                await refresh();
                onSuccess?.(a);
              } catch (e) {
                // the server checks type (by content) and size and says why it refuses
                showError(e);
                onError?.(e as Error);
              } finally {
                setUploading((n) => n - 1);
              }
            }}
          >
            <Button icon={<UploadOutlined />} loading={uploading > 0} data-testid="case-upload">
              {t('case.upload')}
            </Button>
          </Upload>
        )
      }
    >
      {d.attachments.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('case.noAttachments')} />
      ) : (
        <>
          <Image.PreviewGroup>
            <Space wrap size="middle">
              {images.map((a) => (
                <div key={a.id} className="jy-photo">
                  <Image
                    src={caseApi.attachmentUrl(d.id, a.id)}
                    width={120}
                    height={90}
                    style={{ objectFit: 'cover' }}
                    data-testid="case-photo"
                  />
                  <div className="jy-hint jy-muted">
                    {t(`case.attachment.${a.kind}`)} · {Math.ceil(a.sizeBytes / 1024)} KB
                  </div>
                </div>
              ))}
            </Space>
          </Image.PreviewGroup>
          {files.map((a) => (
            <div key={a.id} style={{ marginTop: 8 }}>
              <a href={caseApi.attachmentUrl(d.id, a.id)} download>
                <FilePdfOutlined /> {t(`case.attachment.${a.kind}`)} · {Math.ceil(a.sizeBytes / 1024)} KB ·{' '}
                {dayjs(a.createdAt).format('MM-DD HH:mm')}
              </a>
            </div>
          ))}
        </>
      )}
      <Typography.Paragraph type="secondary" className="jy-hint" style={{ marginTop: 12, marginBottom: 0 }}>
        {t('case.uploadHint')}
      </Typography.Paragraph>
    </Card>
  );
}
