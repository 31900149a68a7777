import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { JobDefinition } from '../../jobs/runner.ts';
import { registerScopedTable } from '../jurisdiction/index.ts';
import './cases.messages.ts';
import { MAX_ATTACHMENT_BYTES } from './attachments.ts';
import { caseCoreRoutes } from './cases.routes.ts';
import type { CaseOptions, GridLocator } from './cases.service.ts';
import { categoryRoutes } from './categories.routes.ts';
import { runDeadlines } from './deadlines.service.ts';
import { notificationRoutes } from './notifications/notifications.routes.ts';
import {
  loggingSmsProvider,
  purgeOutbox,
  relayOutbox,
  type SmsProvider,
  type WebhookConfig,
} from './notifications/outbox.ts';
import { patrolRoutes } from './patrols.routes.ts';

export { type Transition, transitions } from './case.workflow.ts';
export { createCase, type GridLocator, getCase, listCases, transition } from './cases.service.ts';
export { runDeadlines } from './deadlines.service.ts';
export {
  loggingSmsProvider,
  notify,
  relayOutbox,
  type SmsProvider,
  signWebhook,
  verifyWebhookSignature,
} from './notifications/outbox.ts';

// Rows carrying a copy of a jurisdiction path: moving a node rewrites them in the same transaction.
for (const table of [
  'cases',
  'case_attachments',
  'case_categories',
  'case_routing_rules',
  'departments',
  'patrols',
  'building_records',
])
  registerScopedTable(table);

export type CaseRouteOptions = {
  /** Where uploads go (outside the web root); a fresh temporary directory when not given (tests). */
  uploadDir?: string;
  duplicateRadiusM?: number;
  duplicateHours?: number;
  /** Point → grid; the registry's locate, once it exists. */
  locateGrid?: GridLocator;
};

/** Options from the configuration (http/app.ts registers the routes with them). */
export const caseOptionsFrom = (c: {
  uploadDir?: string;
  caseDuplicateRadiusM?: number;
  caseDuplicateHours?: number;
}): CaseRouteOptions => ({
  uploadDir: c.uploadDir,
  duplicateRadiusM: c.caseDuplicateRadiusM,
  duplicateHours: c.caseDuplicateHours,
});

/** Every route of the cases module: cases, categories, calendar, patrols, building-head records, notifications. */
export async function caseRoutes(app: FastifyInstance, opts: CaseRouteOptions) {
  const uploadDir = opts.uploadDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'jiayuan-uploads-'));
  fs.mkdirSync(uploadDir, { recursive: true, mode: 0o750 });
  await app.register(fastifyMultipart, {
    limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 5, parts: 6, fieldSize: 1024 },
  });
  const o: CaseOptions = {
    uploadDir,
    duplicateRadiusM: opts.duplicateRadiusM ?? 50,
    duplicateHours: opts.duplicateHours ?? 24,
    ...(opts.locateGrid ? { locateGrid: opts.locateGrid } : {}),
  };
  await app.register(categoryRoutes);
  await app.register(caseCoreRoutes, o);
  await app.register(patrolRoutes, { ...(opts.locateGrid ? { locateGrid: opts.locateGrid } : {}) });
  await app.register(notificationRoutes);
}

/** The module's jobs: deadline warnings and escalations every minute, the outbox relay every 10 s, cleanup hourly. */
export function caseJobs(
  o: { webhook?: WebhookConfig; sms?: SmsProvider; fetch?: typeof fetch } = {},
): JobDefinition[] {
  const sms = o.sms ?? loggingSmsProvider();
  return [
    {
      name: 'cases.deadlines',
      everyMs: 60_000,
      handler: async (ctx) => {
        await runDeadlines(ctx);
      },
    },
    {
      name: 'outbox.relay',
      everyMs: 10_000,
      handler: async (ctx) => {
        // Up to 10 batches of 100 per tick, in the tick's transaction.
        const relay = {
          sms,
          batchSize: 100,
          ...(o.webhook ? { webhook: o.webhook } : {}),
          ...(o.fetch ? { fetch: o.fetch } : {}),
        };
        for (let i = 0; i < 10 && (await relayOutbox(ctx, relay)) === relay.batchSize; i++);
      },
    },
    { name: 'outbox.cleanup', everyMs: 3600_000, handler: purgeOutbox },
  ];
}
