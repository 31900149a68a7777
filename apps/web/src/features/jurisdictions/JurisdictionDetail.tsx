import { DeleteOutlined, DragOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { codeLengthFor, type JurisdictionLevel, jurisdictionLevels, type TJurisdictionNode } from '@jiayuan/contracts';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Form, Input, Modal, Select, Space, Spin, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { jurisdictionApi } from '../../api/endpoints.ts';
import { access } from '../../app/access.ts';
import { useI18n } from '../../app/i18n.tsx';
import { showSuccess } from '../../app/notify.ts';
import { useUser } from '../../app/session.tsx';
import { LevelTag, RetiredTag } from './NodeTitle.tsx';

type Props = {
  id: string;
  /** what the tree already knows, shown while the detail loads */
  fallback: TJurisdictionNode | undefined;
  parent: TJurisdictionNode | undefined;
  onChanged: (node?: TJurisdictionNode) => Promise<void>;
  onCreated: (parentId: string) => Promise<void>;
};

type Dialog = 'add' | 'rename' | 'move' | 'retire' | null;

export const childLevelOf = (level: JurisdictionLevel): JurisdictionLevel | null => {
  const i = jurisdictionLevels.indexOf(level);
  return jurisdictionLevels[i + 1] ?? null;
};

export function JurisdictionDetail({ id, fallback, parent, onChanged, onCreated }: Props) {
  const { t, levelLabel } = useI18n();
  const user = useUser();
  const canEdit = access.editJurisdictions(user);
  const [dialog, setDialog] = useState<Dialog>(null);

  const detail = useQuery({ queryKey: ['jurisdiction', id], queryFn: () => jurisdictionApi.get(id) });
  const node = detail.data ?? fallback;
  const parentId = node?.parentId ?? null;
  // the parent may not be loaded in the tree (e.g. after a move): ask for it
  const parentQuery = useQuery({
    queryKey: ['jurisdiction', parentId],
    queryFn: () => jurisdictionApi.get(parentId ?? ''),
    enabled: !!parentId && parent?.id !== parentId,
    meta: { silent: true },
  });
  const parentNode = parent?.id === parentId ? parent : parentQuery.data;

  if (!node) {
    return (
      <Card>
        <div className="jy-page-spin">
          <Spin />
        </div>
      </Card>
    );
  }

  const retired = node.status === 'retired';
  const childLevel = childLevelOf(node.level);
  const close = () => setDialog(null);

  return (
    <Card
      data-testid="jurisdiction-detail"
      title={
        <Space size="small" wrap>
          <span>{node.name}</span>
          <LevelTag level={node.level} />
          {retired && <RetiredTag />}
        </Space>
      }
      loading={detail.isPending && !fallback}
    >
      <Descriptions
        column={{ xs: 1, sm: 1, md: 2 }}
        size="small"
        bordered
        items={[
          { key: 'name', label: t('jur.name'), children: node.name },
          { key: 'code', label: t('jur.code'), children: <Typography.Text copyable>{node.code}</Typography.Text> },
          { key: 'level', label: t('jur.level'), children: levelLabel(node.level) },
          {
            key: 'status',
            label: t('jur.status'),
            children: retired ? t('jur.status.retired') : t('jur.status.active'),
          },
          {
            key: 'parent',
            label: t('jur.parent'),
            children: parentNode ? `${parentNode.name} · ${parentNode.code}` : '—',
          },
          { key: 'children', label: t('jur.childCount'), children: node.childCount },
          { key: 'path', label: t('jur.path'), span: 'filled', children: <code className="jy-path">{node.path}</code> },
          ...(node.retiredAt
            ? [
                {
                  key: 'retiredAt',
                  label: t('jur.retiredAt'),
                  children: dayjs(node.retiredAt).format('YYYY-MM-DD HH:mm'),
                },
              ]
            : []),
        ]}
      />

      {canEdit && !retired && (
        <Space wrap style={{ marginTop: 16 }}>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            disabled={!childLevel}
            onClick={() => setDialog('add')}
            data-testid="jur-add-child"
          >
            {t('jur.addChild')}
          </Button>
          <Button icon={<EditOutlined />} onClick={() => setDialog('rename')} data-testid="jur-rename">
            {t('jur.rename')}
          </Button>
          <Button
            icon={<DragOutlined />}
            disabled={!node.parentId}
            onClick={() => setDialog('move')}
            data-testid="jur-move"
          >
            {t('jur.move')}
          </Button>
          <Button danger icon={<DeleteOutlined />} onClick={() => setDialog('retire')} data-testid="jur-retire">
            {t('jur.retire')}
          </Button>
        </Space>
      )}
      {canEdit && !childLevel && !retired && (
        <Typography.Paragraph type="secondary" className="jy-hint" style={{ marginTop: 8 }}>
          {t('jur.gridNoChildren')}
        </Typography.Paragraph>
      )}
      {!canEdit && (
        <Typography.Paragraph type="secondary" className="jy-hint" style={{ marginTop: 16, marginBottom: 0 }}>
          {t('jur.readOnly')}
        </Typography.Paragraph>
      )}

      {dialog === 'add' && childLevel && (
        <AddChildDialog parent={node} childLevel={childLevel} onClose={close} onDone={() => onCreated(node.id)} />
      )}
      {dialog === 'rename' && <RenameDialog node={node} onClose={close} onDone={onChanged} />}
      {dialog === 'move' && <MoveDialog node={node} onClose={close} onDone={onChanged} />}
      {dialog === 'retire' && <RetireDialog node={node} onClose={close} onDone={onChanged} />}
    </Card>
  );
}

/** Children codes extend the parent code, except districts, which share the city's 4-digit prefix. */
const codePrefix = (parent: TJurisdictionNode, childLevel: JurisdictionLevel) =>
  codeLengthFor[childLevel] > parent.code.length ? parent.code : parent.code.slice(0, 4);

function AddChildDialog({
  parent,
  childLevel,
  onClose,
  onDone,
}: {
  parent: TJurisdictionNode;
  childLevel: JurisdictionLevel;
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  const { t, levelLabel } = useI18n();
  const [form] = Form.useForm<{ code: string; name: string }>();
  const length = codeLengthFor[childLevel];
  const prefix = codePrefix(parent, childLevel);
  const create = useMutation({
    mutationFn: (v: { code: string; name: string }) =>
      jurisdictionApi.create({ parentId: parent.id, code: v.code.trim(), name: v.name.trim() }),
    onSuccess: async () => {
      showSuccess(t('common.saved'));
      onClose();
      await onDone();
    },
  });
  return (
    <Modal
      open
      title={t('jur.addChildTitle', { parent: parent.name, level: levelLabel(childLevel) })}
      okText={t('common.create')}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        name="jur-add"
        initialValues={{ code: prefix, name: '' }}
        onFinish={(v) => create.mutate(v)}
      >
        <Form.Item
          name="code"
          label={t('jur.code')}
          extra={t('jur.codeHint', { length, prefix })}
          rules={[
            { required: true, message: t('form.required') },
            { pattern: new RegExp(`^\\d{${length}}$`), message: t('jur.codeLength', { length }) },
          ]}
        >
          <Input maxLength={length} inputMode="numeric" data-testid="jur-code" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('jur.name')}
          rules={[{ required: true, whitespace: true, message: t('form.required') }, { max: 60 }]}
        >
          <Input maxLength={60} data-testid="jur-name" autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type EditProps = { node: TJurisdictionNode; onClose: () => void; onDone: (node?: TJurisdictionNode) => Promise<void> };

function RenameDialog({ node, onClose, onDone }: EditProps) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ name: string }>();
  const rename = useMutation({
    mutationFn: (name: string) => jurisdictionApi.rename(node.id, name.trim()),
    onSuccess: async (updated) => {
      showSuccess(t('common.saved'));
      onClose();
      await onDone(updated?.id ? updated : undefined);
    },
  });
  return (
    <Modal
      open
      title={t('jur.renameTitle', { name: node.name })}
      onOk={() => form.submit()}
      confirmLoading={rename.isPending}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        name="jur-rename"
        initialValues={{ name: node.name }}
        onFinish={(v) => rename.mutate(v.name)}
      >
        <Form.Item
          name="name"
          label={t('jur.newName')}
          rules={[{ required: true, whitespace: true, message: t('form.required') }, { max: 60 }]}
        >
          <Input maxLength={60} autoFocus data-testid="jur-new-name" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function MoveDialog({ node, onClose, onDone }: EditProps) {
  const { t, levelLabel } = useI18n();
  const [target, setTarget] = useState<string | undefined>();
  const targets = useQuery({
    queryKey: ['jurisdiction', node.id, 'move-targets'],
    queryFn: () => jurisdictionApi.moveTargets(node.id),
    staleTime: 0,
  });
  const move = useMutation({
    mutationFn: (newParentId: string) => jurisdictionApi.move(node.id, newParentId),
    onSuccess: async (updated) => {
      showSuccess(t('jur.moved'));
      onClose();
      await onDone(updated?.id ? updated : undefined);
    },
  });
  const options = (targets.data?.items ?? [])
    .filter((n) => n.id !== node.parentId)
    .map((n) => ({ value: n.id, label: `${n.name} · ${n.code} · ${levelLabel(n.level)}` }));
  return (
    <Modal
      open
      title={t('jur.moveTitle', { name: node.name })}
      okText={t('jur.move')}
      okButtonProps={{ disabled: !target }}
      onOk={() => target && move.mutate(target)}
      confirmLoading={move.isPending}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('jur.moveHint')}</Typography.Paragraph>
      <Select
        style={{ width: '100%' }}
        placeholder={t('jur.moveTarget')}
        loading={targets.isPending}
        options={options}
        value={target}
        onChange={setTarget}
        showSearch={{ optionFilterProp: 'label' }}
        notFoundContent={targets.isPending ? <Spin size="small" /> : t('jur.noTargets')}
        data-testid="jur-move-target"
      />
    </Modal>
  );
}

function RetireDialog({ node, onClose, onDone }: EditProps) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ reason: string }>();
  const retire = useMutation({
    mutationFn: (reason: string) => jurisdictionApi.retire(node.id, reason.trim()),
    onSuccess: async (updated) => {
      showSuccess(t('jur.retiredDone'));
      onClose();
      await onDone(updated?.id ? updated : undefined);
    },
  });
  return (
    <Modal
      open
      title={t('jur.retireTitle', { name: node.name })}
      okText={t('jur.retire')}
      okButtonProps={{ danger: true }}
      onOk={() => form.submit()}
      confirmLoading={retire.isPending}
      onCancel={onClose}
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={t('jur.retireWarning')} style={{ marginBottom: 16 }} />
      <Form form={form} layout="vertical" name="jur-retire" onFinish={(v) => retire.mutate(v.reason)}>
        <Form.Item
          name="reason"
          label={t('jur.reason')}
          rules={[{ required: true, whitespace: true, message: t('form.required') }, { max: 500 }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount autoFocus data-testid="jur-retire-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
