import {
  ZCreateJurisdiction,
  ZErrorBody,
  ZJurisdictionListQuery,
  ZJurisdictionNode,
  ZMoveJurisdiction,
  ZRenameJurisdiction,
  ZRetireJurisdiction,
} from '@jiayuan/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as svc from './jurisdiction.service.ts';

const errors = { 400: ZErrorBody, 401: ZErrorBody, 403: ZErrorBody, 404: ZErrorBody, 409: ZErrorBody };
const ZIdParams = z.object({ id: z.uuid() });
const ZList = z.object({ items: z.array(ZJurisdictionNode) });

export async function jurisdictionRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['jurisdiction'];
  r.get(
    '/api/jurisdictions',
    {
      schema: {
        tags,
        summary: '下级节点（缺省为本人辖区根）· Children of a node (default: the root of your scope)',
        querystring: ZJurisdictionListQuery,
        response: { 200: ZList, ...errors },
      },
    },
    async (req) => ({ items: await svc.listChildren(req.ctx, req.query.parentId, req.query.includeRetired) }),
  );
  r.get(
    '/api/jurisdictions/:id',
    {
      schema: {
        tags,
        summary: '辖区节点 · One node',
        params: ZIdParams,
        response: { 200: ZJurisdictionNode, ...errors },
      },
    },
    async (req) => svc.getNode(req.ctx, req.params.id),
  );
  r.get(
    '/api/jurisdictions/:id/move-targets',
    {
      schema: {
        tags,
        summary: '可迁入的上级 · Where a node may move',
        params: ZIdParams,
        response: { 200: ZList, ...errors },
      },
    },
    async (req) => ({ items: await svc.moveTargets(req.ctx, req.params.id) }),
  );
  r.post(
    '/api/jurisdictions',
    {
      schema: {
        tags,
        summary: '新建下级节点 · Create a child node',
        body: ZCreateJurisdiction,
        response: { 201: ZJurisdictionNode, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await svc.createNode(req.ctx, req.body)),
  );
  r.patch(
    '/api/jurisdictions/:id',
    {
      schema: {
        tags,
        summary: '重命名 · Rename',
        params: ZIdParams,
        body: ZRenameJurisdiction,
        response: { 200: ZJurisdictionNode, ...errors },
      },
    },
    async (req) => svc.renameNode(req.ctx, req.params.id, req.body.name),
  );
  r.post(
    '/api/jurisdictions/:id/move',
    {
      schema: {
        tags,
        summary: '迁移 · Move under another parent',
        params: ZIdParams,
        body: ZMoveJurisdiction,
        response: { 200: ZJurisdictionNode, ...errors },
      },
    },
    async (req) => svc.moveNode(req.ctx, req.params.id, req.body.newParentId),
  );
  r.post(
    '/api/jurisdictions/:id/retire',
    {
      schema: {
        tags,
        summary: '撤销（不删除）· Retire (never delete)',
        params: ZIdParams,
        body: ZRetireJurisdiction,
        response: { 200: ZJurisdictionNode, ...errors },
      },
    },
    async (req) => svc.retireNode(req.ctx, req.params.id, req.body.reason),
  );
}
