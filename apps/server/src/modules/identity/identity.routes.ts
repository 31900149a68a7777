import {
  ZChangePassword,
  ZCreateUser,
  ZErrorBody,
  ZLoginRequest,
  ZLoginResponse,
  ZOk,
  ZSessionUser,
  ZTotpRequest,
  ZTotpSetupResponse,
  ZUpdateUserRoles,
  ZUserListQuery,
  ZUserView,
} from '@jiayuan/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SessionInfo } from './identity.service.ts';
import * as svc from './identity.service.ts';

type Opts = {
  setSessionCookie: (reply: FastifyReply, token: string) => unknown;
  clearSessionCookie: (reply: FastifyReply) => unknown;
};

const errors = { 400: ZErrorBody, 401: ZErrorBody, 403: ZErrorBody, 404: ZErrorBody, 409: ZErrorBody, 423: ZErrorBody };
const ZIdParams = z.object({ id: z.uuid() });
const session = (req: FastifyRequest) => req.session as SessionInfo;

export async function identityRoutes(app: FastifyInstance, opts: Opts) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['identity'];

  r.post(
    '/api/auth/login',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: '账号密码登录 · Sign in with user name and password',
        body: ZLoginRequest,
        response: { 200: ZLoginResponse, ...errors },
      },
    },
    async (req, reply) => {
      const issued = await svc.login(req.ctx, { ...req.body, userAgent: req.headers['user-agent'] ?? null });
      opts.setSessionCookie(reply, issued.token);
      return issued.response;
    },
  );

  r.post(
    '/api/auth/totp',
    {
      config: { auth: 'pending' },
      schema: {
        tags,
        summary: '输入动态验证码 · Second factor (TOTP)',
        body: ZTotpRequest,
        response: { 200: ZLoginResponse, ...errors },
      },
    },
    async (req, reply) => {
      const issued = await svc.submitTotp(req.ctx, session(req), req.body.code);
      opts.setSessionCookie(reply, issued.token);
      return issued.response;
    },
  );

  r.post(
    '/api/auth/totp/setup',
    {
      config: { auth: 'pending' },
      schema: {
        tags,
        summary: '开始绑定动态验证码 · Start TOTP enrolment',
        body: z.object({}).optional(),
        response: { 200: ZTotpSetupResponse, ...errors },
      },
    },
    async (req) => svc.setupTotp(req.ctx, session(req)),
  );

  r.post(
    '/api/auth/totp/enable',
    {
      config: { auth: 'pending' },
      schema: {
        tags,
        summary: '完成绑定 · Confirm TOTP enrolment',
        body: ZTotpRequest,
        response: { 200: ZLoginResponse, ...errors },
      },
    },
    async (req, reply) => {
      const issued = await svc.enableTotp(req.ctx, session(req), req.body.code);
      opts.setSessionCookie(reply, issued.token);
      return issued.response;
    },
  );

  r.post(
    '/api/auth/password',
    {
      config: { auth: 'pending' },
      schema: {
        tags,
        summary: '修改密码 · Change password',
        body: ZChangePassword,
        response: { 200: ZLoginResponse, ...errors },
      },
    },
    async (req, reply) => {
      const issued = await svc.changePassword(req.ctx, session(req), req.body);
      opts.setSessionCookie(reply, issued.token);
      return issued.response;
    },
  );

  r.post(
    '/api/auth/logout',
    {
      config: { auth: 'pending' },
      schema: {
        tags,
        summary: '退出登录 · Sign out',
        body: z.object({}).optional(),
        response: { 200: ZOk, ...errors },
      },
    },
    async (req, reply) => {
      await svc.logout(req.ctx, session(req));
      opts.clearSessionCookie(reply);
      return { ok: true as const };
    },
  );

  r.get(
    '/api/auth/me',
    {
      schema: {
        tags,
        summary: '当前用户 · The signed-in user',
        response: { 200: z.object({ user: ZSessionUser }), ...errors },
      },
    },
    async (req) => ({ user: await svc.sessionUser(req.ctx.db, session(req).actor) }),
  );

  const admin = ['users'];
  r.get(
    '/api/users',
    {
      schema: {
        tags: admin,
        summary: '用户列表 · Users in your scope',
        querystring: ZUserListQuery,
        response: { 200: z.object({ items: z.array(ZUserView), total: z.number().int() }), ...errors },
      },
    },
    async (req) => svc.listUsers(req.ctx, req.query),
  );
  r.post(
    '/api/users',
    {
      schema: {
        tags: admin,
        summary: '新建用户 · Create a user',
        body: ZCreateUser,
        response: { 201: z.object({ id: z.uuid() }), ...errors },
      },
    },
    async (req, reply) => {
      const created = await svc.createUser(req.ctx, req.body);
      return reply.code(201).send(created);
    },
  );
  r.put(
    '/api/users/:id/roles',
    {
      schema: {
        tags: admin,
        summary: '设置角色 · Set roles',
        params: ZIdParams,
        body: ZUpdateUserRoles,
        response: { 200: ZOk, ...errors },
      },
    },
    async (req) => {
      await svc.setUserRoles(req.ctx, req.params.id, req.body.roles);
      return { ok: true as const };
    },
  );
  const simple = (url: string, summary: string, fn: (ctx: FastifyRequest['ctx'], id: string) => Promise<void>) =>
    r.post(
      url,
      {
        schema: {
          tags: admin,
          summary,
          params: ZIdParams,
          body: z.object({}).optional(),
          response: { 200: ZOk, ...errors },
        },
      },
      async (req) => {
        await fn(req.ctx, req.params.id);
        return { ok: true as const };
      },
    );
  simple('/api/users/:id/unlock', '解除锁定 · Unlock', svc.unlockUser);
  simple('/api/users/:id/disable', '停用 · Disable (ends all sessions)', (c, id) =>
    svc.setUserStatus(c, id, 'disabled'),
  );
  simple('/api/users/:id/enable', '启用 · Enable', (c, id) => svc.setUserStatus(c, id, 'active'));
  simple('/api/users/:id/reset-mfa', '重置双因素 · Reset the second factor', svc.resetMfa);
  r.post(
    '/api/users/:id/reset-password',
    {
      schema: {
        tags: admin,
        summary: '重置密码（下次登录须修改）· Set a one-time password',
        params: ZIdParams,
        body: z.strictObject({ password: z.string().min(1).max(256) }),
        response: { 200: ZOk, ...errors },
      },
    },
    async (req) => {
      await svc.resetPassword(req.ctx, req.params.id, req.body.password);
      return { ok: true as const };
    },
  );
}
