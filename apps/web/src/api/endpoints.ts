import type {
  Role,
  TAuditEntry,
  TJurisdictionNode,
  TLoginResponse,
  TSessionUser,
  TUserView,
  ZAuditVerifyResult,
  ZTotpSetupResponse,
} from '@jiayuan/contracts';
import { api, isApiError } from './client.ts';

export type TotpSetup = ReturnType<(typeof ZTotpSetupResponse)['parse']>;
export type AuditVerifyResult = ReturnType<(typeof ZAuditVerifyResult)['parse']>;
export type Items<T> = { items: T[] };

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
  create: (body: { parentId: string; code: string; name: string }) => api.post<TJurisdictionNode>('/api/jurisdictions', body),
  rename: (id: string, name: string) => api.patch<TJurisdictionNode>(`/api/jurisdictions/${encodeURIComponent(id)}`, { name }),
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

const userPath = (id: string, action?: string) =>
  `/api/users/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;

export const userApi = {
  list: (q: { q?: string; limit: number; offset: number }) =>
    api.get<{ items: TUserView[]; total: number }>('/api/users', q),
  create: (body: CreateUserBody) => api.post<TUserView>('/api/users', body),
  setRoles: (id: string, roles: Role[]) => api.put<TUserView>(userPath(id, 'roles'), { roles }),
  unlock: (id: string) => api.post<unknown>(userPath(id, 'unlock'), {}),
  disable: (id: string) => api.post<unknown>(userPath(id, 'disable'), {}),
  enable: (id: string) => api.post<unknown>(userPath(id, 'enable'), {}),
  resetMfa: (id: string) => api.post<unknown>(userPath(id, 'reset-mfa'), {}),
  resetPassword: (id: string, password: string) => api.post<unknown>(userPath(id, 'reset-password'), { password }),
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
