import { UploadOutlined } from '@ant-design/icons';
import { type CaseAction, type CaseRating, caseRatings, type TCaseDetail, type TTransition } from '@jiayuan/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Checkbox,
  Form,
  Input,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Space,
  Typography,
  Upload,
} from 'antd';
import { useMemo, useState } from 'react';
import { caseApi, gridApi } from '../../api/endpoints.ts';
import { type MessageKey, useI18n } from '../../app/i18n.tsx';
import { showError, showSuccess } from '../../app/notify.ts';
import { useUser } from '../../app/session.tsx';
import { openCaseStates } from './caseUi.tsx';

/** Steps taken at once (with a confirmation); the others ask for what they need in a dialog. */
const direct: CaseAction[] = ['verify', 'accept', 'start', 'resume'];
/** The main line of the loop is the primary button; side steps are plain or danger. */
const primary: CaseAction[] = ['verify', 'accept', 'dispatch', 'start', 'handle', 'close'];
const danger: CaseAction[] = ['discard', 'rework'];
/** Display order. */
const order: CaseAction[] = [
  'verify',
  'accept',
  'dispatch',
  'start',
  'handle',
  'close',
  'rework',
  'suspend',
  'resume',
  'discard',
  'merge',
  'reopen',
  'rate',
];

export const actionKey = (a: CaseAction | string): MessageKey => `case.action.${a}` as MessageKey;

/** Invalidate every view of cases after a step. */
export const useRefreshCases = () => {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: ['cases'] });
};

/** The buttons of the actions the server allows this user on this case, each with the inputs it needs. */
export function CaseActionBar({ detail, size }: { detail: TCaseDetail; size?: 'small' | 'middle' }) {
  const { t } = useI18n();
  const refresh = useRefreshCases();
  const [open, setOpen] = useState<CaseAction | null>(null);
  const run = useMutation({
    mutationFn: (body: TTransition) => caseApi.transition(detail.id, body),
    onSuccess: async (_d, body) => {
      showSuccess(t('case.done', { action: t(actionKey(body.action)) }));
      await refresh();
    },
  });
  const actions = order.filter((a) => detail.allowedActions.includes(a));
  if (actions.length === 0) return <Typography.Text type="secondary">{t('case.noActions')}</Typography.Text>;
  return (
    <Space wrap size="small" data-testid="case-actions">
      {actions.map((a) =>
        direct.includes(a) ? (
          <Popconfirm
            key={a}
            title={t('case.confirm', { action: t(actionKey(a)), number: detail.number })}
            onConfirm={() =>
              run.mutateAsync({ action: a as 'verify' | 'accept' | 'start' | 'resume' }).catch(() => undefined)
            }
            okButtonProps={{ 'data-testid': 'confirm-ok' }}
          >
            <Button
              size={size}
              type={primary.includes(a) ? 'primary' : 'default'}
              loading={run.isPending && run.variables?.action === a}
              data-testid={`action-${a}`}
            >
              {t(actionKey(a))}
            </Button>
          </Popconfirm>
        ) : (
          <Button
            key={a}
            size={size}
            type={primary.includes(a) ? 'primary' : 'default'}
            danger={danger.includes(a)}
            onClick={() => setOpen(a)}
            data-testid={`action-${a}`}
          >
            {t(actionKey(a))}
          </Button>
        ),
      )}
      {open && <ActionDialog action={open} detail={detail} onClose={() => setOpen(null)} />}
    </Space>
  );
}

type Values = {
  reason?: string;
  note?: string;
  assigneeId?: string;
  departmentId?: string | null;
  attachmentIds?: string[];
  checkResult?: string;
  rating?: CaseRating;
  intoId?: string;
};

function ActionDialog({ action, detail, onClose }: { action: CaseAction; detail: TCaseDetail; onClose: () => void }) {
  const { t } = useI18n();
  const refresh = useRefreshCases();
  const [form] = Form.useForm<Values>();
  const run = useMutation({
    mutationFn: (v: Values) => {
      const note = v.note?.trim() || undefined;
      if (action === 'merge') return caseApi.merge(detail.id, v.intoId ?? '', note);
      return caseApi.transition(detail.id, bodyFor(action, v, note));
    },
    onSuccess: async () => {
      showSuccess(t('case.done', { action: t(actionKey(action)) }));
      onClose();
      await refresh();
    },
  });
  const needsReason = ['discard', 'rework', 'suspend', 'reopen'].includes(action);
  return (
    <Modal
      open
      title={`${t(actionKey(action))} · ${detail.number}`}
      okText={t(actionKey(action))}
      okButtonProps={{ danger: danger.includes(action), 'data-testid': 'action-submit' }}
      onOk={() => form.submit()}
      confirmLoading={run.isPending}
      onCancel={onClose}
      destroyOnHidden
      width={560}
    >
      <Form<Values> form={form} layout="vertical" name={`case-${action}`} onFinish={(v) => run.mutate(v)}>
        {action === 'dispatch' && <DispatchFields detail={detail} />}
        {action === 'handle' && <HandleFields detail={detail} />}
        {action === 'merge' && <MergeFields detail={detail} />}
        {needsReason && (
          <Form.Item
            name="reason"
            label={t('case.input.reason')}
            rules={[{ required: true, whitespace: true, message: t('form.required') }, { max: 500 }]}
          >
            <Input.TextArea rows={3} maxLength={500} showCount autoFocus data-testid="action-reason" />
          </Form.Item>
        )}
        {action === 'close' && (
          <Form.Item
            name="checkResult"
            label={t('case.input.checkResult')}
            extra={t('case.input.checkHint')}
            rules={[{ required: true, whitespace: true, message: t('form.required') }, { max: 500 }]}
          >
            <Input.TextArea rows={3} maxLength={500} showCount autoFocus data-testid="action-check" />
          </Form.Item>
        )}
        {(action === 'rate' || action === 'reopen') && (
          <Form.Item
            name="rating"
            label={t('case.input.rating')}
            rules={action === 'rate' ? [{ required: true, message: t('form.required') }] : []}
          >
            <Radio.Group
              data-testid="action-rating"
              options={caseRatings.map((r) => ({ value: r, label: t(`case.rating.${r}`) }))}
            />
          </Form.Item>
        )}
        {action === 'handle' ? (
          <Form.Item
            name="note"
            label={t('case.input.handling')}
            rules={[{ required: true, whitespace: true, message: t('form.required') }, { max: 1000 }]}
          >
            <Input.TextArea rows={3} maxLength={1000} showCount data-testid="action-note" />
          </Form.Item>
        ) : (
          <Form.Item name="note" label={t('case.input.note')} rules={[{ max: 1000 }]}>
            <Input.TextArea rows={2} maxLength={1000} data-testid="action-note" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function bodyFor(action: CaseAction, v: Values, note: string | undefined): TTransition {
  const reason = v.reason?.trim() ?? '';
  switch (action) {
    case 'discard':
    case 'rework':
    case 'suspend':
      return { action, reason, note };
    case 'reopen':
      return { action, reason, note, ...(v.rating ? { rating: v.rating } : {}) };
    case 'dispatch':
      return { action, assigneeId: v.assigneeId ?? '', departmentId: v.departmentId ?? undefined, note };
    case 'handle':
      return { action, note: note ?? '', attachmentIds: v.attachmentIds ?? [] };
    case 'close':
      return { action, checkResult: v.checkResult?.trim() ?? '', note };
    case 'rate':
      return { action, rating: v.rating as CaseRating, note };
    default:
      return { action: action as 'verify' | 'accept' | 'start' | 'resume', note };
  }
}

const workingRoles = ['grid_manager', 'community_worker', 'community_leader', 'street_staff', 'department_staff'];

/**
 * Who can take the case: the grid's assigned grid managers, the people already on its timeline, the current assignee
 * and oneself. (The API has no list of assignable staff; the server checks the choice: a working role whose
 * jurisdiction covers the case.)
 */
function DispatchFields({ detail }: { detail: TCaseDetail }) {
  const { t } = useI18n();
  const me = useUser();
  const managers = useQuery({
    queryKey: ['grids', detail.gridId, 'managers'],
    queryFn: () => gridApi.managers(detail.gridId ?? ''),
    enabled: !!detail.gridId,
    meta: { silent: true },
  });
  const departments = useQuery({
    queryKey: ['cases', 'departments'],
    queryFn: caseApi.departments,
    meta: { silent: true },
  });
  const options = useMemo(() => {
    const seen = new Map<string, string>();
    for (const m of managers.data?.items ?? [])
      seen.set(m.userId, `${m.displayName} · ${t('case.assignee.gridManager')}`);
    if (detail.assigneeId && detail.assigneeName && !seen.has(detail.assigneeId))
      seen.set(detail.assigneeId, `${detail.assigneeName} · ${t('case.assignee.current')}`);
    for (const e of detail.timeline)
      if (e.actorId && e.actorName && !seen.has(e.actorId) && e.actorId !== me.id) seen.set(e.actorId, e.actorName);
    if (me.roles.some((r) => workingRoles.includes(r)) && !seen.has(me.id))
      seen.set(me.id, `${me.displayName} · ${t('case.assignee.me')}`);
    return [...seen.entries()].map(([value, label]) => ({ value, label }));
  }, [managers.data, detail, me, t]);
  return (
    <>
      <Form.Item
        name="assigneeId"
        label={t('case.input.assignee')}
        extra={t('case.input.assigneeHint')}
        rules={[{ required: true, message: t('form.required') }]}
      >
        <Select
          options={options}
          loading={managers.isFetching}
          showSearch={{ optionFilterProp: 'label' }}
          data-testid="action-assignee"
        />
      </Form.Item>
      {(departments.data?.items.length ?? 0) > 0 && (
        <Form.Item name="departmentId" label={t('case.input.department')}>
          <Select
            allowClear
            options={(departments.data?.items ?? [])
              .filter((d) => d.active)
              .map((d) => ({ value: d.id, label: d.name }))}
          />
        </Form.Item>
      )}
    </>
  );
}

/** Photos of the handling: pick among the case's images, or upload new ones here. */
function HandleFields({ detail }: { detail: TCaseDetail }) {
  const { t } = useI18n();
  const refresh = useRefreshCases();
  const form = Form.useFormInstance<Values>();
  const [uploading, setUploading] = useState(false);
  const images = detail.attachments.filter((a) => a.mime === 'image/jpeg' || a.mime === 'image/png');
  return (
    <>
      <Alert type="info" showIcon title={t('case.input.photosHint')} style={{ marginBottom: 12 }} />
      <Form.Item
        name="attachmentIds"
        label={t('case.input.photos')}
        rules={[{ required: true, type: 'array', min: 1, message: t('case.input.photosRequired') }]}
      >
        <Checkbox.Group className="jy-photo-pick" data-testid="action-photos">
          {images.map((a) => (
            <Checkbox key={a.id} value={a.id}>
              <img src={caseApi.attachmentUrl(detail.id, a.id)} alt="" className="jy-thumb" loading="lazy" />
            </Checkbox>
          ))}
        </Checkbox.Group>
      </Form.Item>
      <Upload
        accept="image/jpeg,image/png"
        showUploadList={false}
        multiple
        customRequest={async ({ file, onSuccess, onError }) => {
          setUploading(true);
          try {
            const a = await caseApi.upload(detail.id, file as Blob, (file as File).name);
            const picked = (form.getFieldValue('attachmentIds') as string[] | undefined) ?? [];
            form.setFieldsValue({ attachmentIds: [...picked, a.id] });
            await refresh();
            onSuccess?.(a);
          } catch (e) {
            showError(e);
            onError?.(e as Error);
          } finally {
            setUploading(false);
          }
        }}
      >
        <Button icon={<UploadOutlined />} loading={uploading} data-testid="action-upload" style={{ marginBottom: 16 }}>
          {t('case.upload')}
        </Button>
      </Upload>
    </>
  );
}

/** Another open case of the same 小类 to fold this report into. */
function MergeFields({ detail }: { detail: TCaseDetail }) {
  const { t } = useI18n();
  const candidates = useQuery({
    queryKey: ['cases', 'merge-targets', detail.id],
    queryFn: () => caseApi.list({ categoryId: detail.categoryId, state: openCaseStates.join(',') }, 100),
  });
  const options = (candidates.data?.items ?? [])
    .filter((c) => c.id !== detail.id)
    .map((c) => ({ value: c.id, label: `${c.number} · ${c.title}` }));
  return (
    <Form.Item
      name="intoId"
      label={t('case.input.mergeInto')}
      extra={t('case.input.mergeHint')}
      rules={[{ required: true, message: t('form.required') }]}
    >
      <Select
        options={options}
        loading={candidates.isPending}
        showSearch={{ optionFilterProp: 'label' }}
        data-testid="action-merge-target"
      />
    </Form.Item>
  );
}
