import { ZAuditEntry, ZAuditQuery, ZAuditVerifyResult, ZErrorBody } from '@jiayuan/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withTx } from '../../shared/context.ts';
import { authorize } from '../identity/identity.policy.ts';
import { recordAudit, searchAudit, verifyChain } from './audit.service.ts';

const errors = { 400: ZErrorBody, 401: ZErrorBody, 403: ZErrorBody };

export async function auditRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['audit'];
  r.get(
    '/api/audit',
    {
      schema: {
        tags,
        summary: '审计日志查询（审计管理员）· Search the audit log (audit admin)',
        querystring: ZAuditQuery,
        response: { 200: z.object({ items: z.array(ZAuditEntry), nextBefore: z.string().nullable() }), ...errors },
      },
    },
    async (req) => {
      authorize(req.ctx.actor, 'audit.read');
      const { success, ...rest } = req.query;
      // Reading the audit log is itself audited.
      return withTx(req.ctx, async (tx) => {
        const out = await searchAudit(tx, { ...rest, success: success === undefined ? undefined : success === 'true' });
        await recordAudit(tx, { action: 'audit.search', details: { filter: req.query, returned: out.items.length } });
        return out;
      });
    },
  );
  r.post(
    '/api/audit/verify',
    {
      schema: {
        tags,
        summary: '校验审计链 · Verify the audit chain',
        body: z.object({}).optional(),
        response: { 200: ZAuditVerifyResult, ...errors },
      },
    },
    async (req) => {
      authorize(req.ctx.actor, 'audit.read');
      const result = await verifyChain(req.ctx.db);
      await recordAudit(req.ctx, { action: 'audit.verify', success: result.ok, details: { ...result } });
      return result;
    },
  );
}
