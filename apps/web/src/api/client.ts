import type { TErrorBody } from '@jiayuan/contracts';
import { getLang } from '../app/i18n.tsx';

/** An error the server answered with (or a network failure, status 0). `message` is already localised. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly requestId: string | undefined;

  constructor(status: number, code: string, message: string, details?: unknown, requestId?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.requestId = requestId;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

type UnauthorizedHandler = (err: ApiError) => void;
let onUnauthorized: UnauthorizedHandler = () => {};
/** Called on a 401 from any endpoint except the sign-in steps (the app sends the user to /login). */
export const setUnauthorizedHandler = (fn: UnauthorizedHandler) => {
  onUnauthorized = fn;
};

/** Sign-in endpoints whose 401 means "wrong credentials / step", not "session gone". */
const isSignInCall = (path: string) =>
  path.startsWith('/api/auth/') && !path.startsWith('/api/auth/me') && !path.startsWith('/api/auth/logout');

export type Query = Record<string, string | number | boolean | null | undefined>;

export const withQuery = (path: string, query?: Query): string => {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
};

const isErrorBody = (v: unknown): v is TErrorBody =>
  typeof v === 'object' &&
  v !== null &&
  'error' in v &&
  typeof (v as { error: unknown }).error === 'object' &&
  (v as { error: { message?: unknown } | null }).error !== null &&
  typeof (v as { error: { message?: unknown } }).error.message === 'string';

const fallbackMessage = (status: number): string => {
  const zh = getLang() === 'zh-CN';
  if (status === 0) return zh ? '无法连接服务器，请检查网络后重试' : 'Cannot reach the server; check your connection';
  if (status >= 500) return zh ? '服务器暂时无法处理请求，请稍后重试' : 'The server could not handle the request';
  return zh ? `请求失败（${status}）` : `Request failed (${status})`;
};

export type RequestOptions = {
  signal?: AbortSignal | undefined;
  silent401?: boolean;
  /** Extra request headers, e.g. Idempotency-Key. */
  headers?: Record<string, string>;
};

export async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': getLang(), ...opts.headers };
  const hasBody = method !== 'GET' && method !== 'HEAD';
  // A FormData body (file upload) sets its own multipart Content-Type with the boundary.
  const isForm = typeof FormData !== 'undefined' && body instanceof FormData;
  if (hasBody && !isForm) headers['Content-Type'] = 'application/json';

  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: !hasBody ? undefined : isForm ? (body as FormData) : JSON.stringify(body ?? {}),
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', fallbackMessage(0));
  }

  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }

  if (!res.ok) {
    const err = isErrorBody(data)
      ? new ApiError(res.status, data.error.code, data.error.message, data.error.details, data.error.requestId)
      : new ApiError(res.status, `HTTP_${res.status}`, fallbackMessage(res.status));
    if (res.status === 401 && !isSignInCall(path) && !opts.silent401) onUnauthorized(err);
    throw err;
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: Query, opts?: RequestOptions) =>
    request<T>('GET', withQuery(path, query), undefined, opts),
  post: <T>(path: string, body: unknown = {}, opts?: RequestOptions) => request<T>('POST', path, body, opts),
  put: <T>(path: string, body: unknown = {}, opts?: RequestOptions) => request<T>('PUT', path, body, opts),
  patch: <T>(path: string, body: unknown = {}, opts?: RequestOptions) => request<T>('PATCH', path, body, opts),
  delete: <T>(path: string, body: unknown = {}, opts?: RequestOptions) => request<T>('DELETE', path, body, opts),
  /** multipart/form-data upload of one file under the field name `file`. */
  upload: <T>(path: string, file: Blob, filename?: string, opts?: RequestOptions) => {
    const form = new FormData();
    form.append('file', file, filename);
    return request<T>('POST', path, form, opts);
  },
};
