import { z } from 'zod';

export const jurisdictionLevels = ['city', 'district', 'street', 'community', 'grid'] as const;
export type JurisdictionLevel = (typeof jurisdictionLevels)[number];
export const ZJurisdictionLevel = z.enum(jurisdictionLevels);
export const levelLabels: Record<JurisdictionLevel, { zh: string; en: string }> = {
  city: { zh: '市', en: 'City' },
  district: { zh: '区/县', en: 'District' },
  street: { zh: '街道/乡镇', en: 'Street' },
  community: { zh: '社区/村', en: 'Community' },
  grid: { zh: '网格', en: 'Grid' },
};

/**
 * GB/T 2260-style codes: city 6 digits (e.g. 430600), district/county 6 (430602), street 9, community 12, grid 14
 * (county(6)+street(3)+community(3)+grid(2)).
 */
export const codeLengthFor: Record<JurisdictionLevel, number> = {
  city: 6,
  district: 6,
  street: 9,
  community: 12,
  grid: 14,
};
export const ZJurisdictionCode = z.string().regex(/^\d{6}(\d{3}(\d{3}(\d{2})?)?)?$/, 'JURISDICTION_CODE_FORMAT');

export const ZJurisdictionNode = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string(),
    level: ZJurisdictionLevel,
    parentId: z.uuid().nullable(),
    path: z.string().describe('ltree path of codes from the city down'),
    status: z.enum(['active', 'retired']),
    retiredAt: z.string().nullable(),
    childCount: z.number().int(),
  })
  .meta({ id: 'JurisdictionNode' });
export type TJurisdictionNode = z.infer<typeof ZJurisdictionNode>;

const ZName = z.string().trim().min(1).max(60);
export const ZCreateJurisdiction = z.strictObject({
  parentId: z.uuid(),
  code: ZJurisdictionCode,
  name: ZName,
});
export const ZRenameJurisdiction = z.strictObject({ name: ZName });
export const ZMoveJurisdiction = z.strictObject({ newParentId: z.uuid() });
export const ZRetireJurisdiction = z.strictObject({ reason: z.string().trim().min(1).max(500) });
export const ZJurisdictionListQuery = z.object({
  parentId: z.uuid().optional().describe('Children of this node; omitted = the root of your scope'),
  includeRetired: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});
