import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, statusForCategory } from '../shared/app-error.ts';
import { languageFrom, messageFor } from '../shared/messages.ts';

const fastifyCodes: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'MALFORMED_BODY' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'MALFORMED_BODY' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'MALFORMED_BODY' },
};

/** Postgres errors that mean "try again later", not "bug". */
const unavailablePg = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '53300']);
const isDbUnavailable = (e: unknown): boolean => {
  const err = e as { code?: string; message?: string };
  if (err?.code && unavailablePg.has(err.code)) return true;
  const m = err?.message ?? '';
  return /ECONNREFUSED|Connection terminated|timeout exceeded when trying to connect|connect ETIMEDOUT/.test(m);
};

export function sendError(
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  details?: unknown,
  params?: Record<string, string | number>,
) {
  const lang = languageFrom(req.headers['accept-language']);
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .send({ error: { code, message: messageFor(code, lang, params), details, requestId: req.id } });
}

/** One table from error to answer; unknown errors are masked as 500 and logged without request data. */
export function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (err instanceof AppError) {
    if (err.category === 'locked' || err.category === 'too_many')
      reply.header('retry-after', String(60 * Number(err.params.minutes ?? 1)));
    return sendError(req, reply, statusForCategory[err.category], err.code, err.details, err.params);
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issues = err.validation.map((v) => ({
      path:
        v.instancePath || `/${String((v.params as { issue?: { path?: unknown[] } })?.issue?.path?.join('/') ?? '')}`,
      message: v.message,
    }));
    return sendError(req, reply, 400, 'VALIDATION_FAILED', { in: err.validationContext, issues });
  }
  const mapped = err.code ? fastifyCodes[err.code] : undefined;
  if (mapped) return sendError(req, reply, mapped.status, mapped.code);
  if (err.statusCode === 413) return sendError(req, reply, 413, 'PAYLOAD_TOO_LARGE');
  if (err.statusCode === 415) return sendError(req, reply, 415, 'UNSUPPORTED_MEDIA_TYPE');
  if (err.statusCode === 429) return sendError(req, reply, 429, 'RATE_LIMITED');
  if (isDbUnavailable(err)) {
    req.log.warn({ err: { code: (err as { code?: string }).code } }, 'database unavailable');
    return sendError(req, reply, 503, 'UNAVAILABLE');
  }
  if (isResponseSerializationError(err)) req.log.error({ route: req.routeOptions.url }, 'response failed its schema');
  else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
    return sendError(req, reply, err.statusCode, 'VALIDATION_FAILED');
  // Log the error's type and stack only: messages of driver errors can quote the values of a query.
  req.log.error(
    { errType: err.name, code: err.code, stack: err.stack?.split('\n').slice(1, 6).join(' | ') },
    'unhandled error',
  );
  return sendError(req, reply, 500, 'INTERNAL');
}
