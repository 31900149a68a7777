import {
  ZAttachment,
  ZCaseDetail,
  ZCaseEvent,
  ZCaseList,
  ZCaseListQuery,
  ZCreateCase,
  ZCreateCaseResponse,
  ZDispatch,
  ZErrorBody,
  ZIndicatorQuery,
  ZIndicators,
  ZMerge,
  ZTransition,
} from '@jiayuan/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendError } from '../../http/error-handler.ts';
import { idempotent } from '../../http/idempotency.ts';
import { AppError } from '../../shared/app-error.ts';
import * as svc from './cases.service.ts';
import { indicators } from './indicators.service.ts';

const errors = {
  400: ZErrorBody,
  401: ZErrorBody,
  403: ZErrorBody,
  404: ZErrorBody,
  409: ZErrorBody,
  413: ZErrorBody,
  415: ZErrorBody,
  422: ZErrorBody,
};
const ZIdParams = z.object({ id: z.uuid() });

export async function caseCoreRoutes(app: FastifyInstance, opts: svc.CaseOptions) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['cases'];

  r.post(
    '/api/cases',
    {
      schema: {
        tags,
        summary: '上报事件 · Report a case (Idempotency-Key required)',
        headers: z.object({ 'idempotency-key': z.string().min(1).max(255).optional() }),
        body: ZCreateCase,
        response: { 201: ZCreateCaseResponse, ...errors },
      },
    },
    async (req, reply) =>
      idempotent(req, reply, async (tx) => ({ status: 201, body: await svc.createCase(tx, req.body, opts) }), {
        required: true,
      }),
  );

  r.get(
    '/api/cases',
    {
      schema: {
        tags,
        summary: '事件列表 · Cases (filters, keyset pagination)',
        querystring: ZCaseListQuery,
        response: { 200: ZCaseList, ...errors },
      },
    },
    async (req) => svc.listCases(req.ctx, req.query),
  );

  r.get(
    '/api/cases/indicators',
    {
      schema: {
        tags,
        summary: '考核指标 · Indicators: 结案率, 按期结案率, 返工率, 响应率, 解决率, 满意率',
        querystring: ZIndicatorQuery,
        response: { 200: ZIndicators, ...errors },
      },
    },
    async (req) => indicators(req.ctx, req.query),
  );

  r.get(
    '/api/cases/:id',
    {
      schema: {
        tags,
        summary: '事件详情（含时间线）· Case detail with timeline',
        params: ZIdParams,
        response: { 200: ZCaseDetail, ...errors },
      },
    },
    async (req) => svc.getCase(req.ctx, req.params.id),
  );

  r.get(
    '/api/cases/:id/timeline',
    {
      schema: {
        tags,
        summary: '事件时间线 · Timeline',
        params: ZIdParams,
        response: { 200: z.object({ items: z.array(ZCaseEvent) }), ...errors },
      },
    },
    async (req) => ({ items: await svc.timeline(req.ctx, req.params.id) }),
  );

  r.post(
    '/api/cases/:id/transitions',
    {
      schema: {
        tags,
        summary: '流转（核实、作废、立案、派遣、签收、反馈、结案、返工、缓办、恢复、重启、评价）· Move a case',
        params: ZIdParams,
        body: ZTransition,
        response: { 200: ZCaseDetail, ...errors },
      },
    },
    async (req) => svc.transition(req.ctx, req.params.id, req.body),
  );

  r.post(
    '/api/cases/:id/dispatch',
    {
      schema: {
        tags,
        summary: '派遣 · Dispatch (or re-dispatch after rework or reopen)',
        params: ZIdParams,
        body: ZDispatch,
        response: { 200: ZCaseDetail, ...errors },
      },
    },
    async (req) => svc.transition(req.ctx, req.params.id, { action: 'dispatch', ...req.body }),
  );

  r.post(
    '/api/cases/:id/merge',
    {
      schema: {
        tags,
        summary: '合并重复上报 · Merge a duplicate into an open case',
        params: ZIdParams,
        body: ZMerge,
        response: { 200: ZCaseDetail, ...errors },
      },
    },
    async (req) => svc.mergeCase(req.ctx, req.params.id, req.body),
  );

  r.post(
    '/api/cases/:id/attachments',
    {
      schema: {
        tags,
        summary: '上传照片或文件（multipart，≤10 MB，JPG/PNG/PDF）· Upload a photo or file',
        consumes: ['multipart/form-data'],
        params: ZIdParams,
        response: { 201: ZAttachment, ...errors },
      },
    },
    async (req, reply) => {
      if (!req.isMultipart()) return sendError(req, reply, 415, 'UNSUPPORTED_MEDIA_TYPE');
      const file = await req.file();
      if (!file) throw new AppError('invalid', 'VALIDATION_FAILED', { details: { file: 'missing' } });
      const data = await file.toBuffer();
      try {
        return reply.code(201).send(await svc.addAttachment(req.ctx, req.params.id, data, opts));
      } catch (e) {
        if (e instanceof svc.AttachmentTypeError) return sendError(req, reply, 415, 'CASES_ATTACHMENT_TYPE');
        throw e;
      }
    },
  );

  r.get(
    '/api/cases/:id/attachments/:attachmentId',
    {
      schema: {
        tags,
        summary: '下载附件 · Download an attachment',
        params: z.object({ id: z.uuid(), attachmentId: z.uuid() }),
      },
    },
    async (req, reply) => {
      const f = await svc.openAttachment(req.ctx, req.params.id, req.params.attachmentId, opts);
      return reply
        .header('content-type', f.mime)
        .header('content-length', String(f.size))
        .header('content-disposition', `attachment; filename="${f.filename}"`)
        .send(f.stream);
    },
  );
}
