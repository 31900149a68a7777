import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { auditRoutes } from '../modules/audit/index.ts';
import { caseOptionsFrom, caseRoutes } from '../modules/cases/index.ts';
import { identityRoutes, resolveSession, type SessionInfo } from '../modules/identity/index.ts';
import { jurisdictionRoutes } from '../modules/jurisdiction/index.ts';
import { open311Routes } from '../modules/open311/index.ts';
import { gridLocator, registryRoutes } from '../modules/registry/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { Ctx } from '../shared/context.ts';
import type { Keyring } from '../shared/crypto.ts';
import { languageFrom } from '../shared/messages.ts';
import { errorHandler, sendError } from './error-handler.ts';
import { healthRoutes } from './health.ts';

export type AuthMode = 'public' | 'pending' | 'session';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** public: no session needed; pending: a session in a sign-in step will do; session (default): signed in. */
    auth?: AuthMode;
  }
  interface FastifyRequest {
    ctx: Ctx;
    session: SessionInfo | null;
  }
}

export type AppDeps = {
  database: Database;
  config: Pick<Config, 'cookieSecure' | 'trustProxy' | 'logLevel' | 'webDist'> &
    Partial<Pick<Config, 'uploadDir' | 'caseDuplicateRadiusM' | 'caseDuplicateHours'>>;
  clock: Clock;
  keyring: Keyring;
  /** A pino destination for tests that read the logs. */
  logStream?: NodeJS.WritableStream;
};

export const sessionCookieName = (secure: boolean) => (secure ? '__Host-jy_session' : 'jy_session');

const CSP =
  "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; " +
  "connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'";

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    trustProxy: deps.config.trustProxy,
    bodyLimit: 1_048_576,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    return503OnClosing: true,
    logger: {
      level: deps.config.logLevel,
      ...(deps.logStream ? { stream: deps.logStream } : {}),
      // Requests are logged by route pattern, never by their URL, query, body or headers: those can carry personal
      // data (a phone in a search) or secrets (a cookie).
      serializers: {
        req: (req: { method: string; routeOptions?: { url?: string } }) => ({
          method: req.method,
          route: req.routeOptions?.url ?? 'unmatched',
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  await app.register(fastifyCookie);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Jiayuan 家园 API',
        description: '社区治理与服务平台接口 · Community governance and services API',
        version: '0.1.0',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: sessionCookieName(deps.config.cookieSecure) },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  const cookieName = sessionCookieName(deps.config.cookieSecure);
  app.decorateRequest('ctx', null as unknown as Ctx);
  app.decorateRequest('session', null);

  app.addHook('onRequest', async (req, reply) => {
    req.ctx = {
      db: deps.database.db,
      actor: null,
      clock: deps.clock,
      keyring: deps.keyring,
      requestId: req.id,
      ip: req.ip ?? null,
      lang: languageFrom(req.headers['accept-language']),
    };
    reply.header('x-request-id', req.id);
    if (!req.url.startsWith('/api/')) return;
    // CSRF: state changes come as JSON from our own origin (SameSite cookies + no simple cross-site requests).
    if (!['GET', 'HEAD', 'OPTIONS'].includes(req.method)) {
      const origin = req.headers.origin;
      if (origin && origin !== 'null') {
        let host: string | undefined;
        try {
          host = new URL(origin).host;
        } catch {
          host = undefined;
        }
        if (host !== req.headers.host) return sendError(req, reply, 403, 'CSRF_REJECTED');
      }
    }
  });

  app.addHook('preHandler', async (req, reply) => {
    // Unmatched routes fall through to the 404 handler without a session check.
    // The API documentation is public, like the API's existence.
    const mode: AuthMode =
      req.routeOptions.url === undefined || req.url.startsWith('/api/docs')
        ? 'public'
        : (req.routeOptions.config?.auth ?? (req.url.startsWith('/api/') ? 'session' : 'public'));
    const token = req.cookies[cookieName];
    if (token && mode !== 'public') {
      const { info, expired } = await resolveSession(req.ctx, token);
      if (info) {
        req.session = info;
        req.ctx.actor = info.actor;
      } else {
        reply.clearCookie(cookieName, { path: '/' });
        if (expired) return sendError(req, reply, 401, 'SESSION_EXPIRED');
      }
    }
    if (mode === 'public') return;
    if (!req.session) return sendError(req, reply, 401, 'AUTH_REQUIRED');
    if (mode === 'session' && req.session.stage !== 'active')
      return sendError(req, reply, 401, 'IDENTITY_STEP_REQUIRED');
  });

  // During shutdown, answers close their connection: a kept-alive socket would hold the server open for its whole
  // keep-alive timeout after the last in-flight request finished.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    if (!req.url.startsWith('/api/docs')) reply.header('content-security-policy', CSP);
    if (req.url.startsWith('/api/') && !req.url.startsWith('/api/docs')) reply.header('cache-control', 'no-store');
    return payload;
  });

  const setSessionCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(cookieName, token, {
      path: '/',
      httpOnly: true,
      secure: deps.config.cookieSecure,
      sameSite: 'lax',
    });
  const clearSessionCookie = (reply: FastifyReply) => reply.clearCookie(cookieName, { path: '/' });

  await app.register(healthRoutes, { database: deps.database });
  await app.register(identityRoutes, { setSessionCookie, clearSessionCookie });
  await app.register(jurisdictionRoutes);
  await app.register(auditRoutes);
  await app.register(registryRoutes);
  // A point resolves to its grid through the registry's in-memory index of grid boundaries.
  const locateGrid = gridLocator(deps.database.db);
  await app.register(caseRoutes, { ...caseOptionsFrom(deps.config), locateGrid });
  // Open311 GeoReport v2 at /open311/v2/ (and /api/open311/keys); the point → grid locator comes with the case options.
  await app.register(open311Routes, { locateGrid });

  // The web app, when built: static files, and index.html for client-side routes.
  const dist = deps.config.webDist ?? path.resolve(import.meta.dirname, '../../../web/dist');
  const hasWeb = fs.existsSync(path.join(dist, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: dist, wildcard: false, index: 'index.html' });

  app.setNotFoundHandler((req, reply) => {
    if (req.method === 'GET' && hasWeb && !req.url.startsWith('/api/') && !path.extname(req.url.split('?')[0] ?? ''))
      return reply.type('text/html').sendFile('index.html');
    return sendError(req, reply, 404, 'ROUTE_NOT_FOUND');
  });
  return app;
}
