import { adminRoles, type Role, roles } from '@jiayuan/contracts';
import { AppError } from '../../shared/app-error.ts';
import { type Actor, isWithin } from '../../shared/context.ts';

const staff: Role[] = roles.filter((r) => r !== 'resident');
/** Roles that work with residents' personal data. The three admin roles are never among them (三权分立). */
const personalDataRoles: Role[] = staff.filter((r) => !(adminRoles as readonly Role[]).includes(r));

/** Every action of the system and the roles allowed to do it. Scope is checked separately, on the resource. */
export const permissions = {
  'jurisdiction.read': staff,
  'jurisdiction.manage': ['system_admin'],
  'user.read': ['security_admin', 'system_admin'],
  'user.manage': ['security_admin'],
  'user.lifecycle': ['security_admin', 'system_admin'],
  'audit.read': ['audit_admin'],
  'person.read': personalDataRoles,
  // Cases (grid events). Admin roles hold none of the case-reading ones: they never see reporters' personal data.
  'case.report': [
    'resident',
    'building_head',
    'grid_manager',
    'front_desk',
    'community_worker',
    'community_leader',
    'street_staff',
  ],
  'case.read': ['grid_manager', 'front_desk', 'community_worker', 'community_leader', 'street_staff', 'leader'],
  'case.indicators': [
    'grid_manager',
    'community_worker',
    'community_leader',
    'street_staff',
    'department_staff',
    'leader',
    'supervisor',
  ],
  'case.category.read': roles,
  'case.category.manage': ['community_leader', 'street_staff', 'leader'],
  'case.category.manage_global': ['system_admin'],
  'case.department.manage': ['community_leader', 'street_staff', 'leader', 'system_admin'],
  'case.calendar.manage': ['system_admin'],
  /** Open311 API keys of integrating parties (modules/open311): issued and revoked by the system administrator. */
  'open311.key.manage': ['system_admin'],
  'fieldwork.record': ['grid_manager', 'building_head'],
  'fieldwork.read': ['grid_manager', 'building_head', 'community_worker', 'community_leader', 'street_staff', 'leader'],
  // Registry of places, organisations and people (modules/registry). 'person.read' above stays the broad "may see
  // masked personal data" gate; browsing the population registry needs 'resident.read', held by the roles that keep
  // it. Grid managers and building heads are further limited to their assigned grids and buildings.
  'resident.read': ['building_head', 'grid_manager', 'front_desk', 'community_worker', 'community_leader'],
  'person.write': ['building_head', 'grid_manager', 'community_worker', 'community_leader'],
  'person.reveal': ['community_worker', 'community_leader', 'grid_manager', 'front_desk'],
  /** Care tags are sensitive (health, disability, justice): not for building heads, who are usually neighbours. */
  'person.care': ['grid_manager', 'community_worker', 'community_leader'],
  'place.read': personalDataRoles,
  'place.write': ['grid_manager', 'community_worker', 'community_leader'],
  'org.read': [
    'building_head',
    'grid_manager',
    'front_desk',
    'community_worker',
    'community_leader',
    'street_staff',
    'department_staff',
  ],
  'org.write': ['grid_manager', 'community_worker', 'community_leader'],
  'grid.assign': ['community_worker', 'community_leader'],
  /** Drawing a community's grid boundaries; 'jurisdiction.manage' (system admin) may import them too. */
  'grid.boundary': ['community_leader'],
  /** Approving an unmasked bulk export of the population ledger (SECURITY.md PI-4); never one's own request. */
  'export.approve': ['community_leader'],
} as const satisfies Record<string, readonly Role[]>;
export type Action = keyof typeof permissions;

export type ScopedResource = { path: string };

/**
 * The one policy function. True when one of the actor's roles may take the action and, for a resource, the
 * resource lies in the actor's jurisdiction subtree.
 */
export function can(actor: Actor | null, action: Action, resource?: ScopedResource): boolean {
  if (!actor) return false;
  const allowed = permissions[action] as readonly Role[];
  if (!actor.roles.some((r) => allowed.includes(r))) return false;
  if (resource && !isWithin(resource.path, actor.scopePath)) return false;
  return true;
}

/**
 * Throws when `can` says no: 404 when the resource is out of scope (its existence does not leak), 403 when the
 * role may not take the action at all.
 */
export function authorize(
  actor: Actor | null,
  action: Action,
  resource?: ScopedResource,
  notFoundCode = 'NOT_FOUND',
): void {
  if (!actor) throw new AppError('unauthenticated', 'AUTH_REQUIRED');
  const allowed = permissions[action] as readonly Role[];
  if (!actor.roles.some((r) => allowed.includes(r))) throw new AppError('forbidden', 'ACCESS_FORBIDDEN');
  if (resource && !isWithin(resource.path, actor.scopePath)) throw new AppError('not_found', notFoundCode);
}

export const requiresMfa = (rolesHeld: readonly Role[], mfaRequired: boolean): boolean =>
  mfaRequired || rolesHeld.some((r) => (adminRoles as readonly Role[]).includes(r));

export const isStaff = (rolesHeld: readonly Role[]): boolean => rolesHeld.some((r) => r !== 'resident');
