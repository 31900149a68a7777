import { adminRoles, isAdminRole, type Role, roles } from '@jiayuan/contracts';
import { Select } from 'antd';
import { useI18n } from '../../app/i18n.tsx';

export function RoleSelect({
  value,
  onChange,
  id,
  testId,
}: {
  value?: Role[];
  onChange?: (v: Role[]) => void;
  id?: string;
  testId?: string;
}) {
  const { t, roleLabel } = useI18n();
  const chosenAdmin = (value ?? []).find(isAdminRole);
  const opt = (r: Role) => ({
    value: r,
    label: roleLabel(r),
    // 三权分立: once one admin role is chosen the other two are greyed out
    disabled: isAdminRole(r) && !!chosenAdmin && chosenAdmin !== r,
  });
  return (
    <div data-testid={testId}>
      <Select<Role[]>
        id={id}
        mode="multiple"
        value={value}
        onChange={(v) => onChange?.(v)}
        placeholder={t('users.rolesPlaceholder')}
        showSearch={{ optionFilterProp: 'label' }}
        style={{ width: '100%' }}
        options={[
          { label: t('users.roleGroup.work'), options: roles.filter((r) => !isAdminRole(r)).map(opt) },
          { label: t('users.roleGroup.admin'), options: adminRoles.map(opt) },
        ]}
      />
    </div>
  );
}

/** Form rule: at most one of the three administrator roles. */
export const adminExclusiveRule = (message: string) => ({
  validator: (_: unknown, v: Role[] | undefined) =>
    (v ?? []).filter(isAdminRole).length > 1 ? Promise.reject(new Error(message)) : Promise.resolve(),
});

export const isStaff = (rs: readonly Role[] | undefined) => (rs ?? []).some((r) => r !== 'resident');
