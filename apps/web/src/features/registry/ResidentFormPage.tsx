import { ArrowLeftOutlined, PlusOutlined } from '@ant-design/icons';
import {
  type CareTag,
  careTagLabels,
  careTags,
  chinaDate,
  type IdProblem,
  type IdType,
  idTypeLabels,
  idTypes,
  isValidPhone,
  type RelationToHead,
  type ResidenceType,
  relationLabels,
  relationsToHead,
  residenceTypeLabels,
  residenceTypes,
  type TCreateResident,
  type TResidentView,
  type TUpdateResident,
  validateDocument,
} from '@jiayuan/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Divider,
  Form,
  Input,
  Radio,
  Result,
  Row,
  Select,
  Space,
  Spin,
  Switch,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { isApiError } from '../../api/client.ts';
import { householdApi, placeApi, residentApi } from '../../api/endpoints.ts';
import { access } from '../../app/access.ts';
import { type MessageKey, useI18n } from '../../app/i18n.tsx';
import { showError, showSuccess } from '../../app/notify.ts';
import { useUser } from '../../app/session.tsx';
import { JurisdictionPicker } from '../jurisdictions/JurisdictionPicker.tsx';

type Values = {
  name?: string;
  idType: IdType;
  idNumber?: string;
  sex?: 'M' | 'F' | null;
  birthDate?: Dayjs | null;
  phone?: string;
  residenceType: ResidenceType;
  arrivedOn?: Dayjs | null;
  expectedLeaveOn?: Dayjs | null;
  residenceRegisteredOn?: Dayjs | null;
  registeredPlace?: string;
  separated: boolean;
  jurisdictionId?: string;
  householdId?: string | null;
  relationToHead?: RelationToHead | null;
  careTags?: CareTag[];
  note?: string;
};

/** Problem codes the validators (and the server) report, as form messages. */
const problemKeys: Record<string, MessageKey> = {
  REGISTRY_ID_FORMAT: 'reg.err.idFormat',
  REGISTRY_ID_REGION: 'reg.err.idRegion',
  REGISTRY_ID_BIRTH_DATE: 'reg.err.idBirthDate',
  REGISTRY_ID_CHECK_DIGIT: 'reg.err.idCheckDigit',
  REGISTRY_DOCUMENT_FORMAT: 'reg.err.documentFormat',
  REGISTRY_ID_SEX_MISMATCH: 'reg.err.sexMismatch',
  REGISTRY_ID_BIRTH_MISMATCH: 'reg.err.birthMismatch',
  REGISTRY_BIRTH_DATE_INVALID: 'reg.err.birthDate',
  REGISTRY_PHONE_INVALID: 'reg.err.phone',
  REGISTRY_ARRIVAL_REQUIRED: 'reg.err.arrivalRequired',
  REGISTRY_DATES_ORDER: 'reg.err.datesOrder',
  REGISTRY_DATE_IN_FUTURE: 'reg.err.future',
  REGISTRY_RELATION_REQUIRED: 'reg.err.relationRequired',
};

const ymd = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);
const compactPhone = (v: string) => v.replace(/[\s-]/g, '');

/** 登记居民 / 修改居民信息: live validation with the same pure functions the server runs (@jiayuan/contracts). */
export default function ResidentFormPage() {
  const { id } = useParams();
  const editing = !!id;
  const user = useUser();
  const { t } = useI18n();
  const existing = useQuery({
    queryKey: ['resident', id],
    queryFn: () => residentApi.get(id ?? ''),
    enabled: editing,
    staleTime: 0,
  });
  if (!access.writeResidents(user)) return <Result status="403" title="403" subTitle={t('error.403')} />;
  if (editing && existing.isPending)
    return (
      <div className="jy-page-spin">
        <Spin />
      </div>
    );
  if (editing && !existing.data) return <Result status="warning" title={t('common.loadFailed')} />;
  return <ResidentForm existing={existing.data ?? null} />;
}

function ResidentForm({ existing }: { existing: TResidentView | null }) {
  const { t, pick } = useI18n();
  const user = useUser();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const editing = !!existing;
  const dwellingId = existing ? existing.dwellingId : params.get('dwellingId');
  const seeCare = access.careTags(user);
  const today = chinaDate(new Date());

  const dwelling = useQuery({
    queryKey: ['dwelling', dwellingId],
    queryFn: () => placeApi.dwelling(dwellingId ?? ''),
    enabled: !!dwellingId,
  });
  const building = useQuery({
    queryKey: ['building', dwelling.data?.buildingId],
    queryFn: () => placeApi.building(dwelling.data?.buildingId ?? ''),
    enabled: !!dwelling.data,
  });
  const households = useQuery({
    queryKey: ['households', { dwellingId }],
    queryFn: () => householdApi.list({ dwellingId: dwellingId ?? undefined, limit: 200 }),
    enabled: !!dwellingId,
  });
  const [newHousehold, setNewHousehold] = useState('');
  const createHousehold = useMutation({
    mutationFn: (number: string) => householdApi.create({ number, dwellingId }),
    onSuccess: async (h) => {
      await qc.invalidateQueries({ queryKey: ['households'] });
      form.setFieldsValue({ householdId: h.id });
      setNewHousehold('');
      showSuccess(t('reg.form.householdCreated', { number: h.number }));
    },
  });

  const idType = Form.useWatch('idType', form) ?? existing?.idType ?? 'id_card';
  const idNumber = Form.useWatch('idNumber', form) ?? '';
  const householdId = Form.useWatch('householdId', form);

  // Sex and birth date from a 居民身份证 number, shown as the person types.
  const derived = useMemo(() => {
    if (idType !== 'id_card' || idNumber.trim().length < 18) return null;
    const r = validateDocument('id_card', idNumber, today);
    return r.ok ? r.derived : null;
  }, [idType, idNumber, today]);

  const idRule = (when: 'typing' | 'done') => ({
    validateTrigger: when === 'typing' ? 'onChange' : 'onBlur',
    validator: (_: unknown, raw: string | undefined) => {
      const v = (raw ?? '').trim();
      if (!v) return Promise.resolve();
      const type = (form.getFieldValue('idType') as IdType | undefined) ?? 'id_card';
      // While typing an 18-digit number, wait for all 18 before judging it.
      if (when === 'typing' && type === 'id_card' && v.length < 18) return Promise.resolve();
      const r = validateDocument(type, v, today);
      return r.ok
        ? Promise.resolve()
        : Promise.reject(new Error(t(problemKeys[r.problem as IdProblem] ?? 'reg.err.idFormat')));
    },
  });

  const save = useMutation({
    mutationFn: (v: Values) => {
      if (existing) return residentApi.update(existing.id, patchFrom(existing, v));
      return residentApi.create(createBody(v));
    },
    meta: { silent: true },
    onSuccess: async (r) => {
      showSuccess(t('common.saved'));
      await qc.invalidateQueries({ queryKey: ['residents'] });
      await qc.invalidateQueries({ queryKey: ['resident', r.id] });
      await qc.invalidateQueries({ queryKey: ['households'] });
      navigate(`/registry/residents/${r.id}`, { replace: editing });
    },
    onError: (e) => {
      showError(e);
      // The server lists every problem with its field: mark each one on the form.
      const problems = isApiError(e)
        ? (e.details as { problems?: { field: string; code: string }[] } | null)?.problems
        : null;
      if (problems?.length)
        form.setFields(
          problems.map((p) => ({
            name: p.field as keyof Values,
            errors: [problemKeys[p.code] ? t(problemKeys[p.code] as MessageKey) : p.code],
          })),
        );
    },
  });

  const createBody = (v: Values): TCreateResident => ({
    name: (v.name ?? '').trim(),
    idType: v.idType,
    idNumber: (v.idNumber ?? '').trim(),
    ...(v.idType !== 'id_card' ? { sex: v.sex ?? null, birthDate: ymd(v.birthDate) } : {}),
    phone: v.phone?.trim() ? compactPhone(v.phone) : null,
    residenceType: v.residenceType,
    arrivedOn: ymd(v.arrivedOn),
    expectedLeaveOn: ymd(v.expectedLeaveOn),
    residenceRegisteredOn: ymd(v.residenceRegisteredOn),
    registeredPlace: v.registeredPlace?.trim() || null,
    separated: v.separated,
    ...(dwellingId ? { dwellingId } : { jurisdictionId: v.jurisdictionId }),
    householdId: v.householdId || null,
    relationToHead: v.householdId ? (v.relationToHead ?? null) : null,
    ...(seeCare ? { careTags: v.careTags ?? [] } : {}),
    note: v.note?.trim() || null,
  });

  /** Only what changed. Masked fields (name, ID, phone, registration place) start empty: a value replaces them. */
  const patchFrom = (r: TResidentView, v: Values): TUpdateResident => {
    const p: TUpdateResident = {};
    if (v.name?.trim()) p.name = v.name.trim();
    if (v.idType !== r.idType) p.idType = v.idType;
    if (v.idNumber?.trim()) p.idNumber = v.idNumber.trim();
    if (v.idType !== 'id_card' && (p.idType || p.idNumber)) {
      p.sex = v.sex ?? null;
      p.birthDate = ymd(v.birthDate);
    }
    if (v.phone?.trim()) p.phone = compactPhone(v.phone);
    if (v.residenceType !== r.residenceType) p.residenceType = v.residenceType;
    for (const k of ['arrivedOn', 'expectedLeaveOn', 'residenceRegisteredOn'] as const)
      if (ymd(v[k]) !== r[k]) p[k] = ymd(v[k]);
    if (v.registeredPlace?.trim()) p.registeredPlace = v.registeredPlace.trim();
    if (v.separated !== r.separated) p.separated = v.separated;
    const hh = v.householdId || null;
    const rel = hh ? (v.relationToHead ?? null) : null;
    if (hh !== r.householdId || rel !== r.relationToHead) {
      p.householdId = hh;
      p.relationToHead = rel;
    }
    if (seeCare && r.careTags !== null) {
      const next = careTags.filter((c) => v.careTags?.includes(c));
      if (JSON.stringify(next) !== JSON.stringify(r.careTags)) p.careTags = next;
    }
    if ((v.note?.trim() || null) !== r.note) p.note = v.note?.trim() || null;
    return p;
  };

  const initial: Partial<Values> = existing
    ? {
        idType: existing.idType,
        residenceType: existing.residenceType,
        arrivedOn: existing.arrivedOn ? dayjs(existing.arrivedOn) : null,
        expectedLeaveOn: existing.expectedLeaveOn ? dayjs(existing.expectedLeaveOn) : null,
        residenceRegisteredOn: existing.residenceRegisteredOn ? dayjs(existing.residenceRegisteredOn) : null,
        separated: existing.separated,
        householdId: existing.householdId,
        relationToHead: existing.relationToHead,
        careTags: existing.careTags ?? [],
        note: existing.note ?? '',
        sex: existing.sex,
      }
    : {
        idType: 'id_card',
        residenceType: 'permanent',
        separated: false,
        householdId: params.get('householdId'),
        relationToHead: null,
        jurisdictionId: params.get('jurisdictionId') ?? undefined,
        careTags: [],
      };

  const notFuture = (d: Dayjs) => d.isAfter(dayjs(), 'day');
  const keepHint = (current: string | null) => (existing ? t('reg.form.keep', { current: current ?? '—' }) : undefined);
  const householdOptions = (households.data?.items ?? []).map((h) => ({
    value: h.id,
    label: `${h.number}${h.headName ? ` · ${t('reg.head')} ${h.headName}` : ''} · ${t('reg.form.members', { n: h.memberCount })}`,
  }));

  return (
    <div className="jy-page" data-testid="resident-form-page">
      <div className="jy-page-head">
        <Space>
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} aria-label={t('common.back')} />
          <Typography.Title level={4} className="jy-page-title" style={{ marginBottom: 0 }}>
            {editing ? t('reg.form.editTitle', { name: existing.name }) : t('reg.register')}
          </Typography.Title>
        </Space>
      </div>
      <Card>
        <Form<Values>
          form={form}
          layout="vertical"
          name="resident"
          initialValues={initial}
          onFinish={(v) => save.mutate(v)}
          scrollToFirstError
          data-testid="resident-form"
        >
          {editing && <Alert type="info" showIcon title={t('reg.form.maskedInfo')} style={{ marginBottom: 16 }} />}
          <Divider titlePlacement="start">{t('reg.form.identity')}</Divider>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item
                name="name"
                label={t('reg.field.name')}
                extra={keepHint(existing?.name ?? null)}
                rules={[{ required: !editing, whitespace: true, message: t('form.required') }, { max: 50 }]}
              >
                <Input maxLength={50} autoComplete="off" data-testid="resident-name" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="idType" label={t('reg.field.idType')} rules={[{ required: true }]}>
                <Select
                  options={idTypes.map((v) => ({ value: v, label: pick(idTypeLabels[v]) }))}
                  onChange={() => void form.validateFields(['idNumber']).catch(() => undefined)}
                  data-testid="resident-id-type"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item
                name="idNumber"
                label={t('reg.field.idNumber')}
                validateTrigger={['onChange', 'onBlur']}
                dependencies={['idType']}
                extra={
                  derived ? (
                    <span data-testid="id-derived" className="jy-ok-hint">
                      {t('reg.form.derived', {
                        sex: t(`reg.sex.${derived.sex}`),
                        birth: derived.birthDate,
                      })}
                    </span>
                  ) : idType === 'id_card' && idNumber.trim() && idNumber.trim().length < 18 ? (
                    t('reg.form.idProgress', { n: idNumber.trim().length })
                  ) : (
                    keepHint(existing?.idNumber ?? null)
                  )
                }
                rules={[
                  {
                    required: !editing || idType !== existing?.idType,
                    whitespace: true,
                    message: editing ? t('reg.form.idRequiredOnTypeChange') : t('form.required'),
                  },
                  idRule('typing'),
                  idRule('done'),
                ]}
              >
                <Input maxLength={40} autoComplete="off" className="jy-mono-input" data-testid="resident-id-number" />
              </Form.Item>
            </Col>
            {idType !== 'id_card' && (
              <>
                <Col xs={24} md={8}>
                  <Form.Item name="sex" label={t('reg.field.sex')}>
                    <Radio.Group
                      options={[
                        { value: 'M', label: t('reg.sex.M') },
                        { value: 'F', label: t('reg.sex.F') },
                      ]}
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={8}>
                  <Form.Item
                    name="birthDate"
                    label={t('reg.field.birthDate')}
                    rules={[
                      {
                        validator: (_, d: Dayjs | null) =>
                          !d || (d.format('YYYY-MM-DD') >= '1900-01-01' && !notFuture(d))
                            ? Promise.resolve()
                            : Promise.reject(new Error(t('reg.err.birthDate'))),
                      },
                    ]}
                  >
                    <DatePicker style={{ width: '100%' }} disabledDate={notFuture} />
                  </Form.Item>
                </Col>
              </>
            )}
            <Col xs={24} md={8}>
              <Form.Item
                name="phone"
                label={t('reg.field.phone')}
                extra={keepHint(existing?.phone ?? null)}
                rules={[
                  {
                    validator: (_, v: string | undefined) =>
                      !v?.trim() || isValidPhone(compactPhone(v))
                        ? Promise.resolve()
                        : Promise.reject(new Error(t('reg.err.phone'))),
                  },
                ]}
              >
                <Input maxLength={20} inputMode="tel" autoComplete="off" data-testid="resident-phone" />
              </Form.Item>
            </Col>
          </Row>

          <Divider titlePlacement="start">{t('reg.form.residence')}</Divider>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name="residenceType" label={t('reg.field.residenceType')} rules={[{ required: true }]}>
                <Select
                  options={residenceTypes.map((v) => ({ value: v, label: pick(residenceTypeLabels[v]) }))}
                  onChange={() => void form.validateFields(['arrivedOn']).catch(() => undefined)}
                  data-testid="resident-type"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item
                name="arrivedOn"
                label={t('reg.field.arrivedOn')}
                dependencies={['residenceType']}
                rules={[
                  {
                    validator: (_, d: Dayjs | null) => {
                      if (!d && form.getFieldValue('residenceType') === 'floating')
                        return Promise.reject(new Error(t('reg.err.arrivalRequired')));
                      if (d && notFuture(d)) return Promise.reject(new Error(t('reg.err.future')));
                      return Promise.resolve();
                    },
                  },
                ]}
              >
                <DatePicker style={{ width: '100%' }} data-testid="resident-arrived" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item
                name="expectedLeaveOn"
                label={t('reg.field.expectedLeaveOn')}
                dependencies={['arrivedOn']}
                rules={[
                  {
                    validator: (_, d: Dayjs | null) => {
                      const a = form.getFieldValue('arrivedOn') as Dayjs | null | undefined;
                      return d && a && d.isBefore(a, 'day')
                        ? Promise.reject(new Error(t('reg.err.datesOrder')))
                        : Promise.resolve();
                    },
                  },
                ]}
              >
                <DatePicker style={{ width: '100%' }} data-testid="resident-leave" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item
                name="residenceRegisteredOn"
                label={t('reg.field.residenceRegisteredOn')}
                rules={[
                  {
                    validator: (_, d: Dayjs | null) =>
                      d && notFuture(d) ? Promise.reject(new Error(t('reg.err.future'))) : Promise.resolve(),
                  },
                ]}
              >
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item
                name="registeredPlace"
                label={t('reg.field.registeredPlace')}
                extra={keepHint(existing?.registeredPlace ?? null)}
                rules={[{ max: 120 }]}
              >
                <Input maxLength={120} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="separated" label={t('reg.field.separated')} valuePropName="checked">
                <Switch />
              </Form.Item>
            </Col>
          </Row>

          <Divider titlePlacement="start">{t('reg.form.place')}</Divider>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              {dwellingId ? (
                <Form.Item label={t('reg.field.dwelling')}>
                  <Typography.Text data-testid="resident-dwelling">
                    {building.data ? `${building.data.complexName ?? ''}${building.data.name} ` : ''}
                    {dwelling.data?.number ?? '…'}
                  </Typography.Text>
                </Form.Item>
              ) : editing ? (
                <Form.Item label={t('reg.field.jurisdiction')}>
                  <Typography.Text>{existing.jurisdiction.name}</Typography.Text>
                </Form.Item>
              ) : (
                <Form.Item
                  name="jurisdictionId"
                  label={t('reg.form.gridOrCommunity')}
                  extra={t('reg.form.gridHint')}
                  rules={[{ required: true, message: t('form.required') }]}
                >
                  <JurisdictionPicker testId="resident-jurisdiction" />
                </Form.Item>
              )}
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="householdId" label={t('reg.field.household')}>
                <Select
                  allowClear
                  placeholder={t('reg.form.noHousehold')}
                  options={householdOptions}
                  loading={households.isFetching}
                  notFoundContent={dwellingId ? t('reg.form.noHouseholds') : t('reg.form.householdNeedsDwelling')}
                  data-testid="resident-household"
                  popupRender={(menu) => (
                    <>
                      {menu}
                      {dwellingId && (
                        <>
                          <Divider style={{ margin: '8px 0' }} />
                          <Space.Compact style={{ width: '100%', padding: '0 8px 4px' }}>
                            <Input
                              placeholder={t('reg.householdNumber')}
                              value={newHousehold}
                              onChange={(e) => setNewHousehold(e.target.value)}
                              onKeyDown={(e) => e.stopPropagation()}
                              maxLength={30}
                              data-testid="new-household-number"
                            />
                            <Button
                              icon={<PlusOutlined />}
                              disabled={!newHousehold.trim()}
                              loading={createHousehold.isPending}
                              onClick={() => createHousehold.mutate(newHousehold.trim())}
                              data-testid="new-household"
                            >
                              {t('reg.form.newHousehold')}
                            </Button>
                          </Space.Compact>
                        </>
                      )}
                    </>
                  )}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item
                name="relationToHead"
                label={t('reg.field.relation')}
                dependencies={['householdId']}
                rules={[{ required: !!householdId, message: t('reg.err.relationRequired') }]}
              >
                <Select
                  allowClear
                  disabled={!householdId}
                  options={relationsToHead.map((v) => ({ value: v, label: pick(relationLabels[v]) }))}
                  data-testid="resident-relation"
                />
              </Form.Item>
            </Col>
          </Row>

          <Divider titlePlacement="start">{t('reg.form.other')}</Divider>
          <Row gutter={16}>
            {seeCare && (!existing || existing.careTags !== null) && (
              <Col xs={24} md={12}>
                <Form.Item name="careTags" label={t('reg.field.careTags')} extra={t('reg.form.careHint')}>
                  <Select
                    mode="multiple"
                    allowClear
                    options={careTags.map((v) => ({ value: v, label: pick(careTagLabels[v]) }))}
                    data-testid="resident-care"
                  />
                </Form.Item>
              </Col>
            )}
            <Col xs={24} md={12}>
              <Form.Item name="note" label={t('reg.field.note')} extra={t('reg.form.noteHint')} rules={[{ max: 500 }]}>
                <Input.TextArea rows={2} maxLength={500} showCount />
              </Form.Item>
            </Col>
          </Row>
          <Space>
            <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="resident-save">
              {editing ? t('common.save') : t('reg.register')}
            </Button>
            <Button onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
          </Space>
        </Form>
      </Card>
    </div>
  );
}
