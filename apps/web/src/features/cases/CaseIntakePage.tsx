import { AimOutlined, CheckCircleOutlined, MergeCellsOutlined } from '@ant-design/icons';
import {
  type CaseSource,
  type CaseUrgency,
  caseStateLabels,
  caseUrgencies,
  type Role,
  type TCategory,
  type TCreateCase,
  type TExtraField,
} from '@jiayuan/contracts';
import { useMutation, useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Cascader,
  Col,
  DatePicker,
  Divider,
  Form,
  Input,
  InputNumber,
  List,
  Radio,
  Result,
  Row,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { lazy, Suspense, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { type CreateCaseResponse, caseApi, gridApi, type PossibleDuplicate } from '../../api/endpoints.ts';
import { useI18n } from '../../app/i18n.tsx';
import { showSuccess } from '../../app/notify.ts';
import { useUser } from '../../app/session.tsx';
import { JurisdictionPicker } from '../jurisdictions/JurisdictionPicker.tsx';
import { useRefreshCases } from './CaseActions.tsx';
import { categoryTree } from './caseUi.tsx';
import { useCategories } from './useCategories.ts';

const MiniMap = lazy(() => import('../map/MiniMap.tsx'));

type IntakeSource = Exclude<CaseSource, 'open311' | 'resident'>;
/** Who may report from which source (the server's rule, cases.service.ts sourceRoles). */
const sourceRoles: Record<IntakeSource, Role[]> = {
  hotline: ['front_desk', 'community_worker', 'community_leader'],
  grid_manager: ['grid_manager'],
  building_head: ['building_head'],
  referral: ['street_staff', 'community_leader'],
};

type Values = {
  source: IntakeSource;
  category?: string[];
  urgency?: CaseUrgency | 'default';
  title?: string;
  description: string;
  address?: string;
  lng?: number | null;
  lat?: number | null;
  jurisdictionId?: string;
  callerName?: string;
  callerPhone?: string;
  extra?: Record<string, unknown>;
};

/** An Idempotency-Key: random, visible ASCII; crypto.getRandomValues works outside secure contexts too. */
const newKey = () => {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return `intake-${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
};

/** 事件登记 (the hotline desk first): one Idempotency-Key per form, so a double click never files two cases. */
export default function CaseIntakePage() {
  const { t } = useI18n();
  const user = useUser();
  const [form] = Form.useForm<Values>();
  const [key, setKey] = useState(newKey);
  const [created, setCreated] = useState<CreateCaseResponse | null>(null);
  const categories = useCategories();
  const refresh = useRefreshCases();
  const sources = (Object.keys(sourceRoles) as IntakeSource[]).filter((s) =>
    user.roles.some((r) => sourceRoles[s].includes(r)),
  );
  const source = Form.useWatch('source', form) ?? sources[0];
  const picked = Form.useWatch('category', form);
  const lng = Form.useWatch('lng', form);
  const lat = Form.useWatch('lat', form);
  const point = typeof lng === 'number' && typeof lat === 'number' ? { lng, lat } : null;
  const sub = useMemo(
    () => (picked?.length === 2 ? categories.data?.items.find((c) => c.id === picked[1]) : undefined),
    [picked, categories.data],
  );
  const located = useQuery({
    queryKey: ['grids', 'locate', point?.lng, point?.lat],
    queryFn: () => gridApi.locate(point?.lng ?? 0, point?.lat ?? 0),
    enabled: !!point,
    meta: { silent: true },
  });

  const submit = useMutation({
    mutationFn: async (v: Values) => {
      const body = bodyFrom(v, sub);
      // Ask for the point's grid right before filing: it shows where the case goes, and it keeps the server's grid
      // index fresh, which the embedded database (PGlite) otherwise reloads inside the intake's transaction and
      // deadlocks on (reported; remove when the server locates outside the transaction).
      if (body.lng !== undefined && body.lat !== undefined) await gridApi.locate(body.lng, body.lat).catch(() => null);
      return caseApi.create(body, key);
    },
    onSuccess: async (r) => {
      setCreated(r);
      showSuccess(t('case.intake.created', { number: r.case.number }));
      await refresh();
    },
  });

  const restart = () => {
    setCreated(null);
    form.resetFields();
    setKey(newKey());
  };

  if (sources.length === 0) return <Result status="403" title="403" subTitle={t('error.403')} />;

  return (
    <div className="jy-page" data-testid="intake-page">
      <Typography.Title level={4} className="jy-page-title">
        {t('nav.caseIntake')}
      </Typography.Title>
      {created ? (
        <Created created={created} onAnother={restart} />
      ) : (
        <Form<Values>
          form={form}
          layout="vertical"
          name="case-intake"
          initialValues={{ source: sources[0], urgency: 'default' }}
          onFinish={(v) => submit.mutate(v)}
          scrollToFirstError
          data-testid="intake-form"
        >
          <Row gutter={16}>
            <Col xs={24} xl={14}>
              <Card title={t('case.intake.what')}>
                <Row gutter={16}>
                  <Col xs={24} md={10}>
                    <Form.Item name="source" label={t('case.source')} rules={[{ required: true }]}>
                      <Select
                        options={sources.map((s) => ({ value: s, label: t(`case.source.${s}`) }))}
                        data-testid="intake-source"
                      />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={14}>
                    <Form.Item
                      name="category"
                      label={t('case.intake.category')}
                      rules={[
                        { required: true, message: t('form.required') },
                        {
                          validator: (_, v: string[] | undefined) =>
                            !v || v.length === 2
                              ? Promise.resolve()
                              : Promise.reject(new Error(t('case.intake.pickSub'))),
                        },
                      ]}
                    >
                      <Cascader
                        options={categoryTree(categories.data?.items ?? [])}
                        placeholder={t('case.intake.categoryPlaceholder')}
                        showSearch
                        displayRender={(labels) => labels.join(' › ')}
                        data-testid="intake-category"
                      />
                    </Form.Item>
                  </Col>
                </Row>
                {sub && (
                  <Alert
                    type="info"
                    showIcon
                    style={{ marginBottom: 16 }}
                    title={t('case.intake.categoryInfo', {
                      urgency: t(`case.urgency.${sub.defaultUrgency ?? 'yellow'}`),
                      limit: sub.effectiveLimitMinutes ? Math.round(sub.effectiveLimitMinutes / 60) : '—',
                    })}
                    description={sub.acceptCondition ? `${t('case.intake.accept')}：${sub.acceptCondition}` : undefined}
                  />
                )}
                <Form.Item name="urgency" label={t('case.urgency')} extra={t('case.intake.urgencyHint')}>
                  <Radio.Group
                    optionType="button"
                    options={[
                      { value: 'default', label: t('case.intake.urgencyDefault') },
                      ...caseUrgencies.map((u) => ({ value: u, label: t(`case.urgency.${u}`) })),
                    ]}
                  />
                </Form.Item>
                <Form.Item
                  name="title"
                  label={t('case.title')}
                  extra={t('case.intake.titleHint')}
                  rules={[{ max: 100 }]}
                >
                  <Input maxLength={100} data-testid="intake-title" />
                </Form.Item>
                <Form.Item
                  name="description"
                  label={t('case.description')}
                  rules={[{ required: true, whitespace: true, message: t('form.required') }, { max: 2000 }]}
                >
                  <Input.TextArea rows={4} maxLength={2000} showCount data-testid="intake-description" />
                </Form.Item>
                {sub && (sub.extraFields as TExtraField[]).length > 0 && (
                  <>
                    <Divider titlePlacement="start">{t('case.intake.extra')}</Divider>
                    <Row gutter={16}>
                      {(sub.extraFields as TExtraField[]).map((f) => (
                        <Col key={f.key} xs={24} md={12}>
                          <ExtraField field={f} />
                        </Col>
                      ))}
                    </Row>
                  </>
                )}
              </Card>
              {source === 'hotline' && (
                <Card title={t('case.intake.caller')} style={{ marginTop: 16 }}>
                  <Row gutter={16}>
                    <Col xs={24} md={12}>
                      <Form.Item
                        name="callerName"
                        label={t('case.intake.callerName')}
                        rules={[{ required: true, whitespace: true, message: t('form.required') }, { max: 40 }]}
                      >
                        <Input maxLength={40} autoComplete="off" data-testid="intake-caller-name" />
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={12}>
                      <Form.Item
                        name="callerPhone"
                        label={t('case.intake.callerPhone')}
                        rules={[
                          { required: true, message: t('form.required') },
                          { pattern: /^1[3-9]\d{9}$/, message: t('reg.err.phone') },
                        ]}
                      >
                        <Input maxLength={11} inputMode="tel" autoComplete="off" data-testid="intake-caller-phone" />
                      </Form.Item>
                    </Col>
                  </Row>
                  <Typography.Text type="secondary" className="jy-hint">
                    {t('case.intake.callerHint')}
                  </Typography.Text>
                </Card>
              )}
            </Col>
            <Col xs={24} xl={10}>
              <Card title={t('case.location')}>
                <Form.Item name="address" label={t('case.address')} rules={[{ max: 200 }]}>
                  <Input maxLength={200} data-testid="intake-address" />
                </Form.Item>
                <Typography.Paragraph type="secondary" className="jy-hint">
                  <AimOutlined /> {t('case.intake.mapHint')}
                </Typography.Paragraph>
                <Suspense fallback={<div className="jy-minimap" style={{ height: 280 }} />}>
                  <MiniMap
                    point={point}
                    height={280}
                    onPick={(p) => form.setFieldsValue({ lng: p.lng, lat: p.lat })}
                    testId="intake-map"
                  />
                </Suspense>
                <Row gutter={8} style={{ marginTop: 12 }}>
                  <Col span={12}>
                    <Form.Item
                      name="lng"
                      label={t('case.intake.lng')}
                      dependencies={['lat']}
                      rules={[
                        {
                          validator: (_, v: number | null | undefined) =>
                            (typeof v === 'number') === (typeof form.getFieldValue('lat') === 'number')
                              ? Promise.resolve()
                              : Promise.reject(new Error(t('case.intake.bothCoords'))),
                        },
                      ]}
                    >
                      <InputNumber
                        min={-180}
                        max={180}
                        step={0.0001}
                        style={{ width: '100%' }}
                        data-testid="intake-lng"
                      />
                    </Form.Item>
                  </Col>
                  <Col span={12}>
                    <Form.Item name="lat" label={t('case.intake.lat')}>
                      <InputNumber
                        min={-90}
                        max={90}
                        step={0.0001}
                        style={{ width: '100%' }}
                        data-testid="intake-lat"
                      />
                    </Form.Item>
                  </Col>
                </Row>
                {point && (
                  <div style={{ marginBottom: 12 }} data-testid="intake-located">
                    {located.data?.grid ? (
                      <Tag color="green">
                        {t('case.intake.inGrid', { name: located.data.grid.name, code: located.data.grid.code })}
                      </Tag>
                    ) : located.isFetching ? null : (
                      <Tag color="orange">{t('case.intake.noGrid')}</Tag>
                    )}
                    <Button size="small" type="link" onClick={() => form.setFieldsValue({ lng: null, lat: null })}>
                      {t('case.intake.clearPoint')}
                    </Button>
                  </div>
                )}
                <Form.Item
                  name="jurisdictionId"
                  label={t('case.intake.jurisdiction')}
                  extra={t('case.intake.jurisdictionHint')}
                >
                  <JurisdictionPicker testId="intake-jurisdiction" />
                </Form.Item>
              </Card>
              <Card style={{ marginTop: 16 }}>
                <Space wrap>
                  <Button
                    type="primary"
                    htmlType="submit"
                    size="large"
                    loading={submit.isPending}
                    disabled={submit.isPending}
                    data-testid="intake-submit"
                  >
                    {t('case.intake.submit')}
                  </Button>
                  <Button onClick={restart}>{t('common.reset')}</Button>
                </Space>
                <Typography.Paragraph type="secondary" className="jy-hint" style={{ marginTop: 8, marginBottom: 0 }}>
                  {t('case.intake.onceHint')}
                </Typography.Paragraph>
              </Card>
            </Col>
          </Row>
        </Form>
      )}
    </div>
  );
}

function bodyFrom(v: Values, sub: TCategory | undefined): TCreateCase {
  const extra: Record<string, unknown> = {};
  for (const f of (sub?.extraFields ?? []) as TExtraField[]) {
    const raw = v.extra?.[f.key];
    if (raw === undefined || raw === null || raw === '' || (Array.isArray(raw) && raw.length === 0)) continue;
    extra[f.key] =
      f.type === 'date' ? (raw as Dayjs).format('YYYY-MM-DD') : f.type === 'string' ? String(raw).trim() : raw;
  }
  const hasPoint = typeof v.lng === 'number' && typeof v.lat === 'number';
  return {
    categoryId: v.category?.[1] ?? '',
    source: v.source,
    description: v.description.trim(),
    ...(v.title?.trim() ? { title: v.title.trim() } : {}),
    ...(v.address?.trim() ? { address: v.address.trim() } : {}),
    ...(hasPoint ? { lng: v.lng as number, lat: v.lat as number } : {}),
    ...(v.jurisdictionId ? { jurisdictionId: v.jurisdictionId } : {}),
    ...(v.urgency && v.urgency !== 'default' ? { urgency: v.urgency } : {}),
    ...(Object.keys(extra).length ? { extra } : {}),
    ...(v.source === 'hotline'
      ? { caller: { name: (v.callerName ?? '').trim(), phone: (v.callerPhone ?? '').trim() } }
      : {}),
  };
}

/** One typed extra field of the 小类: text, number, date, single or multiple choice. */
function ExtraField({ field: f }: { field: TExtraField }) {
  const { t } = useI18n();
  const rules = f.required ? [{ required: true, message: t('form.required') }] : [];
  const name = ['extra', f.key];
  const testId = `intake-extra-${f.key}`;
  switch (f.type) {
    case 'number':
      return (
        <Form.Item name={name} label={f.label} rules={rules}>
          <InputNumber style={{ width: '100%' }} data-testid={testId} />
        </Form.Item>
      );
    case 'date':
      return (
        <Form.Item name={name} label={f.label} rules={rules}>
          <DatePicker style={{ width: '100%' }} data-testid={testId} />
        </Form.Item>
      );
    case 'single':
      return (
        <Form.Item name={name} label={f.label} rules={rules}>
          <Radio.Group options={(f.options ?? []).map((o) => ({ value: o, label: o }))} data-testid={testId} />
        </Form.Item>
      );
    case 'multi':
      return (
        <Form.Item name={name} label={f.label} rules={rules}>
          <Select
            mode="multiple"
            options={(f.options ?? []).map((o) => ({ value: o, label: o }))}
            data-testid={testId}
          />
        </Form.Item>
      );
    default:
      return (
        <Form.Item name={name} label={f.label} rules={[...rules, { max: 500 }]}>
          <Input maxLength={500} data-testid={testId} />
        </Form.Item>
      );
  }
}

/** After filing: the number to read back to the caller, and possible duplicates with 合并. */
function Created({ created, onAnother }: { created: CreateCaseResponse; onAnother: () => void }) {
  const { t, pick } = useI18n();
  const refresh = useRefreshCases();
  const [mergedInto, setMergedInto] = useState<string | null>(null);
  const canMerge = created.case.allowedActions.includes('merge');
  const merge = useMutation({
    mutationFn: (d: PossibleDuplicate) => caseApi.merge(created.case.id, d.id),
    onSuccess: async (_r, d) => {
      setMergedInto(d.number);
      showSuccess(t('case.intake.merged', { number: d.number }));
      await refresh();
    },
  });
  return (
    <Card data-testid="intake-created">
      <Result
        status="success"
        icon={<CheckCircleOutlined />}
        title={t('case.intake.created', { number: created.case.number })}
        subTitle={t('case.intake.readBack')}
        extra={
          <Space wrap>
            <Link to={`/cases/${created.case.id}`}>
              <Button type="primary" data-testid="intake-open">
                {t('case.intake.open')}
              </Button>
            </Link>
            <Button onClick={onAnother} data-testid="intake-another">
              {t('case.intake.another')}
            </Button>
          </Space>
        }
      />
      {created.possibleDuplicates.length > 0 && (
        <Alert
          type={mergedInto ? 'success' : 'warning'}
          showIcon
          data-testid="intake-duplicates"
          title={
            mergedInto
              ? t('case.intake.merged', { number: mergedInto })
              : t('case.intake.duplicates', { n: created.possibleDuplicates.length })
          }
          description={
            <List<PossibleDuplicate>
              size="small"
              dataSource={created.possibleDuplicates}
              renderItem={(d) => (
                <List.Item
                  actions={
                    canMerge && !mergedInto
                      ? [
                          <Button
                            key="merge"
                            size="small"
                            icon={<MergeCellsOutlined />}
                            loading={merge.isPending && merge.variables?.id === d.id}
                            onClick={() => merge.mutate(d)}
                            data-testid="intake-merge"
                          >
                            {t('case.action.merge')}
                          </Button>,
                        ]
                      : []
                  }
                >
                  <Space wrap>
                    <Link to={`/cases/${d.id}`} className="jy-mono">
                      {d.number}
                    </Link>
                    <span>{d.title}</span>
                    <Tag>{pick(caseStateLabels[d.state])}</Tag>
                    <Typography.Text type="secondary">
                      {t('case.intake.distance', { m: Math.round(d.distanceM) })}
                    </Typography.Text>
                  </Space>
                </List.Item>
              )}
            />
          }
          style={{ marginTop: 8 }}
        />
      )}
      {created.possibleDuplicates.length > 0 && !canMerge && !mergedInto && (
        <Typography.Paragraph type="secondary" className="jy-hint" style={{ marginTop: 8 }}>
          {t('case.intake.mergeByStaff')}
        </Typography.Paragraph>
      )}
    </Card>
  );
}
