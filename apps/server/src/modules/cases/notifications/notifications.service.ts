import { AppError } from '../../../shared/app-error.ts';
import type { Actor, Ctx } from '../../../shared/context.ts';
import * as q from './outbox.queries.ts';

const me = (ctx: Ctx): Actor => {
  if (!ctx.actor) throw new AppError('unauthenticated', 'AUTH_REQUIRED');
  return ctx.actor;
};

/** The signed-in user's in-app notifications, newest first. */
export async function myNotifications(ctx: Ctx, unreadOnly: boolean, limit: number) {
  const rows = await q.notificationsOf(ctx.db, me(ctx).userId, unreadOnly, limit);
  return rows.map((n) => ({
    id: n.id,
    kind: n.kind,
    title: n.title,
    body: n.body,
    caseId: n.case_id,
    createdAt: new Date(n.created_at).toISOString(),
    readAt: n.read_at ? new Date(n.read_at).toISOString() : null,
  }));
}

export async function markRead(ctx: Ctx, id: string) {
  if (!(await q.markRead(ctx.db, me(ctx).userId, id, ctx.clock.now())))
    throw new AppError('not_found', 'NOTIFICATION_NOT_FOUND');
}
