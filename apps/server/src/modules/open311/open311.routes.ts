import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from '../../http/error-handler.ts';
import { idempotent } from '../../http/idempotency.ts';
import { AppError } from '../../shared/app-error.ts';
import { apiKeyRoutes } from './api-keys.routes.ts';
import { type ApiPrincipal, authenticate } from './api-keys.service.ts';
import { Params } from './open311.params.ts';
import * as svc from './open311.service.ts';
import {
  contentTypes,
  errorsResource,
  type Format,
  formatOfUrl,
  type Resource,
  render,
  splitFormat,
  type Value,
} from './open311.xml.ts';

export const OPEN311_PREFIX = '/open311/v2';
const formats: Format[] = ['xml', 'json'];
const tags = ['open311'];

/** Everything sent: the query string, then the body (a body value wins over a query value of the same name). */
function paramsOf(req: FastifyRequest): Params {
  const p = Params.from(req.query);
  const body = Params.from(req.body);
  for (const [k, v] of Object.entries(body.raw())) for (const x of v) p.add(k, x);
  return p;
}

/** The key presented as `api_key` (or the `x-api-key` header). `required`: 403 without a live key. */
async function keyOf(req: FastifyRequest, p: Params, mode: 'required' | 'optional' | 'lenient') {
  const header = req.headers['x-api-key'];
  const presented = p.get('api_key') ?? (typeof header === 'string' && header.trim() ? header.trim() : undefined);
  if (presented === undefined) {
    if (mode === 'required') throw new AppError('forbidden', 'OPEN311_KEY_REQUIRED');
    return null;
  }
  const key = await authenticate(req.ctx, presented);
  if (!key && mode !== 'lenient') throw new AppError('forbidden', 'OPEN311_KEY_INVALID');
  return key;
}

function send(reply: FastifyReply, format: Format, r: Resource, status?: number) {
  if (status !== undefined) reply.code(status);
  return reply.type(contentTypes[format]).header('cache-control', 'no-store').send(render(format, r));
}

/** `errors/error` in the requested format, from the API's JSON error body (its message, and what it names). */
function describe(err: { message?: unknown; details?: unknown }): string {
  const message = typeof err.message === 'string' ? err.message : '';
  const d = err.details as { issues?: { path?: unknown }[] } | string | undefined;
  if (typeof d === 'string') return `${message}: ${d}`;
  const paths = Array.isArray(d?.issues) ? d.issues.map((i) => String(i.path ?? '')).filter(Boolean) : [];
  return paths.length ? `${message} (${paths.join(', ')})` : message;
}

export type Open311RouteOptions = svc.Open311Options;

/**
 * Open311 GeoReport v2 at /open311/v2/, in XML and JSON (OPEN311.md). Form-urlencoded and multipart bodies are
 * accepted in this scope only: the rest of the API keeps refusing form posts. Errors, whatever raised them (a
 * service, a body parser, a missing route, an Idempotency-Key conflict), answer `errors/error` in the format of the
 * URL's extension.
 */
export async function open311Api(app: FastifyInstance, opts: Open311RouteOptions) {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, [...new URLSearchParams(body as string)]);
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  await app.register(fastifyMultipart, {
    attachFieldsToBody: 'keyValues',
    // Media come as media_url; uploaded files are read past and dropped.
    onFile: async (part: { file: NodeJS.ReadableStream; value?: unknown }) => {
      for await (const _ of part.file);
      part.value = undefined;
    },
    limits: { fields: 200, fieldSize: 65_536, files: 5, fileSize: 10 * 1024 * 1024, parts: 205 },
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (reply.statusCode < 400 || typeof payload !== 'string') return payload;
    if (!String(reply.getHeader('content-type') ?? '').includes('application/json')) return payload;
    let parsed: { error?: { code?: unknown; message?: unknown; details?: unknown } };
    try {
      parsed = JSON.parse(payload);
    } catch {
      return payload;
    }
    if (!parsed?.error || typeof parsed.error.code !== 'string') return payload;
    const format = formatOfUrl(req.url);
    reply.header('content-type', contentTypes[format]);
    return render(format, errorsResource([{ code: reply.statusCode, description: describe(parsed.error) }]));
  });
  app.setNotFoundHandler((req, reply) => sendError(req, reply, 404, 'OPEN311_NOT_FOUND'));

  for (const format of formats) {
    app.get(
      `/discovery.${format}`,
      { schema: { tags, summary: `Open311 服务发现 · discovery (${format})` } },
      async (req, reply) => send(reply, format, svc.discovery(`${req.protocol}://${req.host}${OPEN311_PREFIX}/`)),
    );

    app.get(
      `/services.${format}`,
      { schema: { tags, summary: `Open311 服务列表（事件小类）· services (${format})` } },
      async (req, reply) => {
        const p = paramsOf(req);
        return send(reply, format, await svc.listServices(req.ctx, p, await keyOf(req, p, 'lenient')));
      },
    );

    app.post(
      `/requests.${format}`,
      { schema: { tags, summary: `Open311 提交服务请求（上报事件）· create a request (${format})` } },
      async (req, reply) => {
        const p = paramsOf(req);
        const key = (await keyOf(req, p, 'required')) as ApiPrincipal;
        const out = await idempotent(req, reply, async (tx) => svc.createRequest(tx, key, p, opts), {
          principal: `open311-key:${key.id}`,
        });
        if (reply.sent) return reply;
        return send(reply, format, svc.requestAnswer(out as Record<string, Value>[]));
      },
    );

    app.get(
      `/requests.${format}`,
      { schema: { tags, summary: `Open311 服务请求列表 · requests (${format})` } },
      async (req, reply) => {
        const p = paramsOf(req);
        return send(reply, format, await svc.listRequests(req.ctx, p, await keyOf(req, p, 'optional')));
      },
    );

    app.get(
      `/servicerequestupdates.${format}`,
      { schema: { tags, summary: `Open311 状态更新（FixMyStreet 扩展）· service request updates (${format})` } },
      async (req, reply) => {
        const p = paramsOf(req);
        const key = (await keyOf(req, p, 'required')) as ApiPrincipal;
        return send(reply, format, await svc.listUpdates(req.ctx, p, key));
      },
    );

    app.post(
      `/servicerequestupdates.${format}`,
      { schema: { tags, summary: `Open311 提交更新（FixMyStreet 扩展）· post an update (${format})` } },
      async (req, reply) => {
        const p = paramsOf(req);
        const key = (await keyOf(req, p, 'required')) as ApiPrincipal;
        const out = await idempotent(req, reply, async (tx) => svc.postUpdate(tx, key, p), {
          principal: `open311-key:${key.id}`,
        });
        if (reply.sent) return reply;
        return send(reply, format, svc.updateAnswer(out as Record<string, Value>[]));
      },
    );
  }

  // One path segment with the format as its extension: service codes hold dots (dispute.neighbour.xml).
  const named = (file: string) => {
    const f = splitFormat(file);
    if (!f || f.name === '') throw new AppError('not_found', 'OPEN311_NOT_FOUND');
    return f;
  };

  app.get<{ Params: { file: string } }>(
    '/services/:file',
    { schema: { tags, summary: 'Open311 服务定义（附加字段）· service definition ({code}.xml|json)' } },
    async (req, reply) => {
      const { name, format } = named(req.params.file);
      const p = paramsOf(req);
      return send(reply, format, await svc.serviceDefinition(req.ctx, name, p, await keyOf(req, p, 'lenient')));
    },
  );

  app.get<{ Params: { file: string } }>(
    '/requests/:file',
    { schema: { tags, summary: 'Open311 单个服务请求 · one request ({id}.xml|json)' } },
    async (req, reply) => {
      const { name, format } = named(req.params.file);
      const p = paramsOf(req);
      return send(reply, format, await svc.getRequest(req.ctx, name, p, await keyOf(req, p, 'optional')));
    },
  );

  app.get<{ Params: { file: string } }>(
    '/tokens/:file',
    { schema: { tags, summary: 'Open311 由 token 查请求编号 · request id from a token ({token}.xml|json)' } },
    async (req, reply) => {
      const { name, format } = named(req.params.file);
      return send(reply, format, await svc.tokenLookup(req.ctx, name));
    },
  );
}

/** Registers the Open311 interface under its prefix, and the API key administration under /api/open311/keys. */
export async function open311Routes(app: FastifyInstance, opts: Open311RouteOptions) {
  await app.register(open311Api, { ...opts, prefix: OPEN311_PREFIX });
  await app.register(apiKeyRoutes);
}
