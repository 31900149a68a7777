import {
  ZCreateOrganisation,
  ZOrganisationListQuery,
  ZOrganisationView,
  ZOrgRevealRequest,
  ZPageInfo,
  ZRevealResponse,
  ZUpdateOrganisation,
} from '@jiayuan/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as svc from './organisations.service.ts';
import { errors, ZIdParams } from './places.routes.ts';

export async function organisationsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['registry: organisations'];
  r.post(
    '/api/organisations',
    {
      schema: {
        tags,
        summary: '登记实有单位 · Register an organisation',
        body: ZCreateOrganisation,
        response: { 201: ZOrganisationView, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await svc.createOrganisation(req.ctx, req.body)),
  );
  r.get(
    '/api/organisations',
    {
      schema: {
        tags,
        summary: '实有单位列表 · Organisations in scope',
        querystring: ZOrganisationListQuery,
        response: { 200: z.object({ items: z.array(ZOrganisationView), ...ZPageInfo }), ...errors },
      },
    },
    async (req) => svc.listOrganisations(req.ctx, req.query),
  );
  r.get(
    '/api/organisations/:id',
    {
      schema: {
        tags,
        summary: '实有单位 · One organisation (contact masked)',
        params: ZIdParams,
        response: { 200: ZOrganisationView, ...errors },
      },
    },
    async (req) => svc.getOrganisation(req.ctx, req.params.id),
  );
  r.patch(
    '/api/organisations/:id',
    {
      schema: {
        tags,
        summary: '修改实有单位 · Update an organisation',
        params: ZIdParams,
        body: ZUpdateOrganisation,
        response: { 200: ZOrganisationView, ...errors },
      },
    },
    async (req) => svc.updateOrganisation(req.ctx, req.params.id, req.body),
  );
  r.post(
    '/api/organisations/:id/reveal',
    {
      schema: {
        tags,
        summary: '查看联系人完整电话（需说明理由，计入每日上限）· Reveal the contact phone',
        params: ZIdParams,
        body: ZOrgRevealRequest,
        response: { 200: ZRevealResponse, ...errors },
      },
    },
    async (req) => svc.revealOrganisationContact(req.ctx, req.params.id, req.body.reason),
  );
}
