import {
  ZCreateHousehold,
  ZCreateResident,
  ZEndResidence,
  ZFloatingItem,
  ZFloatingQuery,
  ZHouseholdListQuery,
  ZHouseholdView,
  ZPageInfo,
  ZResidentHistoryEntry,
  ZResidentListQuery,
  ZResidentSearchQuery,
  ZResidentView,
  ZRevealRequest,
  ZRevealResponse,
  ZUpdateHousehold,
  ZUpdateResident,
} from '@jiayuan/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as households from './households.service.ts';
import { errors, ZIdParams } from './places.routes.ts';
import * as svc from './residents.service.ts';

const ZResidentPage = z.object({ items: z.array(ZResidentView), ...ZPageInfo });

export async function residentsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['registry: people'];

  r.post(
    '/api/households',
    {
      schema: {
        tags,
        summary: '新建户 · Create a household',
        body: ZCreateHousehold,
        response: { 201: ZHouseholdView, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await households.createHousehold(req.ctx, req.body)),
  );
  r.get(
    '/api/households',
    {
      schema: {
        tags,
        summary: '户列表 · Households in scope',
        querystring: ZHouseholdListQuery,
        response: { 200: z.object({ items: z.array(ZHouseholdView), ...ZPageInfo }), ...errors },
      },
    },
    async (req) => households.listHouseholds(req.ctx, req.query),
  );
  r.get(
    '/api/households/:id',
    {
      schema: { tags, summary: '户 · One household', params: ZIdParams, response: { 200: ZHouseholdView, ...errors } },
    },
    async (req) => households.getHousehold(req.ctx, req.params.id),
  );
  r.patch(
    '/api/households/:id',
    {
      schema: {
        tags,
        summary: '修改户（户号、房屋、户主）· Update a household',
        params: ZIdParams,
        body: ZUpdateHousehold,
        response: { 200: ZHouseholdView, ...errors },
      },
    },
    async (req) => households.updateHousehold(req.ctx, req.params.id, req.body),
  );

  r.post(
    '/api/residents',
    {
      schema: {
        tags,
        summary: '登记居民 · Register a resident',
        body: ZCreateResident,
        response: { 201: ZResidentView, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await svc.createResident(req.ctx, req.body)),
  );
  r.get(
    '/api/residents',
    {
      schema: {
        tags,
        summary: '居民列表（脱敏）· Residents in scope, masked',
        querystring: ZResidentListQuery,
        response: { 200: ZResidentPage, ...errors },
      },
    },
    async (req) => svc.listResidents(req.ctx, req.query),
  );
  r.get(
    '/api/residents/search',
    {
      schema: {
        tags,
        summary: '按姓名（模糊）、证件号或手机号（精确）查找 · Search by name, ID number or phone',
        querystring: ZResidentSearchQuery,
        response: {
          200: ZResidentPage.extend({ kind: z.enum(['name', 'idNumber', 'phone']) }),
          ...errors,
        },
      },
    },
    async (req) => svc.searchResidents(req.ctx, req.query),
  );
  r.get(
    '/api/residents/floating',
    {
      schema: {
        tags,
        summary: '流动人口（新到、逾期、离开）· Floating population',
        querystring: ZFloatingQuery,
        response: { 200: z.object({ items: z.array(ZFloatingItem), ...ZPageInfo }), ...errors },
      },
    },
    async (req) => svc.listFloating(req.ctx, req.query),
  );
  r.get(
    '/api/residents/:id',
    {
      schema: {
        tags,
        summary: '居民详情（脱敏，查看留痕）· One resident, masked; every read is audited',
        params: ZIdParams,
        response: { 200: ZResidentView, ...errors },
      },
    },
    async (req) => svc.getResident(req.ctx, req.params.id),
  );
  r.patch(
    '/api/residents/:id',
    {
      schema: {
        tags,
        summary: '修改居民信息（记录变更历史）· Update a resident (history kept)',
        params: ZIdParams,
        body: ZUpdateResident,
        response: { 200: ZResidentView, ...errors },
      },
    },
    async (req) => svc.updateResident(req.ctx, req.params.id, req.body),
  );
  r.post(
    '/api/residents/:id/end',
    {
      schema: {
        tags,
        summary: '注销居住（迁出、死亡、离开；不删除）· End a residence (never deleted)',
        params: ZIdParams,
        body: ZEndResidence,
        response: { 200: ZResidentView, ...errors },
      },
    },
    async (req) => svc.endResidence(req.ctx, req.params.id, req.body),
  );
  r.get(
    '/api/residents/:id/history',
    {
      schema: {
        tags,
        summary: '变更历史 · Change history',
        params: ZIdParams,
        response: { 200: z.object({ items: z.array(ZResidentHistoryEntry) }), ...errors },
      },
    },
    async (req) => svc.residentHistory(req.ctx, req.params.id),
  );
  r.post(
    '/api/residents/:id/reveal',
    {
      schema: {
        tags,
        summary: '查看完整证件号或手机号（需权限和理由，留痕，每日上限）· Reveal a full value',
        params: ZIdParams,
        body: ZRevealRequest,
        response: { 200: ZRevealResponse, ...errors },
      },
    },
    async (req) => svc.revealResident(req.ctx, req.params.id, req.body.field, req.body.reason),
  );
}
