import type { Role } from '@jiayuan/contracts';
import { type Kysely, sql } from 'kysely';
import type { DB, SessionStage } from '../../db/schema.ts';

export async function findUserByUsername(db: Kysely<DB>, username: string) {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function findUserById(db: Kysely<DB>, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function rolesOf(db: Kysely<DB>, userId: string): Promise<Role[]> {
  const rows = await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).orderBy('role').execute();
  return rows.map((r) => r.role as Role);
}

export async function getAttempts(db: Kysely<DB>, username: string) {
  return db.selectFrom('login_attempts').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function saveAttempts(
  db: Kysely<DB>,
  username: string,
  failedCount: number,
  lastFailedAt: Date,
  lockedUntil: Date | null,
) {
  await db
    .insertInto('login_attempts')
    .values({ username, failed_count: failedCount, last_failed_at: lastFailedAt, locked_until: lockedUntil })
    .onConflict((oc) =>
      oc
        .column('username')
        .doUpdateSet({ failed_count: failedCount, last_failed_at: lastFailedAt, locked_until: lockedUntil }),
    )
    .execute();
}

export async function clearAttempts(db: Kysely<DB>, username: string) {
  await db.deleteFrom('login_attempts').where('username', '=', username).execute();
}

export async function insertSession(
  db: Kysely<DB>,
  s: {
    id: string;
    userId: string;
    stage: SessionStage;
    now: Date;
    expiresAt: Date;
    idleMinutes: number;
    ip: string | null;
    userAgent: string | null;
  },
) {
  await db
    .insertInto('sessions')
    .values({
      id: s.id,
      user_id: s.userId,
      stage: s.stage,
      created_at: s.now,
      last_seen_at: s.now,
      expires_at: s.expiresAt,
      idle_minutes: s.idleMinutes,
      ip: s.ip,
      user_agent: s.userAgent,
    })
    .execute();
}

export async function findSession(db: Kysely<DB>, id: string) {
  return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function touchSession(db: Kysely<DB>, id: string, now: Date) {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
}

export async function advanceSession(db: Kysely<DB>, oldId: string, newId: string, stage: SessionStage, now: Date) {
  await db.updateTable('sessions').set({ id: newId, stage, last_seen_at: now }).where('id', '=', oldId).execute();
}

export async function revokeSession(db: Kysely<DB>, id: string, now: Date) {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function revokeUserSessions(db: Kysely<DB>, userId: string, now: Date) {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function jurisdictionOfUser(db: Kysely<DB>, jurisdictionId: string) {
  return db
    .selectFrom('jurisdictions')
    .select(['id', 'code', 'name', 'level', sql<string>`path::text`.as('path'), 'status'])
    .where('id', '=', jurisdictionId)
    .executeTakeFirst();
}

export async function recentPasswordHashes(db: Kysely<DB>, userId: string, n: number): Promise<string[]> {
  const rows = await db
    .selectFrom('password_history')
    .select('password_hash')
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .limit(n)
    .execute();
  return rows.map((r) => r.password_hash);
}

export async function addPasswordHistory(db: Kysely<DB>, userId: string, hash: string, now: Date) {
  await db.insertInto('password_history').values({ user_id: userId, password_hash: hash, created_at: now }).execute();
}

export async function setRoles(db: Kysely<DB>, userId: string, roles: Role[]) {
  await db.deleteFrom('user_roles').where('user_id', '=', userId).execute();
  if (roles.length)
    await db
      .insertInto('user_roles')
      .values(roles.map((role) => ({ user_id: userId, role })))
      .execute();
}

export async function listUsers(
  db: Kysely<DB>,
  scopePath: string,
  opts: { q?: string | undefined; limit: number; offset: number },
) {
  let base = db
    .selectFrom('users as u')
    .innerJoin('jurisdictions as j', 'j.id', 'u.jurisdiction_id')
    .where(sql<boolean>`j.path <@ ${scopePath}::ltree`);
  if (opts.q) {
    const like = `%${opts.q.replace(/[%_\\]/g, '\\$&')}%`;
    base = base.where((eb) => eb.or([eb('u.username', 'ilike', like), eb('u.display_name', 'ilike', like)]));
  }
  const [rows, total] = await Promise.all([
    base
      .leftJoin('login_attempts as la', 'la.username', 'u.username')
      .select([
        'u.id',
        'u.username',
        'u.display_name',
        'u.status',
        'u.mfa_required',
        'u.totp_enabled',
        'u.last_login_at',
        'u.created_at',
        'j.id as j_id',
        'j.code as j_code',
        'j.name as j_name',
        'la.locked_until',
        sql<
          string[]
        >`coalesce((select array_agg(r.role order by r.role) from user_roles r where r.user_id = u.id), '{}')`.as(
          'roles',
        ),
      ])
      .orderBy('u.username')
      .limit(opts.limit)
      .offset(opts.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export async function userInScope(db: Kysely<DB>, userId: string) {
  return db
    .selectFrom('users as u')
    .innerJoin('jurisdictions as j', 'j.id', 'u.jurisdiction_id')
    .select(['u.id', 'u.username', 'u.status', sql<string>`j.path::text`.as('path')])
    .where('u.id', '=', userId)
    .executeTakeFirst();
}
