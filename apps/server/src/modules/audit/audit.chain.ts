import { sm3 } from '../../shared/crypto.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with keys sorted at every depth, so jsonb's own key order never changes a hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export type ChainedContent = {
  at: Date;
  actorId: string | null;
  actorName: string | null;
  actorRoles: string[];
  actorPath: string | null;
  ip: string | null;
  requestId: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  success: boolean;
  reason: string | null;
  details: unknown;
};

/** h_i = SM3(h_{i-1} ‖ canonical(row_i))  (SECURITY.md AD-3). */
export function chainHash(prevHash: string, c: ChainedContent): string {
  const body = canonicalJson([
    c.at.toISOString(),
    c.actorId,
    c.actorName,
    c.actorRoles,
    c.actorPath,
    c.ip,
    c.requestId,
    c.action,
    c.objectType,
    c.objectId,
    c.success,
    c.reason,
    c.details ?? {},
  ]);
  return sm3(`${prevHash}|${body}`);
}
