import { z } from 'zod';
import { ZRole } from './roles.ts';

export const ZLoginRequest = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});
export const ZTotpRequest = z.strictObject({ code: z.string().regex(/^\d{6}$/, 'IDENTITY_TOTP_FORMAT') });

export const ZSessionUser = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    roles: z.array(ZRole),
    jurisdiction: z.object({ id: z.uuid(), code: z.string(), name: z.string(), level: z.string(), path: z.string() }),
    mfaEnabled: z.boolean(),
    idleMinutes: z.number().int(),
  })
  .meta({ id: 'SessionUser' });
export type TSessionUser = z.infer<typeof ZSessionUser>;

/** What the login and TOTP steps answer: either a session or the next step to take. */
export const ZLoginResponse = z
  .object({
    status: z.enum(['ok', 'totp_required', 'totp_enrollment_required', 'password_change_required']),
    user: ZSessionUser.optional(),
  })
  .meta({ id: 'LoginResponse' });
export type TLoginResponse = z.infer<typeof ZLoginResponse>;

export const ZTotpSetupResponse = z.object({ secret: z.string(), otpauthUri: z.string() });

export const ZChangePassword = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
});

export const ZUserView = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    roles: z.array(ZRole),
    jurisdiction: z.object({ id: z.uuid(), code: z.string(), name: z.string() }),
    status: z.enum(['active', 'disabled']),
    mfaEnabled: z.boolean(),
    mfaRequired: z.boolean(),
    lockedUntil: z.string().nullable(),
    lastLoginAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'User' });
export type TUserView = z.infer<typeof ZUserView>;

export const ZCreateUser = z.strictObject({
  username: z
    .string()
    .trim()
    .regex(/^[a-zA-Z0-9_.-]{3,64}$/, 'IDENTITY_USERNAME_FORMAT'),
  displayName: z.string().trim().min(1).max(60),
  roles: z.array(ZRole).min(1).max(8),
  jurisdictionId: z.uuid(),
  password: z.string().min(1).max(256),
  mfaRequired: z.boolean().optional(),
});
export const ZUpdateUserRoles = z.strictObject({ roles: z.array(ZRole).min(1).max(8) });
export const ZUserListQuery = z.object({
  q: z.string().trim().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100000).default(0),
});
