import {
  ZAssignmentView,
  ZAssignUser,
  ZBoundaryCollection,
  ZBoundaryImport,
  ZBoundaryImportResult,
  ZBoundaryQuery,
  ZLocateQuery,
  ZLocateResult,
} from '@jiayuan/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as svc from './grids.service.ts';
import { errors, ZIdParams } from './places.routes.ts';

/** A city's boundaries can be a few megabytes of GeoJSON. */
const BOUNDARY_BODY_LIMIT = 32 * 1024 * 1024;
const ZAssignments = z.object({ items: z.array(ZAssignmentView) });
const ZUserParams = z.object({ id: z.uuid(), userId: z.uuid() });

export async function gridsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['registry: grids'];
  r.post(
    '/api/grids/boundaries',
    {
      bodyLimit: BOUNDARY_BODY_LIMIT,
      schema: {
        tags,
        summary: '导入网格边界（GeoJSON，全部成功或全部不导入）· Import grid boundaries, all or nothing',
        body: ZBoundaryImport,
        response: { 200: ZBoundaryImportResult, ...errors },
      },
    },
    async (req) => svc.importBoundaries(req.ctx, req.body),
  );
  r.get(
    '/api/grids/boundaries',
    {
      schema: {
        tags,
        summary: '辖区内的网格边界（地图用）· Grid boundaries of a scope, for the map',
        querystring: ZBoundaryQuery,
        response: { 200: ZBoundaryCollection, ...errors },
      },
    },
    async (req) => svc.boundaryCollection(req.ctx, req.query.within),
  );
  r.get(
    '/api/grids/locate',
    {
      schema: {
        tags,
        summary: '坐标所在网格 · The grid containing a point',
        querystring: ZLocateQuery,
        response: { 200: ZLocateResult, ...errors },
      },
    },
    async (req) => svc.locate(req.ctx, req.query.lng, req.query.lat),
  );

  r.get(
    '/api/grids/:id/managers',
    {
      schema: {
        tags,
        summary: '网格员 · Grid managers of a grid',
        params: ZIdParams,
        response: { 200: ZAssignments, ...errors },
      },
    },
    async (req) => svc.listGridManagers(req.ctx, req.params.id),
  );
  r.post(
    '/api/grids/:id/managers',
    {
      schema: {
        tags,
        summary: '分配网格员 · Assign a grid manager',
        params: ZIdParams,
        body: ZAssignUser,
        response: { 200: ZAssignments, ...errors },
      },
    },
    async (req) => svc.assignGridManager(req.ctx, req.params.id, req.body.userId),
  );
  r.delete(
    '/api/grids/:id/managers/:userId',
    {
      schema: {
        tags,
        summary: '取消分配网格员 · Unassign',
        params: ZUserParams,
        response: { 200: ZAssignments, ...errors },
      },
    },
    async (req) => svc.unassignGridManager(req.ctx, req.params.id, req.params.userId),
  );
  r.get(
    '/api/buildings/:id/heads',
    {
      schema: {
        tags,
        summary: '楼栋长 · Building heads',
        params: ZIdParams,
        response: { 200: ZAssignments, ...errors },
      },
    },
    async (req) => svc.listBuildingHeads(req.ctx, req.params.id),
  );
  r.post(
    '/api/buildings/:id/heads',
    {
      schema: {
        tags,
        summary: '分配楼栋长 · Assign a building head',
        params: ZIdParams,
        body: ZAssignUser,
        response: { 200: ZAssignments, ...errors },
      },
    },
    async (req) => svc.assignBuildingHead(req.ctx, req.params.id, req.body.userId),
  );
  r.delete(
    '/api/buildings/:id/heads/:userId',
    {
      schema: {
        tags,
        summary: '取消分配楼栋长 · Unassign',
        params: ZUserParams,
        response: { 200: ZAssignments, ...errors },
      },
    },
    async (req) => svc.unassignBuildingHead(req.ctx, req.params.id, req.params.userId),
  );
}
