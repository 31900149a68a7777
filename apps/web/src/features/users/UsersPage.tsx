import { DownOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { TUserView } from '@jiayuan/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  type ButtonProps,
  Card,
  Dropdown,
  Grid,
  Input,
  type MenuProps,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useState } from 'react';
import { userApi } from '../../api/endpoints.ts';
import { access } from '../../app/access.ts';
import { type MessageKey, useI18n } from '../../app/i18n.tsx';
import { showSuccess } from '../../app/notify.ts';
import { useUser } from '../../app/session.tsx';
import { CreateUserDialog, ResetPasswordDialog, RolesDialog } from './UserDialogs.tsx';

type Dialog = { kind: 'create' } | { kind: 'roles'; user: TUserView } | { kind: 'password'; user: TUserView } | null;
type SimpleAction = 'unlock' | 'disable' | 'enable' | 'resetMfa';

const isLocked = (u: TUserView) => !!u.lockedUntil && dayjs(u.lockedUntil).isAfter(dayjs());
const fmt = (at: string | null) => (at ? dayjs(at).format('YYYY-MM-DD HH:mm') : '—');

export default function UsersPage() {
  const { t, roleLabel } = useI18n();
  const me = useUser();
  const canManage = access.manageUsers(me);
  const { modal } = App.useApp();
  const wide = Grid.useBreakpoint().md ?? true;
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [dialog, setDialog] = useState<Dialog>(null);

  const list = useQuery({
    queryKey: ['users', q, page, pageSize],
    queryFn: () => userApi.list({ q: q || undefined, limit: pageSize, offset: (page - 1) * pageSize }),
    placeholderData: keepPreviousData,
  });

  const simple = useMutation({
    mutationFn: ({ action, user }: { action: SimpleAction; user: TUserView }) =>
      action === 'unlock'
        ? userApi.unlock(user.id)
        : action === 'disable'
          ? userApi.disable(user.id)
          : action === 'enable'
            ? userApi.enable(user.id)
            : userApi.resetMfa(user.id),
    onSuccess: async () => {
      showSuccess(t('common.done'));
      await qc.invalidateQueries({ queryKey: ['users'] });
    },
  });

  const confirm = (action: SimpleAction, user: TUserView) => {
    const titles: Record<SimpleAction, MessageKey> = {
      unlock: 'users.confirm.unlock',
      disable: 'users.confirm.disable',
      enable: 'users.confirm.enable',
      resetMfa: 'users.confirm.resetMfa',
    };
    const bodies: Record<SimpleAction, MessageKey> = {
      unlock: 'users.confirmBody.unlock',
      disable: 'users.confirmBody.disable',
      enable: 'users.confirmBody.enable',
      resetMfa: 'users.confirmBody.resetMfa',
    };
    void modal.confirm({
      title: t(titles[action], { name: `${user.displayName}（${user.username}）` }),
      content: t(bodies[action]),
      okButtonProps: {
        danger: action === 'disable' || action === 'resetMfa',
        'data-testid': 'confirm-ok',
      } as ButtonProps,
      onOk: () => simple.mutateAsync({ action, user }).catch(() => undefined),
    });
  };

  const actionsFor = (u: TUserView): MenuProps['items'] => {
    const self = u.id === me.id;
    return [
      { key: 'roles', label: t('users.action.roles'), disabled: self },
      ...(isLocked(u) ? [{ key: 'unlock', label: t('users.action.unlock') }] : []),
      u.status === 'active'
        ? { key: 'disable', label: t('users.action.disable'), danger: true, disabled: self }
        : { key: 'enable', label: t('users.action.enable'), disabled: self },
      { key: 'resetMfa', label: t('users.action.resetMfa'), disabled: !u.mfaEnabled },
      { key: 'password', label: t('users.action.resetPassword') },
    ];
  };

  const onAction = (key: string, u: TUserView) => {
    if (key === 'roles') setDialog({ kind: 'roles', user: u });
    else if (key === 'password') setDialog({ kind: 'password', user: u });
    else confirm(key as SimpleAction, u);
  };

  const columns: ColumnsType<TUserView> = [
    {
      title: t('users.username'),
      dataIndex: 'username',
      fixed: wide ? 'left' : undefined,
      width: 190,
      render: (v: string) => (
        <Typography.Text strong className="jy-nowrap">
          {v}
        </Typography.Text>
      ),
    },
    { title: t('users.displayName'), dataIndex: 'displayName', width: 110 },
    {
      title: t('users.roles'),
      dataIndex: 'roles',
      width: 180,
      render: (_, u) => (
        <span className="jy-tags">
          {u.roles.map((r) => (
            <Tag key={r} color={r.endsWith('_admin') ? 'purple' : 'blue'}>
              {roleLabel(r)}
            </Tag>
          ))}
        </span>
      ),
    },
    {
      title: t('users.jurisdiction'),
      key: 'jurisdiction',
      width: 130,
      render: (_, u) => (
        <Tooltip title={u.jurisdiction.code}>
          <span>{u.jurisdiction.name}</span>
        </Tooltip>
      ),
    },
    {
      title: t('users.status'),
      key: 'status',
      width: 130,
      render: (_, u) => (
        <span className="jy-tags">
          {u.status === 'active' ? (
            <Tag color="green">{t('users.status.active')}</Tag>
          ) : (
            <Tag color="default">{t('users.status.disabled')}</Tag>
          )}
          {isLocked(u) && (
            <Tooltip title={t('users.lockedUntil', { at: fmt(u.lockedUntil) })}>
              <Tag color="orange">{t('users.status.locked')}</Tag>
            </Tooltip>
          )}
        </span>
      ),
    },
    {
      title: t('users.mfa'),
      key: 'mfa',
      width: 90,
      render: (_, u) =>
        u.mfaEnabled ? (
          <Tag color="green">{t('users.mfa.on')}</Tag>
        ) : u.mfaRequired ? (
          <Tag color="gold">{t('users.mfa.pending')}</Tag>
        ) : (
          <Tag>{t('users.mfa.off')}</Tag>
        ),
    },
    { title: t('users.lastLogin'), dataIndex: 'lastLoginAt', width: 150, render: (v: string | null) => fmt(v) },
    {
      title: t('users.createdAt'),
      dataIndex: 'createdAt',
      width: 110,
      render: (v: string) => (
        <Tooltip title={fmt(v)}>
          <span>{dayjs(v).format('YYYY-MM-DD')}</span>
        </Tooltip>
      ),
    },
  ];
  if (canManage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: 100,
      render: (_, u) => (
        <Dropdown menu={{ items: actionsFor(u), onClick: ({ key }) => onAction(key, u) }} trigger={['click']}>
          <Button size="small" data-testid={`user-actions-${u.username}`}>
            {t('common.actions')} <DownOutlined />
          </Button>
        </Dropdown>
      ),
    });
  }

  return (
    <div className="jy-page" data-testid="users-page">
      <Typography.Title level={4} className="jy-page-title">
        {t('nav.users')}
      </Typography.Title>
      {canManage ? (
        <Alert
          type="info"
          showIcon
          className="jy-page-alert"
          title={t('users.separationTitle')}
          description={
            <>
              <div>{t('users.separationHint')}</div>
              <div>{t('password.rule')}</div>
            </>
          }
          closable
        />
      ) : (
        <Alert type="info" showIcon className="jy-page-alert" title={t('users.readOnly')} />
      )}
      <Card>
        <div className="jy-toolbar">
          <Input.Search
            allowClear
            placeholder={t('users.search')}
            onSearch={(v) => {
              setQ(v.trim());
              setPage(1);
            }}
            style={{ maxWidth: 320 }}
            data-testid="users-search"
          />
          <Space wrap>
            <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} aria-label={t('common.refresh')} />
            {canManage && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setDialog({ kind: 'create' })}
                data-testid="users-create"
              >
                {t('users.create')}
              </Button>
            )}
          </Space>
        </div>
        <Table<TUserView>
          data-testid="users-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          scroll={{ x: 1100 }}
          pagination={{
            current: page,
            pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [10, 20, 50, 100],
            showTotal: (total) => t('common.total', { total }),
            onChange: (p, s) => {
              setPage(s !== pageSize ? 1 : p);
              setPageSize(s);
            },
          }}
        />
      </Card>
      {dialog?.kind === 'create' && <CreateUserDialog onClose={() => setDialog(null)} />}
      {dialog?.kind === 'roles' && <RolesDialog user={dialog.user} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'password' && <ResetPasswordDialog user={dialog.user} onClose={() => setDialog(null)} />}
    </div>
  );
}
