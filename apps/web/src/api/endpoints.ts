import type {
  CaseUrgency,
  DeadlineColour,
  EndReason,
  Role,
  TAuditEntry,
  TBuildingView,
  TCaseDetail,
  TCaseSummary,
  TCategory,
  TComplexView,
  TCreateCase,
  TCreateResident,
  TDwellingView,
  THouseholdView,
  TJurisdictionNode,
  TLoginResponse,
  TOrganisationView,
  TResidentView,
  TSessionUser,
  TTransition,
  TUnitView,
  TUpdateResident,
  TUserView,
  ZAssignmentView,
  ZAuditVerifyResult,
  ZBoundaryCollection,
  ZBoundaryImportResult,
  ZBuildingRecord,
  ZDepartment,
  ZFloatingItem,
  ZPatrol,
  ZPossibleDuplicate,
  ZResidentHistoryEntry,
  ZRevealResponse,
  ZTotpSetupResponse,
} from '@jiayuan/contracts';
import { api, isApiError } from './client.ts';

export type TotpSetup = ReturnType<(typeof ZTotpSetupResponse)['parse']>;
export type AuditVerifyResult = ReturnType<(typeof ZAuditVerifyResult)['parse']>;
export type Items<T> = { items: T[] };
export type Ok = { ok: true };

// ---- auth -------------------------------------------------------------------------------------------------------

export const authApi = {
  /** The signed-in user, or null when there is no session (401). */
  me: async (): Promise<TSessionUser | null> => {
    try {
      const r = await api.get<{ user: TSessionUser }>('/api/auth/me', undefined, { silent401: true });
      return r.user;
    } catch (e) {
      if (isApiError(e) && e.status === 401) return null;
      throw e;
    }
  },
  login: (username: string, password: string) => api.post<TLoginResponse>('/api/auth/login', { username, password }),
  totp: (code: string) => api.post<TLoginResponse>('/api/auth/totp', { code }),
  totpSetup: () => api.post<TotpSetup>('/api/auth/totp/setup', {}),
  totpEnable: (code: string) => api.post<TLoginResponse>('/api/auth/totp/enable', { code }),
  changePassword: (currentPassword: string, newPassword: string) =>
    api.post<TLoginResponse>('/api/auth/password', { currentPassword, newPassword }),
  logout: () => api.post<{ ok: true }>('/api/auth/logout', {}),
};

// ---- jurisdictions ----------------------------------------------------------------------------------------------

export const jurisdictionApi = {
  roots: (includeRetired = false) =>
    api.get<Items<TJurisdictionNode>>('/api/jurisdictions', { includeRetired: includeRetired ? 'true' : undefined }),
  children: (parentId: string, includeRetired = false) =>
    api.get<Items<TJurisdictionNode>>('/api/jurisdictions', {
      parentId,
      includeRetired: includeRetired ? 'true' : 'false',
    }),
  get: (id: string) => api.get<TJurisdictionNode>(`/api/jurisdictions/${encodeURIComponent(id)}`),
  create: (body: { parentId: string; code: string; name: string }) =>
    api.post<TJurisdictionNode>('/api/jurisdictions', body),
  rename: (id: string, name: string) =>
    api.patch<TJurisdictionNode>(`/api/jurisdictions/${encodeURIComponent(id)}`, { name }),
  moveTargets: (id: string) =>
    api.get<Items<TJurisdictionNode>>(`/api/jurisdictions/${encodeURIComponent(id)}/move-targets`),
  move: (id: string, newParentId: string) =>
    api.post<TJurisdictionNode>(`/api/jurisdictions/${encodeURIComponent(id)}/move`, { newParentId }),
  retire: (id: string, reason: string) =>
    api.post<TJurisdictionNode>(`/api/jurisdictions/${encodeURIComponent(id)}/retire`, { reason }),
};

// ---- users ------------------------------------------------------------------------------------------------------

export type CreateUserBody = {
  username: string;
  displayName: string;
  roles: Role[];
  jurisdictionId: string;
  password: string;
  mfaRequired?: boolean;
};

const userPath = (id: string, action?: string) => `/api/users/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;

export const userApi = {
  list: (q: { q?: string; limit: number; offset: number }) =>
    api.get<{ items: TUserView[]; total: number }>('/api/users', q),
  create: (body: CreateUserBody) => api.post<{ id: string }>('/api/users', body),
  setRoles: (id: string, roles: Role[]) => api.put<Ok>(userPath(id, 'roles'), { roles }),
  unlock: (id: string) => api.post<Ok>(userPath(id, 'unlock'), {}),
  disable: (id: string) => api.post<Ok>(userPath(id, 'disable'), {}),
  enable: (id: string) => api.post<Ok>(userPath(id, 'enable'), {}),
  resetMfa: (id: string) => api.post<Ok>(userPath(id, 'reset-mfa'), {}),
  resetPassword: (id: string, password: string) => api.post<Ok>(userPath(id, 'reset-password'), { password }),
};

// ---- audit ------------------------------------------------------------------------------------------------------

export type AuditFilter = {
  action?: string | undefined;
  actor?: string | undefined;
  objectId?: string | undefined;
  success?: 'true' | 'false' | undefined;
  from?: string | undefined;
  to?: string | undefined;
};

export const auditApi = {
  list: (filter: AuditFilter, limit: number, before?: string) =>
    api.get<{ items: TAuditEntry[]; nextBefore: string | null }>('/api/audit', { ...filter, limit, before }),
  verify: () => api.post<AuditVerifyResult>('/api/audit/verify', {}),
};

// ---- registry: places, organisations, households, residents -----------------------------------------------------

export type Page<T> = { items: T[]; nextCursor: string | null };
export type PlaceQuery = {
  jurisdictionId?: string | undefined;
  complexId?: string | undefined;
  buildingId?: string | undefined;
  unitId?: string | undefined;
  limit?: number;
  cursor?: string | undefined;
};
export type FloatingItem = ReturnType<(typeof ZFloatingItem)['parse']>;
export type RevealResponse = ReturnType<(typeof ZRevealResponse)['parse']>;
export type HistoryEntry = ReturnType<(typeof ZResidentHistoryEntry)['parse']>;
export type Assignment = ReturnType<(typeof ZAssignmentView)['parse']>;
export type BoundaryCollection = ReturnType<(typeof ZBoundaryCollection)['parse']>;
export type BoundaryImportResult = ReturnType<(typeof ZBoundaryImportResult)['parse']>;
export type ResidentSearchResult = Page<TResidentView> & { kind: 'name' | 'idNumber' | 'phone' };
export type RevealField = 'idNumber' | 'phone';

const enc = encodeURIComponent;

export const placeApi = {
  complexes: (q: PlaceQuery) => api.get<Page<TComplexView>>('/api/complexes', q),
  complex: (id: string) => api.get<TComplexView>(`/api/complexes/${enc(id)}`),
  buildings: (q: PlaceQuery) => api.get<Page<TBuildingView>>('/api/buildings', q),
  building: (id: string) => api.get<TBuildingView>(`/api/buildings/${enc(id)}`),
  units: (q: PlaceQuery) => api.get<Page<TUnitView>>('/api/units', q),
  unit: (id: string) => api.get<TUnitView>(`/api/units/${enc(id)}`),
  dwellings: (q: PlaceQuery) => api.get<Page<TDwellingView>>('/api/dwellings', q),
  dwelling: (id: string) => api.get<TDwellingView>(`/api/dwellings/${enc(id)}`),
  buildingHeads: (id: string) => api.get<Items<Assignment>>(`/api/buildings/${enc(id)}/heads`),
};

export const orgApi = {
  list: (q: {
    jurisdictionId?: string | undefined;
    buildingId?: string | undefined;
    status?: 'active' | 'closed' | undefined;
    limit?: number;
    cursor?: string | undefined;
  }) => api.get<Page<TOrganisationView>>('/api/organisations', q),
  reveal: (id: string, reason: string) =>
    api.post<RevealResponse>(`/api/organisations/${enc(id)}/reveal`, { field: 'contactPhone', reason }),
};

export const householdApi = {
  list: (q: { jurisdictionId?: string | undefined; dwellingId?: string | undefined; limit?: number }) =>
    api.get<Page<THouseholdView>>('/api/households', q),
  get: (id: string) => api.get<THouseholdView>(`/api/households/${enc(id)}`),
  create: (body: { number: string; dwellingId?: string | null; jurisdictionId?: string }) =>
    api.post<THouseholdView>('/api/households', body),
};

export type ResidentListQuery = {
  jurisdictionId?: string | undefined;
  householdId?: string | undefined;
  dwellingId?: string | undefined;
  buildingId?: string | undefined;
  status?: 'active' | 'ended' | 'all' | undefined;
  limit?: number;
  cursor?: string | undefined;
};

export const residentApi = {
  list: (q: ResidentListQuery) => api.get<Page<TResidentView>>('/api/residents', q),
  search: (q: string, cursor?: string) =>
    api.get<ResidentSearchResult>('/api/residents/search', { q, cursor, limit: 50, includeEnded: 'true' }),
  floating: (q: { status: 'arriving' | 'overdue' | 'departed' | 'all'; cursor?: string | undefined; limit?: number }) =>
    api.get<Page<FloatingItem>>('/api/residents/floating', q),
  get: (id: string) => api.get<TResidentView>(`/api/residents/${enc(id)}`),
  history: (id: string) => api.get<Items<HistoryEntry>>(`/api/residents/${enc(id)}/history`),
  create: (body: TCreateResident) => api.post<TResidentView>('/api/residents', body),
  update: (id: string, body: TUpdateResident) => api.patch<TResidentView>(`/api/residents/${enc(id)}`, body),
  end: (id: string, body: { reason: EndReason; date: string; note?: string | null }) =>
    api.post<TResidentView>(`/api/residents/${enc(id)}/end`, body),
  reveal: (id: string, field: RevealField, reason: string) =>
    api.post<RevealResponse>(`/api/residents/${enc(id)}/reveal`, { field, reason }),
};

// ---- grids ------------------------------------------------------------------------------------------------------

export const gridApi = {
  boundaries: (within?: string) => api.get<BoundaryCollection>('/api/grids/boundaries', { within }),
  importBoundaries: (fc: unknown) => api.post<BoundaryImportResult>('/api/grids/boundaries', fc),
  locate: (lng: number, lat: number) =>
    api.get<{ grid: { id: string; code: string; name: string } | null }>('/api/grids/locate', { lng, lat }),
  managers: (gridId: string) => api.get<Items<Assignment>>(`/api/grids/${enc(gridId)}/managers`),
};

// ---- cases ------------------------------------------------------------------------------------------------------

export type CaseFilter = {
  state?: string | undefined;
  categoryId?: string | undefined;
  urgency?: CaseUrgency | undefined;
  deadline?: DeadlineColour | undefined;
  gridId?: string | undefined;
  jurisdictionId?: string | undefined;
  mine?: 'reported' | 'assigned' | undefined;
};
export type CaseAttachment = TCaseDetail['attachments'][number];
export type CaseEvent = TCaseDetail['timeline'][number];
export type PossibleDuplicate = ReturnType<(typeof ZPossibleDuplicate)['parse']>;
export type CreateCaseResponse = { case: TCaseDetail; possibleDuplicates: PossibleDuplicate[] };
export type Department = ReturnType<(typeof ZDepartment)['parse']>;
export type Patrol = ReturnType<(typeof ZPatrol)['parse']>;
export type BuildingRecord = ReturnType<(typeof ZBuildingRecord)['parse']>;
export type BuildingRecordKind = BuildingRecord['kind'];

export const caseApi = {
  list: (f: CaseFilter, limit: number, cursor?: string) =>
    api.get<{ items: TCaseSummary[]; nextCursor: string | null }>('/api/cases', { ...f, limit, cursor }),
  get: (id: string) => api.get<TCaseDetail>(`/api/cases/${enc(id)}`),
  create: (body: TCreateCase, idempotencyKey: string) =>
    api.post<CreateCaseResponse>('/api/cases', body, { headers: { 'Idempotency-Key': idempotencyKey } }),
  transition: (id: string, body: TTransition) => api.post<TCaseDetail>(`/api/cases/${enc(id)}/transitions`, body),
  merge: (id: string, intoId: string, note?: string) =>
    api.post<TCaseDetail>(`/api/cases/${enc(id)}/merge`, { intoId, ...(note ? { note } : {}) }),
  upload: (id: string, file: Blob, filename?: string) =>
    api.upload<CaseAttachment>(`/api/cases/${enc(id)}/attachments`, file, filename),
  attachmentUrl: (caseId: string, attachmentId: string) => `/api/cases/${enc(caseId)}/attachments/${enc(attachmentId)}`,
  categories: () => api.get<Items<TCategory>>('/api/cases/categories'),
  departments: () => api.get<Items<Department>>('/api/cases/departments'),
};

export const fieldworkApi = {
  patrols: (limit = 100) => api.get<Items<Patrol>>('/api/patrols', { limit }),
  patrol: (id: string) => api.get<Patrol>(`/api/patrols/${enc(id)}`),
  records: (kind?: BuildingRecordKind, limit = 100) =>
    api.get<Items<BuildingRecord>>('/api/building-records', { kind, limit }),
};
