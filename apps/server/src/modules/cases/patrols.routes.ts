import {
  ZBuildingRecord,
  ZBuildingRecordKind,
  ZCreateBuildingRecord,
  ZEndPatrol,
  ZErrorBody,
  ZFieldworkStats,
  ZFieldworkStatsQuery,
  ZPatrol,
  ZPatrolPoints,
  ZStartPatrol,
} from '@jiayuan/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { GridLocator } from './cases.service.ts';
import * as svc from './patrols.service.ts';

const errors = { 400: ZErrorBody, 401: ZErrorBody, 403: ZErrorBody, 404: ZErrorBody, 409: ZErrorBody };
const ZIdParams = z.object({ id: z.uuid() });
const ZLimit = z.coerce.number().int().min(1).max(200).default(50);

export async function patrolRoutes(app: FastifyInstance, opts: { locateGrid?: GridLocator }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['patrols'];

  r.post(
    '/api/patrols',
    {
      schema: { tags, summary: '开始巡查 · Start a patrol', body: ZStartPatrol, response: { 201: ZPatrol, ...errors } },
    },
    async (req, reply) => reply.code(201).send(await svc.startPatrol(req.ctx, req.body, opts.locateGrid)),
  );
  r.post(
    '/api/patrols/:id/points',
    {
      schema: {
        tags,
        summary: '上传轨迹点 · Add route points',
        params: ZIdParams,
        body: ZPatrolPoints,
        response: { 200: ZPatrol, ...errors },
      },
    },
    async (req) => svc.addPatrolPoints(req.ctx, req.params.id, req.body.points),
  );
  r.post(
    '/api/patrols/:id/end',
    {
      schema: {
        tags,
        summary: '结束巡查 · End a patrol with its findings',
        params: ZIdParams,
        body: ZEndPatrol,
        response: { 200: ZPatrol, ...errors },
      },
    },
    async (req) => svc.endPatrol(req.ctx, req.params.id, req.body),
  );
  r.get(
    '/api/patrols',
    {
      schema: {
        tags,
        summary: "巡查记录 · Patrols (mine, and my scope's)",
        querystring: z.strictObject({ limit: ZLimit }),
        response: { 200: z.object({ items: z.array(ZPatrol) }), ...errors },
      },
    },
    async (req) => ({ items: await svc.listPatrols(req.ctx, req.query.limit) }),
  );
  r.get(
    '/api/patrols/:id',
    {
      schema: {
        tags,
        summary: '巡查详情（含轨迹）· A patrol with its route',
        params: ZIdParams,
        response: { 200: ZPatrol, ...errors },
      },
    },
    async (req) => svc.getPatrol(req.ctx, req.params.id),
  );

  r.post(
    '/api/building-records',
    {
      schema: {
        tags,
        summary: '楼栋长工作记录 · A building-head record',
        body: ZCreateBuildingRecord,
        response: { 201: ZBuildingRecord, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await svc.createBuildingRecord(req.ctx, req.body)),
  );
  r.get(
    '/api/building-records',
    {
      schema: {
        tags,
        summary: '楼栋长工作记录列表 · Building-head records',
        querystring: z.strictObject({ kind: ZBuildingRecordKind.optional(), limit: ZLimit }),
        response: { 200: z.object({ items: z.array(ZBuildingRecord) }), ...errors },
      },
    },
    async (req) => ({ items: await svc.listBuildingRecords(req.ctx, req.query) }),
  );
  r.get(
    '/api/fieldwork/stats',
    {
      schema: {
        tags,
        summary: '巡查与楼栋工作统计 · Patrols and building-head records counted per building, grid or community',
        querystring: ZFieldworkStatsQuery,
        response: { 200: ZFieldworkStats, ...errors },
      },
    },
    async (req) => svc.fieldworkStats(req.ctx, req.query),
  );
}
