import { AppError } from '../../shared/app-error.ts';

/**
 * Open311 parameters as they arrive: query strings, form-urlencoded or multipart bodies (and, leniently, JSON).
 * Every parameter keeps all its values in order (`attribute[code][]` repeats); an empty value counts as absent,
 * as the spec asks ("a null parameter should be treated as equivalent to a non-declared parameter").
 */
export class Params {
  readonly #values = new Map<string, string[]>();

  static from(source: unknown): Params {
    const p = new Params();
    if (source instanceof URLSearchParams) {
      for (const [k, v] of source) p.add(k, v);
      return p;
    }
    if (Array.isArray(source)) {
      for (const pair of source) if (Array.isArray(pair) && pair.length === 2) p.add(String(pair[0]), pair[1]);
      return p;
    }
    if (source && typeof source === 'object')
      for (const [k, v] of Object.entries(source as Record<string, unknown>)) {
        // JSON bodies may nest attributes: {"attribute": {"code": "v"}}.
        if (k === 'attribute' && v && typeof v === 'object' && !Array.isArray(v)) {
          for (const [code, x] of Object.entries(v as Record<string, unknown>))
            for (const item of Array.isArray(x) ? x : [x]) p.add(`attribute[${code}][]`, item);
          continue;
        }
        for (const item of Array.isArray(v) ? v : [v]) p.add(k, item);
      }
    return p;
  }

  add(key: string, value: unknown): void {
    let s: string;
    if (typeof value === 'string') s = value;
    else if (typeof value === 'number' || typeof value === 'boolean') s = String(value);
    else return; // files (multipart), objects, null
    const list = this.#values.get(key);
    if (list) list.push(s);
    else this.#values.set(key, [s]);
  }

  /** Every parameter with all its values, as sent. */
  raw(): Record<string, string[]> {
    return Object.fromEntries([...this.#values.entries()].map(([k, v]) => [k, [...v]]));
  }

  /** The last non-empty value, trimmed; undefined when absent or empty. */
  get(key: string): string | undefined {
    const list = this.#values.get(key);
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      const v = (list[i] as string).trim();
      if (v !== '') return v;
    }
    return undefined;
  }

  /** Like get, but the first of several names that is present (`device_id` or `deviceid`). */
  first(...keys: string[]): string | undefined {
    for (const k of keys) {
      const v = this.get(k);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** Text kept as written (only trimmed at the ends); line breaks normalised to \n. */
  text(key: string): string | undefined {
    const v = this.get(key);
    return v === undefined ? undefined : v.replace(/\r\n?/g, '\n');
  }

  /** `attribute[code]=v` and `attribute[code][]=v1&attribute[code][]=v2`: code → non-empty values. */
  attributes(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [k, list] of this.#values) {
      const m = /^attribute\[([^\]]{1,64})\](\[\])?$/.exec(k);
      if (!m) continue;
      const code = m[1] as string;
      const values = list.map((v) => v.trim()).filter((v) => v !== '');
      if (values.length === 0) continue;
      out.set(code, [...(out.get(code) ?? []), ...values]);
    }
    return out;
  }

  /** A canonical form of everything sent except the key, for deduplication. */
  canonical(omit: readonly string[]): string {
    const entries = [...this.#values.entries()]
      .filter(([k]) => !omit.includes(k))
      .map(([k, v]) => [k, v.map((x) => x.trim()).filter((x) => x !== '')] as const)
      .filter(([, v]) => v.length > 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return JSON.stringify(entries);
  }
}

export const required = (p: Params, name: string): string => {
  const v = p.get(name);
  if (v === undefined) throw new AppError('invalid', 'OPEN311_PARAM_REQUIRED', { params: { name } });
  return v;
};

export const invalidParam = (name: string, details?: unknown) =>
  new AppError('invalid', 'OPEN311_PARAM_INVALID', { params: { name }, details });

// ——— dates ———

const TZ_OFFSET_MS = 8 * 3600_000;
const W3C = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A W3C datetime. A time must carry its timezone (Z or ±hh:mm); a bare date is midnight China Standard Time. A space
 * where the `+` of the offset was (an unencoded `+` in a query string) is read as the `+`.
 */
export function parseW3c(name: string, raw: string): Date {
  const s = raw.replace(/ (\d{2}:?\d{2})$/, '+$1');
  const m = W3C.exec(s);
  if (!m) throw new AppError('invalid', 'OPEN311_DATE_INVALID', { params: { name } });
  const [, y, mo, d, h, mi, sec, frac, tz] = m;
  let iso = `${y}-${mo}-${d}T00:00:00+08:00`;
  if (h !== undefined) {
    if (tz === undefined) throw new AppError('invalid', 'OPEN311_DATE_INVALID', { params: { name } });
    const zone = tz === 'Z' ? 'Z' : `${tz.slice(0, 3)}:${tz.slice(-2)}`;
    const ms = frac ? `.${frac.padEnd(3, '0').slice(0, 3)}` : '';
    iso = `${y}-${mo}-${d}T${h}:${mi}:${sec ?? '00'}${ms}${zone}`;
  }
  const t = Date.parse(iso);
  const realDay = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))).getUTCDate() === Number(d);
  if (Number.isNaN(t) || !realDay) throw new AppError('invalid', 'OPEN311_DATE_INVALID', { params: { name } });
  return new Date(t);
}

/** W3C datetime in China Standard Time: 2026-03-02T09:00:00+08:00. */
export function w3c(d: Date | string | null | undefined): string | null {
  if (!d) return null;
  const t = new Date(d).getTime();
  return `${new Date(t + TZ_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

export const MAX_WINDOW_DAYS = 90;
const DAY = 86_400_000;

/**
 * start_date/end_date: none → the last 90 days; one → 90 days from or up to it; both → that range, refused (400)
 * when it is longer than 90 days or reversed.
 */
export function dateWindow(p: Params, now: Date): { start: Date; end: Date } {
  const s = p.get('start_date');
  const e = p.get('end_date');
  const start = s !== undefined ? parseW3c('start_date', s) : undefined;
  const end = e !== undefined ? parseW3c('end_date', e) : undefined;
  const span = MAX_WINDOW_DAYS * DAY;
  if (start && end) {
    if (end.getTime() < start.getTime() || end.getTime() - start.getTime() > span)
      throw new AppError('invalid', 'OPEN311_DATE_RANGE', { params: { days: MAX_WINDOW_DAYS } });
    return { start, end };
  }
  if (start) return { start, end: new Date(start.getTime() + span) };
  if (end) return { start: new Date(end.getTime() - span), end };
  return { start: new Date(now.getTime() - span), end: now };
}

/** page (from 1) and page_size (1–1000, default 1000: the spec's "first 1000 requests"). */
export function paging(p: Params): { limit: number; offset: number } {
  const page = p.get('page');
  const size = p.get('page_size');
  const n = page === undefined ? 1 : Number(page);
  const s = size === undefined ? 1000 : Number(size);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw invalidParam('page');
  if (!Number.isInteger(s) || s < 1 || s > 1000) throw invalidParam('page_size');
  return { limit: s, offset: (n - 1) * s };
}
