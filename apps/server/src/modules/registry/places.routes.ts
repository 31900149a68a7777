import {
  ZBuildingView,
  ZComplexView,
  ZCreateBuilding,
  ZCreateComplex,
  ZCreateDwelling,
  ZCreateUnit,
  ZDwellingView,
  ZErrorBody,
  ZPageInfo,
  ZPlaceListQuery,
  ZUnitView,
  ZUpdateBuilding,
  ZUpdateComplex,
  ZUpdateDwelling,
  ZUpdateUnit,
} from '@jiayuan/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type ZodType, z } from 'zod';
import * as svc from './places.service.ts';

export const errors = {
  400: ZErrorBody,
  401: ZErrorBody,
  403: ZErrorBody,
  404: ZErrorBody,
  409: ZErrorBody,
  429: ZErrorBody,
};
export const ZIdParams = z.object({ id: z.uuid() });

type Ctx = FastifyRequest['ctx'];
type Page<T> = { items: T[]; nextCursor: string | null };

/** The four routes of a place kind: create, list (keyset pages), get, update. */
function placeRoutes<C extends ZodType, U extends ZodType, V extends ZodType>(
  app: FastifyInstance,
  spec: {
    path: string;
    label: string;
    create: C;
    update: U;
    view: V;
    svcCreate: (ctx: Ctx, input: z.infer<C>) => Promise<z.infer<V>>;
    svcUpdate: (ctx: Ctx, id: string, input: z.infer<U>) => Promise<z.infer<V>>;
    svcGet: (ctx: Ctx, id: string) => Promise<z.infer<V>>;
    svcList: (ctx: Ctx, q: z.infer<typeof ZPlaceListQuery>) => Promise<Page<z.infer<V>>>;
  },
) {
  // Generic over the schemas, so this uses the untyped instance: the zod compilers still validate every request and
  // response against the schemas given.
  const tags = ['registry: places'];
  type Req = FastifyRequest<{ Params: { id: string }; Body: unknown; Querystring: z.infer<typeof ZPlaceListQuery> }>;
  app.post(
    spec.path,
    { schema: { tags, summary: `新建${spec.label}`, body: spec.create, response: { 201: spec.view, ...errors } } },
    async (req: Req, reply) => reply.code(201).send(await spec.svcCreate(req.ctx, req.body as z.infer<C>)),
  );
  app.get(
    spec.path,
    {
      schema: {
        tags,
        summary: `${spec.label}列表`,
        querystring: ZPlaceListQuery,
        response: { 200: z.object({ items: z.array(spec.view), ...ZPageInfo }), ...errors },
      },
    },
    async (req: Req) => spec.svcList(req.ctx, req.query),
  );
  app.get(
    `${spec.path}/:id`,
    { schema: { tags, summary: spec.label, params: ZIdParams, response: { 200: spec.view, ...errors } } },
    async (req: Req) => spec.svcGet(req.ctx, req.params.id),
  );
  app.patch(
    `${spec.path}/:id`,
    {
      schema: {
        tags,
        summary: `修改${spec.label}`,
        params: ZIdParams,
        body: spec.update,
        response: { 200: spec.view, ...errors },
      },
    },
    async (req: Req) => spec.svcUpdate(req.ctx, req.params.id, req.body as z.infer<U>),
  );
}

export async function placesRoutes(app: FastifyInstance) {
  placeRoutes(app, {
    path: '/api/complexes',
    label: '小区 · Residential complex',
    create: ZCreateComplex,
    update: ZUpdateComplex,
    view: ZComplexView,
    svcCreate: svc.createComplex,
    svcUpdate: svc.updateComplex,
    svcGet: svc.getComplex,
    svcList: svc.listComplexes,
  });
  placeRoutes(app, {
    path: '/api/buildings',
    label: '楼栋 · Building',
    create: ZCreateBuilding,
    update: ZUpdateBuilding,
    view: ZBuildingView,
    svcCreate: svc.createBuilding,
    svcUpdate: svc.updateBuilding,
    svcGet: svc.getBuilding,
    svcList: svc.listBuildings,
  });
  placeRoutes(app, {
    path: '/api/units',
    label: '单元 · Unit',
    create: ZCreateUnit,
    update: ZUpdateUnit,
    view: ZUnitView,
    svcCreate: svc.createUnit,
    svcUpdate: svc.updateUnit,
    svcGet: svc.getUnit,
    svcList: svc.listUnits,
  });
  placeRoutes(app, {
    path: '/api/dwellings',
    label: '房屋 · Dwelling',
    create: ZCreateDwelling,
    update: ZUpdateDwelling,
    view: ZDwellingView,
    svcCreate: svc.createDwelling,
    svcUpdate: svc.updateDwelling,
    svcGet: svc.getDwelling,
    svcList: svc.listDwellings,
  });
}
