import { ThunderboltOutlined } from '@ant-design/icons';
import type { Role, TUserView } from '@jiayuan/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import { type CreateUserBody, userApi } from '../../api/endpoints.ts';
import { useI18n } from '../../app/i18n.tsx';
import { showSuccess } from '../../app/notify.ts';
import { generatePassword, meetsStaffRule } from '../../app/password.ts';
import { JurisdictionPicker } from '../jurisdictions/JurisdictionPicker.tsx';
import { adminExclusiveRule, isStaff, RoleSelect } from './RoleSelect.tsx';

const useInvalidateUsers = () => {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: ['users'] });
};

/** Password input with a "generate" button; the generated password is shown so it can be handed over. */
function PasswordField({
  value,
  onChange,
  id,
  testId,
}: {
  value?: string;
  onChange?: (v: string) => void;
  id?: string;
  testId: string;
}) {
  const { t } = useI18n();
  const [generated, setGenerated] = useState<string | null>(null);
  return (
    <>
      <Space.Compact style={{ width: '100%' }}>
        <Input.Password
          id={id}
          value={value}
          onChange={(e) => onChange?.(e.target.value)}
          autoComplete="new-password"
          maxLength={256}
          data-testid={testId}
        />
        <Button
          icon={<ThunderboltOutlined />}
          onClick={() => {
            const pw = generatePassword();
            onChange?.(pw);
            setGenerated(pw);
          }}
          data-testid={`${testId}-generate`}
        >
          {t('users.generate')}
        </Button>
      </Space.Compact>
      {generated && generated === value && (
        <Typography.Paragraph type="secondary" className="jy-hint" style={{ marginTop: 4, marginBottom: 0 }}>
          {t('users.generated')}{' '}
          <Typography.Text code copyable>
            {generated}
          </Typography.Text>
        </Typography.Paragraph>
      )}
    </>
  );
}

const passwordRules = (t: (k: 'form.required' | 'password.weak') => string, staff: () => boolean) => [
  { required: true, message: t('form.required') },
  {
    validator: (_: unknown, v: string | undefined) =>
      !v || !staff() || meetsStaffRule(v) ? Promise.resolve() : Promise.reject(new Error(t('password.weak'))),
  },
];

type CreateForm = CreateUserBody & { mfaRequired: boolean };

export function CreateUserDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<CreateForm>();
  const invalidate = useInvalidateUsers();
  const create = useMutation({
    mutationFn: (v: CreateForm) =>
      userApi.create({
        username: v.username.trim(),
        displayName: v.displayName.trim(),
        roles: v.roles,
        jurisdictionId: v.jurisdictionId,
        password: v.password,
        ...(form.isFieldTouched('mfaRequired') ? { mfaRequired: v.mfaRequired } : {}),
      }),
    onSuccess: async () => {
      showSuccess(t('users.created'));
      onClose();
      await invalidate();
    },
  });
  return (
    <Modal
      open
      title={t('users.create')}
      okText={t('common.create')}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      onCancel={onClose}
      destroyOnHidden
      width={560}
    >
      <Form
        form={form}
        name="user-create"
        layout="vertical"
        initialValues={{ roles: [], mfaRequired: false }}
        onFinish={(v) => create.mutate(v)}
      >
        <Form.Item
          name="username"
          label={t('users.username')}
          extra={t('users.usernameHint')}
          rules={[
            { required: true, message: t('form.required') },
            { pattern: /^[a-zA-Z0-9_.-]{3,64}$/, message: t('users.usernameFormat') },
          ]}
        >
          <Input maxLength={64} autoComplete="off" data-testid="user-username" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('users.displayName')}
          rules={[{ required: true, whitespace: true, message: t('form.required') }, { max: 60 }]}
        >
          <Input maxLength={60} data-testid="user-display-name" />
        </Form.Item>
        <Form.Item
          name="roles"
          label={t('users.roles')}
          rules={[
            { required: true, type: 'array', min: 1, message: t('users.rolesRequired') },
            adminExclusiveRule(t('users.adminExclusive')),
          ]}
        >
          <RoleSelect testId="user-roles" />
        </Form.Item>
        <Form.Item
          name="jurisdictionId"
          label={t('users.jurisdiction')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <JurisdictionPicker testId="user-jurisdiction" />
        </Form.Item>
        <Form.Item
          label={t('users.initialPassword')}
          extra={t('password.rule')}
          name="password"
          dependencies={['roles']}
          rules={passwordRules(t, () => isStaff(form.getFieldValue('roles') as Role[] | undefined))}
        >
          <PasswordField testId="user-password" />
        </Form.Item>
        <Form.Item
          name="mfaRequired"
          label={t('users.mfaRequired')}
          valuePropName="checked"
          extra={t('users.mfaRequiredHint')}
        >
          <Switch data-testid="user-mfa-required" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function RolesDialog({ user, onClose }: { user: TUserView; onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ roles: Role[] }>();
  const invalidate = useInvalidateUsers();
  const save = useMutation({
    mutationFn: (roles: Role[]) => userApi.setRoles(user.id, roles),
    onSuccess: async () => {
      showSuccess(t('common.saved'));
      onClose();
      await invalidate();
    },
  });
  return (
    <Modal
      open
      title={t('users.setRolesTitle', { name: user.displayName })}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      onCancel={onClose}
      destroyOnHidden
    >
      <Alert type="info" showIcon title={t('users.separationHint')} style={{ marginBottom: 16 }} />
      <Form
        form={form}
        name="user-roles"
        layout="vertical"
        initialValues={{ roles: user.roles }}
        onFinish={(v) => save.mutate(v.roles)}
      >
        <Form.Item
          name="roles"
          label={t('users.roles')}
          rules={[
            { required: true, type: 'array', min: 1, message: t('users.rolesRequired') },
            adminExclusiveRule(t('users.adminExclusive')),
          ]}
        >
          <RoleSelect testId="user-roles-edit" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function ResetPasswordDialog({ user, onClose }: { user: TUserView; onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ password: string }>();
  const invalidate = useInvalidateUsers();
  const reset = useMutation({
    mutationFn: (password: string) => userApi.resetPassword(user.id, password),
    onSuccess: async () => {
      showSuccess(t('users.passwordReset'));
      onClose();
      await invalidate();
    },
  });
  return (
    <Modal
      open
      title={t('users.resetPasswordTitle', { name: user.displayName })}
      onOk={() => form.submit()}
      confirmLoading={reset.isPending}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('users.resetPasswordHint')}</Typography.Paragraph>
      <Form form={form} name="user-reset-password" layout="vertical" onFinish={(v) => reset.mutate(v.password)}>
        <Form.Item
          name="password"
          label={t('users.newPassword')}
          extra={t('password.rule')}
          rules={passwordRules(t, () => isStaff(user.roles))}
        >
          <PasswordField testId="user-new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
