import {
  ABSOLUTE_SESSION_HOURS,
  idleMinutesFor,
  isAdminRole,
  type Role,
  type TLoginResponse,
  type TSessionUser,
  type TUserView,
} from '@jiayuan/contracts';
import type { Kysely } from 'kysely';
import type { DB, SessionStage } from '../../db/schema.ts';
import { AppError } from '../../shared/app-error.ts';
import { type Actor, type Ctx, isWithin, withTx } from '../../shared/context.ts';
import { decrypt, encrypt, randomToken, sha256 } from '../../shared/crypto.ts';
import { recordAudit } from '../audit/index.ts';
import { authorize, isStaff, requiresMfa } from './identity.policy.ts';
import * as q from './identity.queries.ts';
import {
  dummyHash,
  hashPassword,
  PASSWORD_HISTORY,
  PASSWORD_MAX_AGE_DAYS,
  passwordProblems,
  verifyPassword,
} from './password.ts';
import { checkTotp, newTotpSecret, totpUri } from './totp.ts';

export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;
const MIN = 60_000;

/** A session as the HTTP layer sees it: the raw token goes to the cookie, only its hash is stored. */
export type IssuedSession = { token: string; response: TLoginResponse };

export type SessionInfo = { sessionId: string; stage: SessionStage; actor: Actor; idleMinutes: number };

const normalise = (u: string) => u.trim().toLowerCase();

function assertNoAdminConflict(roles: readonly Role[]) {
  if (roles.filter(isAdminRole).length > 1) throw new AppError('conflict', 'IDENTITY_ADMIN_ROLES_EXCLUSIVE');
}

async function loadActor(db: Kysely<DB>, userId: string, sessionId: string | null): Promise<Actor | null> {
  const user = await q.findUserById(db, userId);
  if (!user) return null;
  const j = await q.jurisdictionOfUser(db, user.jurisdiction_id);
  if (!j) return null;
  return {
    userId: user.id,
    username: user.username,
    displayName: user.display_name,
    roles: await q.rolesOf(db, user.id),
    jurisdictionId: j.id,
    scopePath: j.path,
    sessionId,
  };
}

export async function sessionUser(db: Kysely<DB>, actor: Actor): Promise<TSessionUser> {
  const user = await q.findUserById(db, actor.userId);
  const j = await q.jurisdictionOfUser(db, actor.jurisdictionId);
  if (!user || !j) throw new AppError('unauthenticated', 'AUTH_REQUIRED');
  return {
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    roles: actor.roles,
    jurisdiction: { id: j.id, code: j.code, name: j.name, level: j.level, path: j.path },
    mfaEnabled: user.totp_enabled,
    idleMinutes: idleMinutesFor(actor.roles),
  };
}

/** Records a failed attempt for a user name (existing or not) and locks it at the fifth in a row. */
async function registerFailure(ctx: Ctx, username: string, action: string, userId: string | null) {
  await withTx(ctx, async (tx) => {
    const now = ctx.clock.now();
    const prev = await q.getAttempts(tx.db, username);
    const stillCounting = !prev?.locked_until || new Date(prev.locked_until) > now;
    const count = (stillCounting ? (prev?.failed_count ?? 0) : 0) + 1;
    const lockedUntil = count >= MAX_FAILURES ? new Date(now.getTime() + LOCK_MINUTES * MIN) : null;
    await q.saveAttempts(tx.db, username, count, now, lockedUntil);
    await recordAudit(tx, {
      action,
      objectType: 'user',
      objectId: userId,
      success: false,
      details: { username, failures: count },
      actorOverride: { id: userId, name: username },
    });
    if (lockedUntil)
      await recordAudit(tx, {
        action: 'auth.lockout',
        objectType: 'user',
        objectId: userId,
        success: true,
        details: { username, until: lockedUntil.toISOString() },
        actorOverride: { id: userId, name: username },
      });
  });
}

async function lockedMinutes(ctx: Ctx, username: string): Promise<number | null> {
  const a = await q.getAttempts(ctx.db, username);
  if (!a?.locked_until) return null;
  const ms = new Date(a.locked_until).getTime() - ctx.clock.now().getTime();
  return ms > 0 ? Math.ceil(ms / MIN) : null;
}

function nextStage(
  user: {
    totp_enabled: boolean;
    mfa_required: boolean;
    must_change_password: boolean;
    password_changed_at: Date | string;
  },
  roles: Role[],
  now: Date,
  passed: 'password' | 'totp',
): SessionStage {
  if (passed === 'password' && requiresMfa(roles, user.mfa_required)) return user.totp_enabled ? 'totp' : 'totp_enroll';
  const ageDays = (now.getTime() - new Date(user.password_changed_at).getTime()) / 86_400_000;
  if (user.must_change_password || (isStaff(roles) && ageDays > PASSWORD_MAX_AGE_DAYS)) return 'password_change';
  return 'active';
}

const statusFor: Record<SessionStage, TLoginResponse['status']> = {
  active: 'ok',
  totp: 'totp_required',
  totp_enroll: 'totp_enrollment_required',
  password_change: 'password_change_required',
};

async function responseFor(db: Kysely<DB>, stage: SessionStage, actor: Actor): Promise<TLoginResponse> {
  return stage === 'active' ? { status: 'ok', user: await sessionUser(db, actor) } : { status: statusFor[stage] };
}

/**
 * Password sign-in. The same error for a wrong password, an unknown or a disabled account; five failures in a row
 * lock the user name for 15 minutes, during which even the right password is refused.
 */
export async function login(
  ctx: Ctx,
  input: { username: string; password: string; userAgent: string | null },
): Promise<IssuedSession> {
  const username = normalise(input.username);
  const minutes = await lockedMinutes(ctx, username);
  if (minutes !== null) {
    await recordAudit(ctx, {
      action: 'auth.login_locked',
      success: false,
      details: { username },
      actorOverride: { id: null, name: username },
    });
    throw new AppError('locked', 'IDENTITY_LOCKED', { params: { minutes } });
  }
  const user = await q.findUserByUsername(ctx.db, username);
  const ok = await verifyPassword(user?.password_hash ?? (await dummyHash()), input.password);
  if (!user || !ok || user.status !== 'active') {
    await registerFailure(ctx, username, 'auth.login_failed', user?.id ?? null);
    const after = await lockedMinutes(ctx, username);
    if (after !== null) throw new AppError('locked', 'IDENTITY_LOCKED', { params: { minutes: after } });
    throw new AppError('unauthenticated', 'IDENTITY_INVALID_CREDENTIALS');
  }
  return withTx(ctx, async (tx) => {
    const now = ctx.clock.now();
    await q.clearAttempts(tx.db, username);
    const roles = await q.rolesOf(tx.db, user.id);
    const stage = nextStage(user, roles, now, 'password');
    const token = randomToken(32);
    const idle = idleMinutesFor(roles);
    await q.insertSession(tx.db, {
      id: sha256(token),
      userId: user.id,
      stage,
      now,
      expiresAt: new Date(now.getTime() + ABSOLUTE_SESSION_HOURS * 3_600_000),
      idleMinutes: stage === 'active' ? idle : Math.min(idle, 10),
      ip: ctx.ip,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
    });
    if (stage === 'active')
      await tx.db.updateTable('users').set({ last_login_at: now }).where('id', '=', user.id).execute();
    const actor = (await loadActor(tx.db, user.id, sha256(token))) as Actor;
    await recordAudit(
      { ...tx, actor },
      { action: 'auth.login', objectType: 'user', objectId: user.id, details: { stage } },
    );
    return { token, response: await responseFor(tx.db, stage, actor) };
  });
}

/**
 * Resolves a cookie token to a live session. Expired (idle or absolute) or revoked sessions answer null and an
 * expired one is revoked, so it can never come back.
 */
export async function resolveSession(ctx: Ctx, token: string): Promise<{ info: SessionInfo | null; expired: boolean }> {
  const id = sha256(token);
  const s = await q.findSession(ctx.db, id);
  if (!s || s.revoked_at) return { info: null, expired: false };
  const now = ctx.clock.now();
  const idleDeadline = new Date(s.last_seen_at).getTime() + s.idle_minutes * MIN;
  if (now.getTime() >= idleDeadline || now >= new Date(s.expires_at)) {
    await withTx(ctx, async (tx) => {
      await q.revokeSession(tx.db, id, now);
      await recordAudit(tx, {
        action: 'auth.session_expired',
        objectType: 'session',
        objectId: s.user_id,
        details: { reason: now >= new Date(s.expires_at) ? 'absolute' : 'idle' },
        actorOverride: { id: s.user_id, name: null },
      });
    });
    return { info: null, expired: true };
  }
  const user = await q.findUserById(ctx.db, s.user_id);
  if (user?.status !== 'active') return { info: null, expired: true };
  const actor = await loadActor(ctx.db, s.user_id, id);
  if (!actor) return { info: null, expired: true };
  // Write the last-seen time at most every 30 s: one UPDATE per request would double the write load.
  if (now.getTime() - new Date(s.last_seen_at).getTime() > 30_000) await q.touchSession(ctx.db, id, now);
  return { info: { sessionId: id, stage: s.stage, actor, idleMinutes: s.idle_minutes }, expired: false };
}

/** Moves a session to its next stage under a new token (no fixation across steps). */
async function advance(tx: Ctx, info: SessionInfo, stage: SessionStage): Promise<IssuedSession> {
  const now = tx.clock.now();
  const token = randomToken(32);
  await q.advanceSession(tx.db, info.sessionId, sha256(token), stage, now);
  if (stage === 'active') {
    await tx.db
      .updateTable('sessions')
      .set({ idle_minutes: idleMinutesFor(info.actor.roles) })
      .where('id', '=', sha256(token))
      .execute();
    await tx.db.updateTable('users').set({ last_login_at: now }).where('id', '=', info.actor.userId).execute();
  }
  return { token, response: await responseFor(tx.db, stage, { ...info.actor, sessionId: sha256(token) }) };
}

export async function submitTotp(ctx: Ctx, info: SessionInfo, code: string): Promise<IssuedSession> {
  if (info.stage !== 'totp') throw new AppError('conflict', 'IDENTITY_TOTP_NOT_PENDING');
  const user = await q.findUserById(ctx.db, info.actor.userId);
  if (!user?.totp_secret_enc || !user.totp_enabled) throw new AppError('conflict', 'IDENTITY_TOTP_NOT_PENDING');
  const minutes = await lockedMinutes(ctx, normalise(user.username));
  if (minutes !== null) throw new AppError('locked', 'IDENTITY_LOCKED', { params: { minutes } });
  const secret = decrypt(ctx.keyring, user.totp_secret_enc);
  const last = user.totp_last_step === null ? null : Number(user.totp_last_step);
  const step = await checkTotp(secret, code, ctx.clock.now().getTime(), last);
  if (step === null) {
    await registerFailure({ ...ctx, actor: info.actor }, normalise(user.username), 'auth.totp_failed', user.id);
    throw new AppError('unauthenticated', 'IDENTITY_TOTP_INVALID');
  }
  return withTx(ctx, async (tx) => {
    await tx.db.updateTable('users').set({ totp_last_step: step }).where('id', '=', user.id).execute();
    await q.clearAttempts(tx.db, normalise(user.username));
    const stage = nextStage(user, info.actor.roles, ctx.clock.now(), 'totp');
    await recordAudit({ ...tx, actor: info.actor }, { action: 'auth.totp', objectType: 'user', objectId: user.id });
    return advance(tx, info, stage);
  });
}

/** Starts TOTP enrolment: a new secret, stored encrypted, not yet enabled. */
export async function setupTotp(ctx: Ctx, info: SessionInfo): Promise<{ secret: string; otpauthUri: string }> {
  const user = await q.findUserById(ctx.db, info.actor.userId);
  if (!user) throw new AppError('unauthenticated', 'AUTH_REQUIRED');
  if (user.totp_enabled) throw new AppError('conflict', 'IDENTITY_TOTP_ALREADY_ENABLED');
  if (info.stage !== 'totp_enroll' && info.stage !== 'active') throw new AppError('conflict', 'IDENTITY_STEP_REQUIRED');
  const secret = newTotpSecret();
  await withTx(ctx, async (tx) => {
    await tx.db
      .updateTable('users')
      .set({ totp_secret_enc: encrypt(ctx.keyring, secret), totp_last_step: null, updated_at: ctx.clock.now() })
      .where('id', '=', user.id)
      .execute();
    await recordAudit(
      { ...tx, actor: info.actor },
      { action: 'auth.totp_setup', objectType: 'user', objectId: user.id },
    );
  });
  return { secret, otpauthUri: totpUri(secret, `${user.username}`) };
}

export async function enableTotp(ctx: Ctx, info: SessionInfo, code: string): Promise<IssuedSession> {
  const user = await q.findUserById(ctx.db, info.actor.userId);
  if (!user?.totp_secret_enc || user.totp_enabled) throw new AppError('conflict', 'IDENTITY_TOTP_NOT_PENDING');
  if (info.stage !== 'totp_enroll' && info.stage !== 'active') throw new AppError('conflict', 'IDENTITY_STEP_REQUIRED');
  const step = await checkTotp(decrypt(ctx.keyring, user.totp_secret_enc), code, ctx.clock.now().getTime(), null);
  if (step === null) {
    await registerFailure({ ...ctx, actor: info.actor }, normalise(user.username), 'auth.totp_failed', user.id);
    throw new AppError('unauthenticated', 'IDENTITY_TOTP_INVALID');
  }
  return withTx(ctx, async (tx) => {
    await tx.db
      .updateTable('users')
      .set({ totp_enabled: true, totp_last_step: step, updated_at: ctx.clock.now() })
      .where('id', '=', user.id)
      .execute();
    await recordAudit(
      { ...tx, actor: info.actor },
      { action: 'auth.totp_enabled', objectType: 'user', objectId: user.id },
    );
    if (info.stage === 'active') return advance(tx, info, 'active');
    return advance(tx, info, nextStage(user, info.actor.roles, ctx.clock.now(), 'totp'));
  });
}

function assertPasswordPolicy(pw: string, roles: Role[], username: string) {
  const problems = passwordProblems(pw, { staff: isStaff(roles), username });
  if (problems.length) throw new AppError('invalid', 'IDENTITY_PASSWORD_POLICY', { details: { problems } });
}

export async function changePassword(
  ctx: Ctx,
  info: SessionInfo,
  input: { currentPassword: string; newPassword: string },
): Promise<IssuedSession> {
  if (info.stage !== 'password_change' && info.stage !== 'active')
    throw new AppError('conflict', 'IDENTITY_STEP_REQUIRED');
  const user = await q.findUserById(ctx.db, info.actor.userId);
  if (!user) throw new AppError('unauthenticated', 'AUTH_REQUIRED');
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    await registerFailure(
      { ...ctx, actor: info.actor },
      normalise(user.username),
      'auth.password_change_failed',
      user.id,
    );
    throw new AppError('invalid', 'IDENTITY_CURRENT_PASSWORD_WRONG');
  }
  assertPasswordPolicy(input.newPassword, info.actor.roles, user.username);
  const previous = [user.password_hash, ...(await q.recentPasswordHashes(ctx.db, user.id, PASSWORD_HISTORY - 1))];
  for (const h of previous)
    if (await verifyPassword(h, input.newPassword)) throw new AppError('invalid', 'IDENTITY_PASSWORD_REUSED');
  const hashed = await hashPassword(input.newPassword);
  return withTx(ctx, async (tx) => {
    const now = ctx.clock.now();
    await q.addPasswordHistory(tx.db, user.id, user.password_hash, now);
    await tx.db
      .updateTable('users')
      .set({ password_hash: hashed, password_changed_at: now, must_change_password: false, updated_at: now })
      .where('id', '=', user.id)
      .execute();
    // Every other session of this user ends: whoever knew the old password is out.
    await tx.db
      .updateTable('sessions')
      .set({ revoked_at: now })
      .where('user_id', '=', user.id)
      .where('id', '!=', info.sessionId)
      .where('revoked_at', 'is', null)
      .execute();
    await recordAudit(
      { ...tx, actor: info.actor },
      { action: 'auth.password_changed', objectType: 'user', objectId: user.id },
    );
    return advance(tx, info, 'active');
  });
}

export async function logout(ctx: Ctx, info: SessionInfo): Promise<void> {
  await withTx(ctx, async (tx) => {
    await q.revokeSession(tx.db, info.sessionId, ctx.clock.now());
    await recordAudit(
      { ...tx, actor: info.actor },
      { action: 'auth.logout', objectType: 'user', objectId: info.actor.userId },
    );
  });
}

// ————— Account administration (security admin; system admin for lifecycle) —————

async function jurisdictionInScope(ctx: Ctx, jurisdictionId: string) {
  const j = await q.jurisdictionOfUser(ctx.db, jurisdictionId);
  if (!j || !ctx.actor || !isWithin(j.path, ctx.actor.scopePath))
    throw new AppError('not_found', 'JURISDICTION_NOT_FOUND');
  if (j.status !== 'active') throw new AppError('conflict', 'JURISDICTION_RETIRED');
  return j;
}

async function targetUser(ctx: Ctx, userId: string, action: 'user.manage' | 'user.lifecycle' | 'user.read') {
  authorize(ctx.actor, action);
  const u = await q.userInScope(ctx.db, userId);
  if (!u) throw new AppError('not_found', 'IDENTITY_USER_NOT_FOUND');
  authorize(ctx.actor, action, { path: u.path }, 'IDENTITY_USER_NOT_FOUND');
  return u;
}

export async function createUser(
  ctx: Ctx,
  input: {
    username: string;
    displayName: string;
    roles: Role[];
    jurisdictionId: string;
    password: string;
    mfaRequired?: boolean | undefined;
    mustChangePassword?: boolean;
    isDemo?: boolean;
  },
): Promise<{ id: string }> {
  authorize(ctx.actor, 'user.manage');
  return createUserUnchecked(ctx, input, await jurisdictionInScope(ctx, input.jurisdictionId));
}

/** Creation without an acting admin: the CLI and the demo seed, run by whoever holds the machine. */
export async function createUserUnchecked(
  ctx: Ctx,
  input: {
    username: string;
    displayName: string;
    roles: Role[];
    jurisdictionId: string;
    password: string;
    mfaRequired?: boolean | undefined;
    mustChangePassword?: boolean;
    isDemo?: boolean;
  },
  jurisdiction?: { id: string },
): Promise<{ id: string }> {
  const roles = [...new Set(input.roles)];
  assertNoAdminConflict(roles);
  const username = normalise(input.username);
  assertPasswordPolicy(input.password, roles, username);
  const j = jurisdiction ?? (await q.jurisdictionOfUser(ctx.db, input.jurisdictionId));
  if (!j) throw new AppError('not_found', 'JURISDICTION_NOT_FOUND');
  const hashed = await hashPassword(input.password);
  return withTx(ctx, async (tx) => {
    if (await q.findUserByUsername(tx.db, username)) throw new AppError('conflict', 'IDENTITY_USERNAME_TAKEN');
    const now = ctx.clock.now();
    const row = await tx.db
      .insertInto('users')
      .values({
        username,
        display_name: input.displayName,
        password_hash: hashed,
        jurisdiction_id: j.id,
        mfa_required: input.mfaRequired ?? false,
        password_changed_at: now,
        must_change_password: input.mustChangePassword ?? true,
        is_demo: input.isDemo ?? false,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await q.setRoles(tx.db, row.id, roles);
    await recordAudit(tx, {
      action: 'user.create',
      objectType: 'user',
      objectId: row.id,
      details: { username, roles, jurisdictionId: j.id },
    });
    return { id: row.id };
  });
}

export async function setUserRoles(ctx: Ctx, userId: string, roles: Role[]): Promise<void> {
  const u = await targetUser(ctx, userId, 'user.manage');
  if (u.id === ctx.actor?.userId) throw new AppError('forbidden', 'IDENTITY_CANNOT_CHANGE_SELF');
  const unique = [...new Set(roles)];
  assertNoAdminConflict(unique);
  await withTx(ctx, async (tx) => {
    const before = await q.rolesOf(tx.db, userId);
    await q.setRoles(tx.db, userId, unique);
    // New roles mean new limits: sessions start again.
    await q.revokeUserSessions(tx.db, userId, ctx.clock.now());
    await recordAudit(tx, {
      action: 'user.roles',
      objectType: 'user',
      objectId: userId,
      details: { before, after: unique },
    });
  });
}

export async function unlockUser(ctx: Ctx, userId: string): Promise<void> {
  const u = await targetUser(ctx, userId, 'user.manage');
  await withTx(ctx, async (tx) => {
    await q.clearAttempts(tx.db, u.username);
    await recordAudit(tx, { action: 'user.unlock', objectType: 'user', objectId: userId });
  });
}

export async function setUserStatus(ctx: Ctx, userId: string, status: 'active' | 'disabled'): Promise<void> {
  const u = await targetUser(ctx, userId, 'user.lifecycle');
  if (u.id === ctx.actor?.userId) throw new AppError('forbidden', 'IDENTITY_CANNOT_CHANGE_SELF');
  await withTx(ctx, async (tx) => {
    const now = ctx.clock.now();
    await tx.db.updateTable('users').set({ status, updated_at: now }).where('id', '=', userId).execute();
    if (status === 'disabled') await q.revokeUserSessions(tx.db, userId, now);
    await recordAudit(tx, {
      action: status === 'disabled' ? 'user.disable' : 'user.enable',
      objectType: 'user',
      objectId: userId,
    });
  });
}

export async function resetMfa(ctx: Ctx, userId: string): Promise<void> {
  await targetUser(ctx, userId, 'user.manage');
  await withTx(ctx, async (tx) => {
    const now = ctx.clock.now();
    await tx.db
      .updateTable('users')
      .set({ totp_enabled: false, totp_secret_enc: null, totp_last_step: null, updated_at: now })
      .where('id', '=', userId)
      .execute();
    await q.revokeUserSessions(tx.db, userId, now);
    await recordAudit(tx, { action: 'user.reset_mfa', objectType: 'user', objectId: userId });
  });
}

/** An administrator sets a one-time password; the user must change it at next sign-in. */
export async function resetPassword(ctx: Ctx, userId: string, password: string): Promise<void> {
  const u = await targetUser(ctx, userId, 'user.manage');
  const roles = await q.rolesOf(ctx.db, userId);
  assertPasswordPolicy(password, roles, u.username);
  const hashed = await hashPassword(password);
  await withTx(ctx, async (tx) => {
    const now = ctx.clock.now();
    const user = await q.findUserById(tx.db, userId);
    if (user) await q.addPasswordHistory(tx.db, userId, user.password_hash, now);
    await tx.db
      .updateTable('users')
      .set({ password_hash: hashed, password_changed_at: now, must_change_password: true, updated_at: now })
      .where('id', '=', userId)
      .execute();
    await q.revokeUserSessions(tx.db, userId, now);
    await q.clearAttempts(tx.db, u.username);
    await recordAudit(tx, { action: 'user.reset_password', objectType: 'user', objectId: userId });
  });
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export async function listUsers(
  ctx: Ctx,
  opts: { q?: string | undefined; limit: number; offset: number },
): Promise<{ items: TUserView[]; total: number }> {
  authorize(ctx.actor, 'user.read');
  const actor = ctx.actor as Actor;
  const { rows, total } = await q.listUsers(ctx.db, actor.scopePath, opts);
  const now = ctx.clock.now();
  return {
    total,
    items: rows.map((r) => ({
      id: r.id,
      username: r.username,
      displayName: r.display_name,
      roles: r.roles as Role[],
      jurisdiction: { id: r.j_id, code: r.j_code, name: r.j_name },
      status: r.status,
      mfaEnabled: r.totp_enabled,
      mfaRequired: requiresMfa(r.roles as Role[], r.mfa_required),
      lockedUntil: r.locked_until && new Date(r.locked_until) > now ? iso(r.locked_until) : null,
      lastLoginAt: iso(r.last_login_at),
      createdAt: iso(r.created_at) as string,
    })),
  };
}
