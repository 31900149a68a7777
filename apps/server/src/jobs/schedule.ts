import type { Config } from '../config.ts';
import { purgeIdempotencyKeys } from '../http/idempotency.ts';
import { caseJobs, loggingSmsProvider } from '../modules/cases/index.ts';
import { type JobDefinition, jobsCleanup } from './runner.ts';

/** Every job of the application; modules add theirs here. */
export function scheduledJobs(
  config: Pick<Config, 'notifyWebhookUrl' | 'notifyWebhookSecret'>,
  log: (obj: object, msg: string) => void,
): JobDefinition[] {
  return [
    jobsCleanup,
    { name: 'idempotency.cleanup', everyMs: 3600_000, handler: purgeIdempotencyKeys },
    ...caseJobs({
      sms: loggingSmsProvider(log),
      ...(config.notifyWebhookUrl && config.notifyWebhookSecret
        ? { webhook: { url: config.notifyWebhookUrl, secret: config.notifyWebhookSecret } }
        : {}),
    }),
  ];
}
