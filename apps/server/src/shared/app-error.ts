/** Categories map to HTTP statuses in one table (http/error-handler.ts). */
export type ErrorCategory =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'locked'
  | 'too_many'
  | 'unavailable'
  | 'internal';

export const statusForCategory: Record<ErrorCategory, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  locked: 423,
  too_many: 429,
  unavailable: 503,
  internal: 500,
};

/**
 * The one error type of the domain. `code` is module-prefixed (IDENTITY_LOCKED) and is what the messages table and
 * the web app localise; `params` fill placeholders in the message; `details` go to the client as they are.
 */
export class AppError extends Error {
  readonly code: string;
  readonly category: ErrorCategory;
  readonly params: Record<string, string | number>;
  readonly details: unknown;
  constructor(
    category: ErrorCategory,
    code: string,
    opts: { params?: Record<string, string | number>; details?: unknown; cause?: unknown } = {},
  ) {
    super(code, { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.category = category;
    this.params = opts.params ?? {};
    this.details = opts.details;
  }
}

export const notFound = (code: string) => new AppError('not_found', code);
export const forbidden = (code = 'ACCESS_FORBIDDEN') => new AppError('forbidden', code);
export const invalid = (code: string, details?: unknown) => new AppError('invalid', code, { details });
export const conflict = (code: string, details?: unknown) => new AppError('conflict', code, { details });
