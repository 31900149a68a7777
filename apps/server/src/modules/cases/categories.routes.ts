import {
  ZCalendarYear,
  ZCategory,
  ZCreateCategory,
  ZCreateDepartment,
  ZDepartment,
  ZErrorBody,
  ZPutCalendarYear,
  ZPutRoutingRule,
  ZRoutingRule,
  ZUpdateCategory,
} from '@jiayuan/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as svc from './categories.service.ts';
import { getCalendarYear, putCalendarYear } from './deadlines.service.ts';

const errors = { 400: ZErrorBody, 401: ZErrorBody, 403: ZErrorBody, 404: ZErrorBody, 409: ZErrorBody };

export async function categoryRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['case categories'];

  r.get(
    '/api/cases/categories',
    {
      schema: {
        tags,
        summary: '事件类别（大类、小类）· Case categories',
        querystring: z.strictObject({ includeInactive: z.enum(['true', 'false']).optional() }),
        response: { 200: z.object({ items: z.array(ZCategory) }), ...errors },
      },
    },
    async (req) => ({ items: await svc.listCategories(req.ctx, req.query.includeInactive === 'true') }),
  );
  r.post(
    '/api/cases/categories',
    {
      schema: {
        tags,
        summary: '新建类别 · Create a category',
        body: ZCreateCategory,
        response: { 201: ZCategory, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await svc.createCategory(req.ctx, req.body)),
  );
  r.patch(
    '/api/cases/categories/:id',
    {
      schema: {
        tags,
        summary: '修改类别 · Edit a category',
        params: z.object({ id: z.uuid() }),
        body: ZUpdateCategory,
        response: { 200: ZCategory, ...errors },
      },
    },
    async (req) => svc.updateCategory(req.ctx, req.params.id, req.body),
  );

  r.get(
    '/api/cases/departments',
    {
      schema: {
        tags,
        summary: '责任部门 · Departments cases are routed to',
        response: { 200: z.object({ items: z.array(ZDepartment) }), ...errors },
      },
    },
    async (req) => ({ items: await svc.listDepartments(req.ctx) }),
  );
  r.post(
    '/api/cases/departments',
    {
      schema: {
        tags,
        summary: '新建责任部门 · Create a department',
        body: ZCreateDepartment,
        response: { 201: ZDepartment, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await svc.createDepartment(req.ctx, req.body)),
  );

  r.get(
    '/api/cases/routing-rules',
    {
      schema: {
        tags,
        summary: '分拨规则 · Routing rules (小类 × jurisdiction → department or the community)',
        response: { 200: z.object({ items: z.array(ZRoutingRule) }), ...errors },
      },
    },
    async (req) => ({ items: await svc.listRoutingRules(req.ctx) }),
  );
  r.put(
    '/api/cases/routing-rules',
    {
      schema: {
        tags,
        summary: '设置分拨规则 · Set a routing rule',
        body: ZPutRoutingRule,
        response: { 200: ZRoutingRule, ...errors },
      },
    },
    async (req) => svc.putRoutingRule(req.ctx, req.body),
  );

  const ZYear = z.object({ year: z.coerce.number().int().min(2000).max(2100) });
  r.get(
    '/api/cases/calendar/:year',
    {
      schema: {
        tags,
        summary: '工作日历（节假日与调休）· Working calendar of a year',
        params: ZYear,
        response: { 200: ZCalendarYear, ...errors },
      },
    },
    async (req) => getCalendarYear(req.ctx, req.params.year),
  );
  r.put(
    '/api/cases/calendar/:year',
    {
      schema: {
        tags,
        summary: "设置全年节假日与调休 · Replace a year's holidays and make-up working days",
        params: ZYear,
        body: ZPutCalendarYear,
        response: { 200: ZCalendarYear, ...errors },
      },
    },
    async (req) => putCalendarYear(req.ctx, req.params.year, req.body.days),
  );
}
