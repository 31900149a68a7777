import type { Role, TSessionUser } from '@jiayuan/contracts';

type Who = Pick<TSessionUser, 'roles'> | null | undefined;

const has = (u: Who, ...roles: Role[]) => !!u && u.roles.some((r) => roles.includes(r));

const admins: Role[] = ['system_admin', 'security_admin', 'audit_admin'];
/** Staff other than the three administrators: the roles that work with (masked) personal data ('person.read'). */
const personalData = (u: Who) => !!u && u.roles.some((r) => r !== 'resident' && !admins.includes(r));

/**
 * Page-level access, mirroring the server's rules (apps/server/src/modules/identity/identity.policy.ts; the server is
 * the authority, this only shapes the UI).
 */
export const access = {
  /** Every role except plain residents works with the jurisdiction tree. */
  jurisdictions: (u: Who) => !!u && u.roles.some((r) => r !== 'resident'),
  editJurisdictions: (u: Who) => has(u, 'system_admin'),
  viewUsers: (u: Who) => has(u, 'security_admin', 'system_admin'),
  manageUsers: (u: Who) => has(u, 'security_admin'),
  audit: (u: Who) => has(u, 'audit_admin'),

  // ---- registry (人、地、房、户) ----
  /** 'place.read' or 'resident.read': the registry browser. */
  registry: (u: Who) => personalData(u),
  /** 'resident.read': residents and households (grid managers and building heads: their grids and buildings). */
  residents: (u: Who) => has(u, 'building_head', 'grid_manager', 'front_desk', 'community_worker', 'community_leader'),
  /** 'person.write': register and change residents. */
  writeResidents: (u: Who) => has(u, 'building_head', 'grid_manager', 'community_worker', 'community_leader'),
  /** 'person.reveal': see a full ID number or phone, with a reason (50 a day). */
  reveal: (u: Who) => has(u, 'community_worker', 'community_leader', 'grid_manager', 'front_desk'),
  /** 'person.care': care tags (sensitive). */
  careTags: (u: Who) => has(u, 'grid_manager', 'community_worker', 'community_leader'),
  /** 'org.read': organisations (实有单位). */
  organisations: (u: Who) =>
    has(
      u,
      'building_head',
      'grid_manager',
      'front_desk',
      'community_worker',
      'community_leader',
      'street_staff',
      'department_staff',
    ),
  /** The grid map: boundaries for every staff role ('jurisdiction.read'); layers by their own permissions. */
  map: (u: Who) => !!u && u.roles.some((r) => r !== 'resident'),
  /** 'place.read': buildings on the map. */
  places: (u: Who) => personalData(u),
  /** 'grid.boundary' or 'jurisdiction.manage': import grid boundaries. */
  importBoundaries: (u: Who) => has(u, 'community_leader', 'system_admin'),

  // ---- cases (网格事件) ----
  /** 'case.read' (the cases of the subtree); department staff and building heads see the cases they are part of. */
  cases: (u: Who) =>
    has(
      u,
      'grid_manager',
      'front_desk',
      'community_worker',
      'community_leader',
      'street_staff',
      'leader',
      'department_staff',
      'building_head',
    ),
  /** 'case.read': the whole subtree, so the map's case layer and the dispatch board. */
  caseRead: (u: Who) =>
    has(u, 'grid_manager', 'front_desk', 'community_worker', 'community_leader', 'street_staff', 'leader'),
  /** The dispatch board: the roles that verify, accept, dispatch and close. */
  dispatchBoard: (u: Who) => has(u, 'grid_manager', 'community_worker', 'community_leader', 'street_staff', 'leader'),
  /** Staff who report a case from some source (hotline, patrol, building, referral). */
  intake: (u: Who) =>
    has(u, 'grid_manager', 'building_head', 'front_desk', 'community_worker', 'community_leader', 'street_staff'),
  /** 'fieldwork.read' or 'fieldwork.record': patrol logs and building-head records. */
  fieldwork: (u: Who) =>
    has(u, 'grid_manager', 'building_head', 'community_worker', 'community_leader', 'street_staff', 'leader'),
};

export type PageKey = 'jurisdictions' | 'viewUsers' | 'audit';
