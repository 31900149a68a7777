import { z } from 'zod';

export const ZAuditEntry = z
  .object({
    id: z.string(),
    at: z.string(),
    actorId: z.string().nullable(),
    actorName: z.string().nullable(),
    actorRoles: z.array(z.string()),
    ip: z.string().nullable(),
    requestId: z.string().nullable(),
    action: z.string(),
    objectType: z.string().nullable(),
    objectId: z.string().nullable(),
    success: z.boolean(),
    reason: z.string().nullable(),
    details: z.unknown(),
  })
  .meta({ id: 'AuditEntry' });
export type TAuditEntry = z.infer<typeof ZAuditEntry>;

export const ZAuditQuery = z.object({
  action: z.string().max(64).optional(),
  actor: z.string().max(64).optional().describe('username'),
  objectId: z.string().max(64).optional(),
  success: z.enum(['true', 'false']).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().regex(/^\d+$/).optional().describe('keyset: entries with id below this'),
});
export const ZAuditVerifyResult = z.object({
  ok: z.boolean(),
  rows: z.number().int(),
  firstBadId: z.string().nullable(),
  problem: z.string().nullable(),
});
