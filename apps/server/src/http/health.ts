import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { currentMigration, type Database } from '../db/database.ts';
import { latestMigration } from '../db/migrations/index.ts';
import { sendError } from './error-handler.ts';

const ZHealth = z.object({
  status: z.literal('ok'),
  database: z.object({ kind: z.enum(['pglite', 'postgres']), migration: z.string().nullable(), latest: z.string() }),
  version: z.string(),
});

export async function healthRoutes(app: FastifyInstance, opts: { database: Database }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const check = async () => {
    await Promise.race([
      sql`select 1`.execute(opts.database.db),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('timeout exceeded when trying to connect')), 4000).unref(),
      ),
    ]);
    return currentMigration(opts.database.db);
  };
  r.get(
    '/api/health',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['system'],
        summary: '健康检查 · Health: database kind and migration version',
        response: { 200: ZHealth },
      },
    },
    async (req, reply) => {
      try {
        const migration = await check();
        return {
          status: 'ok' as const,
          database: { kind: opts.database.kind, migration, latest: latestMigration },
          version: '0.1.0',
        };
      } catch {
        return sendError(req, reply, 503, 'UNAVAILABLE');
      }
    },
  );
  r.get(
    '/api/ready',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['system'],
        summary: '就绪检查 · Readiness',
        response: { 200: z.object({ ready: z.literal(true) }) },
      },
    },
    async (req, reply) => {
      try {
        const m = await check();
        if (m !== latestMigration) return sendError(req, reply, 503, 'UNAVAILABLE');
        return { ready: true as const };
      } catch {
        return sendError(req, reply, 503, 'UNAVAILABLE');
      }
    },
  );
}
