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
