import { ZErrorBody } from '@jiayuan/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as svc from './api-keys.service.ts';

const ZApiKey = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().describe('the first characters of the key, to tell keys apart'),
    jurisdictionId: z.uuid(),
    jurisdictionCode: z.string(),
    jurisdictionName: z.string(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'Open311ApiKey' });

const errors = { 400: ZErrorBody, 401: ZErrorBody, 403: ZErrorBody, 404: ZErrorBody, 409: ZErrorBody };

/** API keys of Open311 integrators, for system administrators (the CLI does the same: `jiayuan keys …`). */
export async function apiKeyRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const t = ['open311'];

  r.get(
    '/api/open311/keys',
    {
      schema: {
        tags: t,
        summary: 'Open311 API 密钥列表 · API keys in scope',
        response: { 200: z.object({ items: z.array(ZApiKey) }), ...errors },
      },
    },
    async (req) => ({ items: await svc.listApiKeys(req.ctx) }),
  );

  r.post(
    '/api/open311/keys',
    {
      schema: {
        tags: t,
        summary: '签发 API 密钥（密钥只显示这一次）· Issue an API key (shown once)',
        body: z.strictObject({
          name: z.string().trim().min(1).max(60),
          jurisdictionCode: z.string().regex(/^\d{6,14}$/),
        }),
        response: { 201: z.object({ key: z.string(), apiKey: ZApiKey }), ...errors },
      },
    },
    async (req, reply) => {
      const out = await svc.createApiKey(req.ctx, req.body);
      return reply.code(201).send(out);
    },
  );

  r.post(
    '/api/open311/keys/:id/revoke',
    {
      schema: {
        tags: t,
        summary: '吊销 API 密钥 · Revoke an API key',
        params: z.object({ id: z.uuid() }),
        response: { 200: ZApiKey, ...errors },
      },
    },
    async (req) => svc.revokeApiKey(req.ctx, req.params.id),
  );
}
