import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Every environment variable Jiayuan reads. The README's configuration table mirrors this. */
const ZEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().url().optional(),
  DATABASE_REPLICA_URL: z.string().url().optional(),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30000),
  DATA_DIR: z.string().default('./data'),
  JIAYUAN_KEYS: z.string().optional(),
  COOKIE_SECURE: bool.default(true),
  TRUST_PROXY: bool.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SEED_DEMO: bool.default(true),
  WEB_DIST: z.string().optional(),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10000),
  JOBS_ENABLED: bool.default(true),
  UPLOAD_DIR: z.string().optional(),
  CASE_DUPLICATE_RADIUS_M: z.coerce.number().min(0).max(10000).default(50),
  CASE_DUPLICATE_HOURS: z.coerce.number().min(0).max(720).default(24),
  NOTIFY_WEBHOOK_URL: z.string().url().optional(),
  NOTIFY_WEBHOOK_SECRET: z.string().min(16).optional(),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  replicaUrl: string | undefined;
  poolMax: number;
  statementTimeoutMs: number;
  dataDir: string;
  keys: string | undefined;
  cookieSecure: boolean;
  trustProxy: boolean;
  logLevel: z.infer<typeof ZEnv>['LOG_LEVEL'];
  seedDemo: boolean;
  webDist: string | undefined;
  shutdownGraceMs: number;
  jobsEnabled: boolean;
  /** Uploaded files, outside the web root (default DATA_DIR/uploads). */
  uploadDir: string;
  caseDuplicateRadiusM: number;
  caseDuplicateHours: number;
  notifyWebhookUrl: string | undefined;
  notifyWebhookSecret: string | undefined;
};

export class ConfigError extends Error {}

/** Parses the environment once; lists every bad variable at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ZEnv.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration 配置有误:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    replicaUrl: e.DATABASE_REPLICA_URL,
    poolMax: e.DB_POOL_MAX,
    statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
    dataDir: path.resolve(e.DATA_DIR),
    keys: e.JIAYUAN_KEYS,
    cookieSecure: e.COOKIE_SECURE,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    seedDemo: e.SEED_DEMO,
    webDist: e.WEB_DIST,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    jobsEnabled: e.JOBS_ENABLED,
    uploadDir: path.resolve(e.UPLOAD_DIR ?? path.join(e.DATA_DIR, 'uploads')),
    caseDuplicateRadiusM: e.CASE_DUPLICATE_RADIUS_M,
    caseDuplicateHours: e.CASE_DUPLICATE_HOURS,
    notifyWebhookUrl: e.NOTIFY_WEBHOOK_URL,
    notifyWebhookSecret: e.NOTIFY_WEBHOOK_SECRET,
  };
}
