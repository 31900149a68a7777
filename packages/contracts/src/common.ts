import { z } from 'zod';

/** The one error shape every endpoint answers with. */
export const ZErrorBody = z
  .object({
    error: z.object({
      code: z.string().describe('Stable, module-prefixed code, e.g. IDENTITY_INVALID_CREDENTIALS'),
      message: z.string().describe("Message in the caller's language (zh-CN default, en)"),
      details: z.unknown().optional(),
      requestId: z.string(),
    }),
  })
  .meta({ id: 'Error' });
export type TErrorBody = z.infer<typeof ZErrorBody>;

export const ZUuid = z.uuid();

export const ZOk = z.object({ ok: z.literal(true) });

export const ZPageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional().describe('Opaque keyset cursor from the previous page'),
});

export const languages = ['zh-CN', 'en'] as const;
export type Language = (typeof languages)[number];
