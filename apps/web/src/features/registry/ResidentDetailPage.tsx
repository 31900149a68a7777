import { ArrowLeftOutlined, EditOutlined, StopOutlined } from '@ant-design/icons';
import { type EndReason, endReasonLabels, endReasons } from '@jiayuan/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Modal,
  Result,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/client.ts';
import { type HistoryEntry, residentApi } from '../../api/endpoints.ts';
import { access } from '../../app/access.ts';
import { useI18n } from '../../app/i18n.tsx';
import { showSuccess } from '../../app/notify.ts';
import { useUser } from '../../app/session.tsx';
import { RevealButton } from './RevealButton.tsx';
import { CareTagList, ResidenceTag, useRegistryLabels } from './registryUi.tsx';

const day = (v: string | null) => (v ? dayjs(v).format('YYYY-MM-DD') : '—');

export default function ResidentDetailPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const user = useUser();
  const navigate = useNavigate();
  const labels = useRegistryLabels();
  const [ending, setEnding] = useState(false);
  const resident = useQuery({
    queryKey: ['resident', id],
    queryFn: () => residentApi.get(id),
    meta: { silent: true },
    staleTime: 0,
  });
  const history = useQuery({ queryKey: ['resident', id, 'history'], queryFn: () => residentApi.history(id) });

  if (resident.isError) {
    const notFound = isApiError(resident.error) && resident.error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'warning'}
        title={notFound ? t('reg.notFound') : t('common.loadFailed')}
        subTitle={resident.error instanceof Error ? resident.error.message : undefined}
        extra={<Button onClick={() => navigate('/registry')}>{t('reg.backToRegistry')}</Button>}
      />
    );
  }
  const r = resident.data;
  const active = r?.status === 'active';
  const canWrite = access.writeResidents(user) && active;
  const canReveal = access.reveal(user);

  return (
    <div className="jy-page" data-testid="resident-page">
      <div className="jy-page-head">
        <Space>
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} aria-label={t('common.back')} />
          <Typography.Title level={4} className="jy-page-title" style={{ marginBottom: 0 }}>
            {t('reg.residentTitle')} {r ? `· ${r.name}` : ''}
          </Typography.Title>
          {r && !active && <Tag>{t('reg.status.ended')}</Tag>}
        </Space>
        {r && canWrite && (
          <Space wrap>
            <Link to={`/registry/residents/${id}/edit`}>
              <Button type="primary" icon={<EditOutlined />} data-testid="resident-edit">
                {t('reg.edit')}
              </Button>
            </Link>
            <Button danger icon={<StopOutlined />} onClick={() => setEnding(true)} data-testid="resident-end">
              {t('reg.end')}
            </Button>
          </Space>
        )}
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} xxl={14}>
          <Card loading={resident.isPending} data-testid="resident-detail">
            {r && (
              <>
                {!active && (
                  <Alert
                    type="info"
                    showIcon
                    style={{ marginBottom: 16 }}
                    title={t('reg.endedInfo', { reason: labels.endReasonLabel(r.endReason), date: day(r.endedOn) })}
                  />
                )}
                <Descriptions
                  bordered
                  size="small"
                  className="jy-desc-nowrap"
                  column={{ xs: 1, md: 2 }}
                  items={[
                    { key: 'name', label: t('reg.field.name'), children: r.name },
                    {
                      key: 'sex',
                      label: `${t('reg.field.sex')} / ${t('reg.age')}`,
                      children: `${labels.sexLabel(r.sex)} / ${r.age ?? '—'}`,
                    },
                    { key: 'idType', label: t('reg.field.idType'), children: labels.idTypeLabel(r.idType) },
                    {
                      key: 'idNumber',
                      label: t('reg.field.idNumber'),
                      children: (
                        <span className="jy-nowrap">
                          <span className="jy-mono" data-testid="detail-id-number">
                            {r.idNumber}
                          </span>
                          {canReveal && (
                            <RevealButton
                              label={t('reg.field.idNumber')}
                              reveal={(reason) => residentApi.reveal(id, 'idNumber', reason)}
                              testId="reveal-idNumber"
                            />
                          )}
                        </span>
                      ),
                    },
                    {
                      key: 'phone',
                      label: t('reg.field.phone'),
                      children: r.phone ? (
                        <span className="jy-nowrap">
                          <span className="jy-mono" data-testid="detail-phone">
                            {r.phone}
                          </span>
                          {canReveal && (
                            <RevealButton
                              label={t('reg.field.phone')}
                              reveal={(reason) => residentApi.reveal(id, 'phone', reason)}
                              testId="reveal-phone"
                            />
                          )}
                        </span>
                      ) : (
                        '—'
                      ),
                    },
                    {
                      key: 'type',
                      label: t('reg.field.residenceType'),
                      children: <ResidenceTag type={r.residenceType} />,
                    },
                    {
                      key: 'household',
                      label: t('reg.field.household'),
                      children: r.householdId ? (
                        <Link to={`/registry?sel=household:${r.householdId}`}>
                          {labels.relationLabel(r.relationToHead)}
                        </Link>
                      ) : (
                        '—'
                      ),
                    },
                    {
                      key: 'address',
                      label: t('reg.address'),
                      children: r.dwellingId ? (
                        <Link to={`/registry?sel=dwelling:${r.dwellingId}`}>{r.address ?? '—'}</Link>
                      ) : (
                        (r.address ?? '—')
                      ),
                    },
                    {
                      key: 'jur',
                      label: t('reg.field.jurisdiction'),
                      children: (
                        <Link to={`/registry?sel=jurisdiction:${r.jurisdiction.id}`}>{r.jurisdiction.name}</Link>
                      ),
                    },
                    { key: 'reg', label: t('reg.field.registeredPlace'), children: r.registeredPlace ?? '—' },
                    { key: 'arr', label: t('reg.field.arrivedOn'), children: day(r.arrivedOn) },
                    { key: 'leave', label: t('reg.field.expectedLeaveOn'), children: day(r.expectedLeaveOn) },
                    {
                      key: 'rr',
                      label: t('reg.field.residenceRegisteredOn'),
                      children: day(r.residenceRegisteredOn),
                    },
                    {
                      key: 'sep',
                      label: t('reg.field.separated'),
                      children: r.separated ? t('common.yes') : t('common.no'),
                    },
                    // Care tags only when the API sends them: null means this role may not see them.
                    ...(r.careTags !== null
                      ? [
                          {
                            key: 'care',
                            label: t('reg.field.careTags'),
                            span: 'filled' as const,
                            children: <CareTagList tags={r.careTags} />,
                          },
                        ]
                      : []),
                    { key: 'note', label: t('reg.field.note'), span: 'filled' as const, children: r.note ?? '—' },
                    {
                      key: 'updated',
                      label: t('reg.updatedAt'),
                      children: dayjs(r.updatedAt).format('YYYY-MM-DD HH:mm'),
                    },
                  ]}
                />
                <Typography.Paragraph type="secondary" className="jy-hint" style={{ marginTop: 12, marginBottom: 0 }}>
                  {canReveal ? t('reg.maskedHintReveal') : t('reg.maskedHint')}
                </Typography.Paragraph>
              </>
            )}
          </Card>
        </Col>
        <Col xs={24} xxl={10}>
          <Card title={t('reg.history')} data-testid="resident-history">
            <Table<HistoryEntry>
              rowKey="id"
              size="small"
              loading={history.isPending}
              dataSource={history.data?.items ?? []}
              pagination={(history.data?.items.length ?? 0) > 15 ? { pageSize: 15 } : false}
              scroll={{ x: 560 }}
              columns={[
                {
                  title: t('reg.history.when'),
                  dataIndex: 'at',
                  width: 140,
                  render: (v: string) => <span className="jy-nowrap">{dayjs(v).format('YYYY-MM-DD HH:mm')}</span>,
                },
                {
                  title: t('reg.history.who'),
                  dataIndex: 'actorName',
                  width: 120,
                  render: (v: string | null) => v ?? t('audit.anonymous'),
                },
                {
                  title: t('reg.history.field'),
                  dataIndex: 'field',
                  width: 110,
                  render: (v: string) => labels.fieldLabel(v),
                },
                {
                  title: t('reg.history.change'),
                  key: 'change',
                  render: (_, h) => (
                    <span className="jy-change">
                      <span className="jy-before">{labels.historyValue(h.field, h.before)}</span>
                      <span className="jy-arrow">→</span>
                      <span className="jy-after">{labels.historyValue(h.field, h.after)}</span>
                    </span>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
      {ending && r && <EndDialog id={id} onClose={() => setEnding(false)} />}
    </div>
  );
}

function EndDialog({ id, onClose }: { id: string; onClose: () => void }) {
  const { t, pick } = useI18n();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ reason: EndReason; date: Dayjs; note?: string }>();
  const end = useMutation({
    mutationFn: (v: { reason: EndReason; date: Dayjs; note?: string }) =>
      residentApi.end(id, { reason: v.reason, date: v.date.format('YYYY-MM-DD'), note: v.note?.trim() || undefined }),
    onSuccess: async () => {
      showSuccess(t('common.saved'));
      onClose();
      await qc.invalidateQueries({ queryKey: ['resident', id] });
      await qc.invalidateQueries({ queryKey: ['residents'] });
    },
  });
  return (
    <Modal
      open
      title={t('reg.end')}
      okText={t('reg.end')}
      okButtonProps={{ danger: true }}
      onOk={() => form.submit()}
      confirmLoading={end.isPending}
      onCancel={onClose}
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={t('reg.endWarning')} style={{ marginBottom: 16 }} />
      <Form
        form={form}
        layout="vertical"
        name="resident-end"
        initialValues={{ date: dayjs() }}
        onFinish={(v) => end.mutate(v)}
      >
        <Form.Item
          name="reason"
          label={t('reg.field.endReason')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <Select
            options={endReasons.map((r) => ({ value: r, label: pick(endReasonLabels[r]) }))}
            data-testid="end-reason"
          />
        </Form.Item>
        <Form.Item name="date" label={t('reg.field.endedOn')} rules={[{ required: true, message: t('form.required') }]}>
          <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="note" label={t('reg.field.note')} rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
