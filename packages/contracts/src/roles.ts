import { z } from 'zod';

/** The roles of DOMAIN.md. English identifiers in code, Chinese labels in the UI. */
export const roles = [
  'resident',
  'building_head',
  'grid_manager',
  'front_desk',
  'community_worker',
  'community_leader',
  'street_staff',
  'department_staff',
  'leader',
  'supervisor',
  'volunteer',
  'party_member',
  'deputy',
  'system_admin',
  'security_admin',
  'audit_admin',
] as const;
export type Role = (typeof roles)[number];
export const ZRole = z.enum(roles);

/** 三权分立: no account may hold two of these. */
export const adminRoles = ['system_admin', 'security_admin', 'audit_admin'] as const satisfies readonly Role[];
export type AdminRole = (typeof adminRoles)[number];
export const isAdminRole = (r: Role): r is AdminRole => (adminRoles as readonly Role[]).includes(r);

export const roleLabels: Record<Role, { zh: string; en: string }> = {
  resident: { zh: '居民', en: 'Resident' },
  building_head: { zh: '楼栋长', en: 'Building head' },
  grid_manager: { zh: '网格员', en: 'Grid manager' },
  front_desk: { zh: '窗口受理员', en: 'Front-desk clerk' },
  community_worker: { zh: '社区工作者', en: 'Community worker' },
  community_leader: { zh: '社区书记/主任', en: 'Community leader' },
  street_staff: { zh: '街道工作人员', en: 'Street staff' },
  department_staff: { zh: '部门工作人员', en: 'Department staff' },
  leader: { zh: '领导', en: 'Leader' },
  supervisor: { zh: '居民监督委员', en: 'Resident supervisor' },
  volunteer: { zh: '志愿者', en: 'Volunteer' },
  party_member: { zh: '党员', en: 'Party member' },
  deputy: { zh: '人大代表', en: 'Deputy' },
  system_admin: { zh: '系统管理员', en: 'System administrator' },
  security_admin: { zh: '安全管理员', en: 'Security administrator' },
  audit_admin: { zh: '审计管理员', en: 'Audit administrator' },
};

/** Session idle limits in minutes (SECURITY.md AU-6). */
export const idleMinutesFor = (rolesHeld: readonly Role[]): number => {
  if (rolesHeld.some(isAdminRole)) return 10;
  if (rolesHeld.length > 0 && rolesHeld.every((r) => r === 'resident')) return 30;
  return 15;
};
export const ABSOLUTE_SESSION_HOURS = 12;
