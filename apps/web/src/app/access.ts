import type { Role, TSessionUser } from '@jiayuan/contracts';

type Who = Pick<TSessionUser, 'roles'> | null | undefined;

const has = (u: Who, ...roles: Role[]) => !!u && u.roles.some((r) => roles.includes(r));

/** Page-level access, mirroring the server's rules (the server is the authority; this only shapes the UI). */
export const access = {
  /** Every role except plain residents works with the jurisdiction tree. */
  jurisdictions: (u: Who) => !!u && u.roles.some((r) => r !== 'resident'),
  editJurisdictions: (u: Who) => has(u, 'system_admin'),
  viewUsers: (u: Who) => has(u, 'security_admin', 'system_admin'),
  manageUsers: (u: Who) => has(u, 'security_admin'),
  audit: (u: Who) => has(u, 'audit_admin'),
};

export type PageKey = 'jurisdictions' | 'viewUsers' | 'audit';
