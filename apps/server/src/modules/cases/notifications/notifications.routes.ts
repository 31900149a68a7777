import { ZErrorBody, ZNotification, ZOk } from '@jiayuan/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as svc from './notifications.service.ts';

const errors = { 400: ZErrorBody, 401: ZErrorBody, 404: ZErrorBody };

export async function notificationRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['notifications'];
  r.get(
    '/api/notifications',
    {
      schema: {
        tags,
        summary: '我的站内通知 · My in-app notifications',
        querystring: z.strictObject({
          unread: z.enum(['true', 'false']).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: z.object({ items: z.array(ZNotification) }), ...errors },
      },
    },
    async (req) => ({ items: await svc.myNotifications(req.ctx, req.query.unread === 'true', req.query.limit) }),
  );
  r.post(
    '/api/notifications/:id/read',
    {
      schema: {
        tags,
        summary: '标记已读 · Mark read',
        params: z.object({ id: z.uuid() }),
        body: z.strictObject({}).optional(),
        response: { 200: ZOk, ...errors },
      },
    },
    async (req) => {
      await svc.markRead(req.ctx, req.params.id);
      return { ok: true as const };
    },
  );
}
