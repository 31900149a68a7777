import { z } from 'zod';

/*
 * The registry of places, organisations and people (人、地、房、户): validation of identity documents, phones and
 * unified social credit codes as pure functions, the masking rules of SECURITY.md PI-3, and the request/response
 * schemas shared by server, web and CLI.
 *
 * Validation problems are reported as REGISTRY_* codes; the server localises them (registry.messages.ts) and the
 * web app can run the same functions for live form validation.
 */

// ───────────────────────────── enums ─────────────────────────────

export const idTypes = ['id_card', 'passport', 'hk_mo_permit', 'tw_permit'] as const;
export type IdType = (typeof idTypes)[number];
export const idTypeLabels: Record<IdType, { zh: string; en: string }> = {
  id_card: { zh: '居民身份证', en: 'Resident ID card' },
  passport: { zh: '护照', en: 'Passport' },
  hk_mo_permit: { zh: '港澳居民来往内地通行证', en: 'Mainland travel permit (HK/Macao)' },
  tw_permit: { zh: '台湾居民来往大陆通行证', en: 'Mainland travel permit (Taiwan)' },
};

export const residenceTypes = ['registered', 'permanent', 'floating', 'overseas'] as const;
export type ResidenceType = (typeof residenceTypes)[number];
export const residenceTypeLabels: Record<ResidenceType, { zh: string; en: string }> = {
  registered: { zh: '户籍人口', en: 'Registered' },
  permanent: { zh: '常住人口', en: 'Permanent' },
  floating: { zh: '流动人口', en: 'Floating' },
  overseas: { zh: '境外人员', en: 'Overseas' },
};

/** Care tags (关怀标签): sensitive personal information (health, disability, social assistance, justice). */
export const careTags = [
  'living_alone',
  'empty_nest',
  'oldest_old',
  'disabled',
  'subsistence',
  'extreme_poverty',
  'veteran',
  'left_behind_child',
  'key_youth',
  'severe_mental',
  'community_correction',
  'released_prisoner',
] as const;
export type CareTag = (typeof careTags)[number];
export const careTagLabels: Record<CareTag, { zh: string; en: string }> = {
  living_alone: { zh: '独居老人', en: 'Elderly living alone' },
  empty_nest: { zh: '空巢老人', en: 'Empty-nest elderly' },
  oldest_old: { zh: '高龄', en: 'Oldest old (80+)' },
  disabled: { zh: '残疾人', en: 'Person with disability' },
  subsistence: { zh: '低保', en: 'Minimum subsistence' },
  extreme_poverty: { zh: '特困', en: 'Extreme poverty support' },
  veteran: { zh: '优抚对象/退役军人', en: 'Entitled group / veteran' },
  left_behind_child: { zh: '留守儿童', en: 'Left-behind child' },
  key_youth: { zh: '重点青少年', en: 'Youth needing attention' },
  severe_mental: { zh: '严重精神障碍患者', en: 'Severe mental disorder' },
  community_correction: { zh: '社区矫正', en: 'Community correction' },
  released_prisoner: { zh: '刑满释放', en: 'Released prisoner' },
};

export const relationsToHead = [
  'self',
  'spouse',
  'child',
  'parent',
  'grandparent',
  'grandchild',
  'sibling',
  'child_in_law',
  'other_relative',
  'non_relative',
] as const;
export type RelationToHead = (typeof relationsToHead)[number];
export const relationLabels: Record<RelationToHead, { zh: string; en: string }> = {
  self: { zh: '本人（户主）', en: 'Head of household' },
  spouse: { zh: '配偶', en: 'Spouse' },
  child: { zh: '子女', en: 'Child' },
  parent: { zh: '父母', en: 'Parent' },
  grandparent: { zh: '祖父母/外祖父母', en: 'Grandparent' },
  grandchild: { zh: '孙子女/外孙子女', en: 'Grandchild' },
  sibling: { zh: '兄弟姐妹', en: 'Sibling' },
  child_in_law: { zh: '儿媳/女婿', en: 'Child-in-law' },
  other_relative: { zh: '其他亲属', en: 'Other relative' },
  non_relative: { zh: '非亲属', en: 'Not related' },
};

export const endReasons = ['moved_out', 'deceased', 'departed'] as const;
export type EndReason = (typeof endReasons)[number];
export const endReasonLabels: Record<EndReason, { zh: string; en: string }> = {
  moved_out: { zh: '迁出', en: 'Moved out' },
  deceased: { zh: '死亡', en: 'Deceased' },
  departed: { zh: '离开（流动人口）', en: 'Departed' },
};

export const dwellingUses = ['self_occupied', 'rented', 'vacant', 'commercial'] as const;
export type DwellingUse = (typeof dwellingUses)[number];
export const dwellingUseLabels: Record<DwellingUse, { zh: string; en: string }> = {
  self_occupied: { zh: '自住', en: 'Self-occupied' },
  rented: { zh: '出租', en: 'Rented' },
  vacant: { zh: '空置', en: 'Vacant' },
  commercial: { zh: '商用', en: 'Commercial' },
};

export const orgCategories = [
  'shop',
  'enterprise',
  'social_org',
  'property_company',
  'rental_operator',
  'public_institution',
  'other',
] as const;
export type OrgCategory = (typeof orgCategories)[number];
export const orgCategoryLabels: Record<OrgCategory, { zh: string; en: string }> = {
  shop: { zh: '商铺/个体工商户', en: 'Shop' },
  enterprise: { zh: '企业', en: 'Enterprise' },
  social_org: { zh: '社会组织', en: 'Social organisation' },
  property_company: { zh: '物业服务企业', en: 'Property management company' },
  rental_operator: { zh: '房屋租赁经营者', en: 'Rental operator' },
  public_institution: { zh: '机关事业单位', en: 'Public institution' },
  other: { zh: '其他', en: 'Other' },
};

// ───────────────────────────── dates ─────────────────────────────

/** The calendar day in China (UTC+8, no daylight saving) of an instant, as YYYY-MM-DD. */
export const chinaDate = (d: Date): string => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** True for a real calendar date written YYYY-MM-DD (no 2 月 30 日). */
export function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

export const EARLIEST_BIRTH_DATE = '1900-01-01';

/** Whole years between a birth date and a day, both YYYY-MM-DD. */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

// ───────────────────────────── identity documents ─────────────────────────────

/**
 * Province-level codes of GB/T 2260 (the first two digits of a 居民身份证 number): the 31 mainland provinces, plus 71
 * (Taiwan), 81 (Hong Kong) and 82 (Macao), and 83, the prefix of 台湾居民居住证 numbers. We check the province only,
 * not the full 6-digit county code: county codes change every year (mergers, renamings) and a person keeps the number
 * issued under the old code, so a full table would reject valid numbers.
 */
export const provinceCodes: ReadonlySet<string> = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
  '83',
]);

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643-1999 check character (ISO 7064 MOD 11-2) of the first 17 digits. */
export function idCardCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (ID_WEIGHTS[i] as number);
  return ID_CHECK[sum % 11] as string;
}

export type IdProblem =
  | 'REGISTRY_ID_FORMAT'
  | 'REGISTRY_ID_REGION'
  | 'REGISTRY_ID_BIRTH_DATE'
  | 'REGISTRY_ID_CHECK_DIGIT'
  | 'REGISTRY_DOCUMENT_FORMAT';

export type IdCardInfo = { normalized: string; birthDate: string; sex: 'M' | 'F'; province: string };
export type IdResult = ({ ok: true } & IdCardInfo) | { ok: false; problem: IdProblem };

/**
 * Validates an 18-digit 居民身份证 number (also 港澳台居民居住证, same format): 17 digits and a check character
 * (digit or X, lower-case x accepted), a known province prefix, a real birth date between 1900-01-01 and `today`, and
 * the MOD 11-2 check character. Sex comes from digit 17 (odd: male). 15-digit first-generation numbers were retired
 * in 2013 and are not accepted as input (the masking functions still handle them).
 */
export function validateIdCard(value: string, today: string = chinaDate(new Date())): IdResult {
  const v = value.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(v)) return { ok: false, problem: 'REGISTRY_ID_FORMAT' };
  const province = v.slice(0, 2);
  if (!provinceCodes.has(province)) return { ok: false, problem: 'REGISTRY_ID_REGION' };
  const birthDate = `${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`;
  if (!isRealDate(birthDate) || birthDate < EARLIEST_BIRTH_DATE || birthDate > today)
    return { ok: false, problem: 'REGISTRY_ID_BIRTH_DATE' };
  if (idCardCheckChar(v) !== v[17]) return { ok: false, problem: 'REGISTRY_ID_CHECK_DIGIT' };
  return { ok: true, normalized: v, birthDate, sex: Number(v[16]) % 2 === 1 ? 'M' : 'F', province };
}

/**
 * Other documents, with simpler rules: a passport has 5–17 letters and digits; a 港澳居民来往内地通行证 (回乡证) is H or M
 * and 8 or 10 digits; a 台湾居民来往大陆通行证 (台胞证) has 8 or 10 digits.
 */
const documentPatterns: Record<Exclude<IdType, 'id_card'>, RegExp> = {
  passport: /^[A-Z0-9]{5,17}$/,
  hk_mo_permit: /^[HM]\d{8}(\d{2})?$/,
  tw_permit: /^\d{8}(\d{2})?$/,
};

/** The stored form of a document number: trimmed, upper-case, without inner spaces. */
export const normalizeDocumentNumber = (value: string): string => value.replace(/\s+/g, '').toUpperCase();

export function validateDocument(
  type: IdType,
  value: string,
  today?: string,
): { ok: true; normalized: string; derived: IdCardInfo | null } | { ok: false; problem: IdProblem } {
  if (type === 'id_card') {
    const r = validateIdCard(value, today);
    return r.ok ? { ok: true, normalized: r.normalized, derived: r } : r;
  }
  const v = normalizeDocumentNumber(value);
  return documentPatterns[type].test(v)
    ? { ok: true, normalized: v, derived: null }
    : { ok: false, problem: 'REGISTRY_DOCUMENT_FORMAT' };
}

/** Mainland mobile numbers (IN-1). */
export const PHONE_PATTERN = /^1[3-9]\d{9}$/;
export const isValidPhone = (v: string): boolean => PHONE_PATTERN.test(v);

// ───────────────────────────── unified social credit code ─────────────────────────────

/** GB 32100-2015 character set: digits and upper-case letters without I, O, Z, S, V. */
export const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The 18th character: C18 = 31 − (Σ Ci·Wi mod 31), with 31 written as 0. */
export function usccCheckChar(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = USCC_CHARS.indexOf(first17[i] ?? '');
    if (c < 0) return null;
    sum += c * (USCC_WEIGHTS[i] as number);
  }
  return USCC_CHARS[(31 - (sum % 31)) % 31] as string;
}

/**
 * A unified social credit code (统一社会信用代码): 18 characters of the GB 32100 set, the registering authority
 * code (position 1) and organisation type (2) from that set, a 6-digit region code (3–8), and the check character.
 */
export function validateUscc(
  value: string,
): { ok: true; normalized: string } | { ok: false; problem: 'REGISTRY_USCC_INVALID' } {
  const v = value.trim().toUpperCase();
  if (v.length !== 18 || !/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(v))
    return { ok: false, problem: 'REGISTRY_USCC_INVALID' };
  return usccCheckChar(v.slice(0, 17)) === v[17]
    ? { ok: true, normalized: v }
    : { ok: false, problem: 'REGISTRY_USCC_INVALID' };
}

// ───────────────────────────── masking (SECURITY.md PI-3) ─────────────────────────────

const stars = (n: number) => '*'.repeat(Math.max(0, n));

/**
 * `430***********1234`: the first 3 and last 4 characters of an 18- or 15-digit ID (so the birth date is hidden);
 * shorter document numbers keep their first 2 and last 3 (8–14 characters) or only their first and last character.
 */
export function maskIdNumber(value: string): string {
  const v = value.trim();
  if (v.length >= 15) return `${v.slice(0, 3)}${stars(v.length - 7)}${v.slice(-4)}`;
  if (v.length >= 8) return `${v.slice(0, 2)}${stars(v.length - 5)}${v.slice(-3)}`;
  if (v.length >= 3) return `${v[0]}${stars(v.length - 2)}${v.slice(-1)}`;
  return stars(v.length);
}

/** `138****1234`: the first 3 and last 4 digits. */
export function maskPhone(value: string): string {
  const v = value.trim();
  if (v.length >= 8) return `${v.slice(0, 3)}${stars(v.length - 7)}${v.slice(-4)}`;
  return stars(v.length);
}

/** Compound surnames (复姓) kept whole when masking a name. */
const compoundSurnames = new Set([
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '令狐',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
  '轩辕',
  '端木',
  '独孤',
  '南宫',
  '西门',
  '申屠',
  '万俟',
  '闻人',
  '澹台',
  '公羊',
  '呼延',
  '钟离',
  '宗政',
  '濮阳',
  '太史',
  '司空',
]);

/**
 * Keeps the surname: `张*` (张三), `张*丰` (张三丰), `欧阳*明` (欧阳晓明); with a given name of two or more characters
 * its last character stays too. Names in Latin letters keep the first letter of each word (`J*** S****`); names with
 * a middle dot (买买提·艾力) keep the first character of each part.
 */
export function maskName(value: string): string {
  const v = value.trim();
  if (!v) return v;
  const chars = Array.from(v);
  if (/[A-Za-z]/.test(v) || v.includes('·') || v.includes('•')) {
    return v
      .split(/([\s·•.-]+)/)
      .map((part, i) =>
        i % 2 === 1 ? part : part ? `${Array.from(part)[0]}${stars(Array.from(part).length - 1)}` : part,
      )
      .join('');
  }
  if (chars.length === 1) return '*';
  const surnameLength = chars.length >= 3 && compoundSurnames.has(chars.slice(0, 2).join('')) ? 2 : 1;
  const given = chars.slice(surnameLength);
  const surname = chars.slice(0, surnameLength).join('');
  if (given.length <= 1) return `${surname}${stars(given.length)}`;
  return `${surname}${stars(given.length - 1)}${given.at(-1)}`;
}

const buildingMarker = /^(.*?(?:\d+|[A-Za-z]|[一二三四五六七八九十百]+)\s*(?:栋|幢|号楼|座))/;
const adminMarker = /^(.*(?:省|自治区|市|自治州|州|盟|区|县|旗|镇|乡|街道|社区|村))/;

/**
 * An address down to the building: `金鹗山庄3栋***` for 金鹗山庄3栋2单元0302室. Without a building in it, the address is
 * kept down to its last administrative unit (省/市/区/县/镇/乡/街道/社区/村), else to its first half.
 */
export function maskAddress(value: string): string {
  const v = value.trim();
  if (!v) return v;
  const b = buildingMarker.exec(v);
  if (b?.[1]) return b[1].length < v.length ? `${b[1]}***` : v;
  const a = adminMarker.exec(v);
  if (a?.[1]) return a[1].length < v.length ? `${a[1]}***` : v;
  const chars = Array.from(v);
  return `${chars.slice(0, Math.ceil(chars.length / 2)).join('')}***`;
}

/** Address from its parts, masked down to the building: the unit and room are never shown. */
export function maskedPlace(parts: {
  complex?: string | null;
  building?: string | null;
  unit?: string | null;
  room?: string | null;
}): string | null {
  const head = [parts.complex, parts.building].filter(Boolean).join('');
  if (!head) return parts.unit || parts.room ? '***' : null;
  return parts.unit || parts.room ? `${head}***` : head;
}

const idLike = /(?<![\dA-Za-z])(\d{17}[\dXx]|\d{15})(?![\dA-Za-z])/g;
const phoneLike = /(?<!\d)(1[3-9]\d{9})(?!\d)/g;

/** Free text with any ID number or mobile number in it masked, e.g. a note someone typed a phone into. */
export const scrubText = (text: string): string =>
  text.replace(idLike, (m) => maskIdNumber(m)).replace(phoneLike, (m) => maskPhone(m));

// ───────────────────────────── schemas ─────────────────────────────

const ZDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'REGISTRY_DATE_FORMAT')
  .refine(isRealDate, 'REGISTRY_DATE_FORMAT');
const ZText = (max: number) => z.string().trim().min(1).max(max);
const ZOptText = (max: number) => z.string().trim().max(max).nullable().optional();
const ZLng = z.number().finite().min(-180).max(180);
const ZLat = z.number().finite().min(-90).max(90);

export const ZPageInfo = {
  nextCursor: z.string().nullable().describe('Pass as cursor for the next page; null at the end'),
};
const ZJurisdictionRef = z.object({ id: z.uuid(), code: z.string(), name: z.string() });

/** Keyset pagination query (limit + opaque cursor). */
export const ZRegistryPage = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional()
    .describe('Opaque keyset cursor from the previous page'),
});

// places

export const ZCreateComplex = z.strictObject({
  jurisdictionId: z.uuid().describe('A grid or a community'),
  name: ZText(60),
  address: ZOptText(120),
});
export const ZUpdateComplex = z.strictObject({ name: ZText(60).optional(), address: ZOptText(120) });
export const ZComplexView = z
  .object({
    id: z.uuid(),
    jurisdiction: ZJurisdictionRef,
    name: z.string(),
    address: z.string().nullable(),
    buildingCount: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Complex' });
export type TComplexView = z.infer<typeof ZComplexView>;

export const ZCreateBuilding = z.strictObject({
  jurisdictionId: z.uuid().optional().describe('The grid; defaults to the complex’s grid when it has one'),
  complexId: z.uuid().nullable().optional(),
  name: ZText(40).describe('e.g. 3栋'),
  address: ZOptText(120),
  lng: ZLng.nullable().optional(),
  lat: ZLat.nullable().optional(),
  floors: z.number().int().min(1).max(200).nullable().optional(),
});
export const ZUpdateBuilding = z.strictObject({
  complexId: z.uuid().nullable().optional(),
  name: ZText(40).optional(),
  address: ZOptText(120),
  lng: ZLng.nullable().optional(),
  lat: ZLat.nullable().optional(),
  floors: z.number().int().min(1).max(200).nullable().optional(),
});
export const ZBuildingView = z
  .object({
    id: z.uuid(),
    jurisdiction: ZJurisdictionRef,
    complexId: z.uuid().nullable(),
    complexName: z.string().nullable(),
    name: z.string(),
    address: z.string().nullable(),
    lng: z.number().nullable(),
    lat: z.number().nullable(),
    floors: z.number().int().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Building' });
export type TBuildingView = z.infer<typeof ZBuildingView>;

export const ZCreateUnit = z.strictObject({ buildingId: z.uuid(), name: ZText(20).describe('e.g. 2单元') });
export const ZUpdateUnit = z.strictObject({ name: ZText(20).optional() });
export const ZUnitView = z
  .object({
    id: z.uuid(),
    buildingId: z.uuid(),
    jurisdiction: ZJurisdictionRef,
    name: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Unit' });
export type TUnitView = z.infer<typeof ZUnitView>;

export const ZCreateDwelling = z.strictObject({
  buildingId: z.uuid(),
  unitId: z.uuid().nullable().optional(),
  number: ZText(20).describe('Room number, e.g. 0302'),
  floor: z.number().int().min(-10).max(200).nullable().optional(),
  area: z.number().positive().max(100000).nullable().optional().describe('Floor area in m²'),
  use: z.enum(dwellingUses),
});
export const ZUpdateDwelling = z.strictObject({
  number: ZText(20).optional(),
  floor: z.number().int().min(-10).max(200).nullable().optional(),
  area: z.number().positive().max(100000).nullable().optional(),
  use: z.enum(dwellingUses).optional(),
});
export const ZDwellingView = z
  .object({
    id: z.uuid(),
    buildingId: z.uuid(),
    unitId: z.uuid().nullable(),
    jurisdiction: ZJurisdictionRef,
    number: z.string(),
    floor: z.number().int().nullable(),
    area: z.number().nullable(),
    use: z.enum(dwellingUses),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Dwelling' });
export type TDwellingView = z.infer<typeof ZDwellingView>;

export const ZPlaceListQuery = ZRegistryPage.extend({
  jurisdictionId: z.uuid().optional().describe('Within this node (default: your whole scope)'),
  complexId: z.uuid().optional(),
  buildingId: z.uuid().optional(),
  unitId: z.uuid().optional(),
});

// organisations

const orgFlags = {
  isRental: z.boolean().optional(),
  isCatering: z.boolean().optional(),
  hasHazardous: z.boolean().optional(),
  isCrowded: z.boolean().optional(),
};
export const ZCreateOrganisation = z.strictObject({
  name: ZText(100),
  uscc: z.string().trim().max(18).nullable().optional().describe('统一社会信用代码, 18 characters'),
  category: z.enum(orgCategories),
  jurisdictionId: z.uuid().optional().describe('Required when neither building nor dwelling is given'),
  buildingId: z.uuid().nullable().optional(),
  dwellingId: z.uuid().nullable().optional(),
  address: ZOptText(120),
  contactName: ZOptText(50),
  contactPhone: z.string().trim().max(20).nullable().optional(),
  employees: z.number().int().min(0).max(1_000_000).nullable().optional(),
  ...orgFlags,
});
export const ZUpdateOrganisation = z.strictObject({
  name: ZText(100).optional(),
  uscc: z.string().trim().max(18).nullable().optional(),
  category: z.enum(orgCategories).optional(),
  address: ZOptText(120),
  contactName: ZOptText(50),
  contactPhone: z.string().trim().max(20).nullable().optional(),
  employees: z.number().int().min(0).max(1_000_000).nullable().optional(),
  status: z.enum(['active', 'closed']).optional(),
  ...orgFlags,
});
export const ZOrganisationView = z
  .object({
    id: z.uuid(),
    jurisdiction: ZJurisdictionRef,
    name: z.string(),
    uscc: z.string().nullable(),
    category: z.enum(orgCategories),
    buildingId: z.uuid().nullable(),
    dwellingId: z.uuid().nullable(),
    address: z.string().nullable().describe('Masked down to the building'),
    contactName: z.string().nullable().describe('Masked'),
    contactPhone: z.string().nullable().describe('Masked'),
    employees: z.number().int().nullable(),
    isRental: z.boolean(),
    isCatering: z.boolean(),
    hasHazardous: z.boolean(),
    isCrowded: z.boolean(),
    status: z.enum(['active', 'closed']),
    closedOn: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Organisation' });
export type TOrganisationView = z.infer<typeof ZOrganisationView>;
export const orgFlagNames = ['isRental', 'isCatering', 'hasHazardous', 'isCrowded'] as const;
export const ZOrganisationListQuery = ZRegistryPage.extend({
  jurisdictionId: z.uuid().optional(),
  buildingId: z.uuid().optional(),
  category: z.enum(orgCategories).optional(),
  flag: z.enum(orgFlagNames).optional(),
  status: z.enum(['active', 'closed']).optional(),
});

// households

export const ZCreateHousehold = z.strictObject({
  number: ZText(30).describe('户号'),
  jurisdictionId: z.uuid().optional().describe('Required without a dwelling'),
  dwellingId: z.uuid().nullable().optional(),
});
export const ZUpdateHousehold = z.strictObject({
  number: ZText(30).optional(),
  dwellingId: z.uuid().nullable().optional(),
  headResidentId: z.uuid().nullable().optional().describe('A member of the household'),
});
export const ZHouseholdView = z
  .object({
    id: z.uuid(),
    jurisdiction: ZJurisdictionRef,
    number: z.string(),
    dwellingId: z.uuid().nullable(),
    address: z.string().nullable().describe('Masked down to the building'),
    headResidentId: z.uuid().nullable(),
    headName: z.string().nullable().describe('Masked'),
    memberCount: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Household' });
export type THouseholdView = z.infer<typeof ZHouseholdView>;
export const ZHouseholdListQuery = ZRegistryPage.extend({
  jurisdictionId: z.uuid().optional(),
  dwellingId: z.uuid().optional(),
});

// residents

export const ZCreateResident = z.strictObject({
  name: ZText(50),
  idType: z.enum(idTypes),
  idNumber: z.string().trim().min(1).max(40),
  sex: z.enum(['M', 'F']).nullable().optional().describe('Derived from a 居民身份证; must agree with it if given'),
  birthDate: ZDate.nullable().optional().describe('Derived from a 居民身份证; must agree with it if given'),
  phone: z.string().trim().max(20).nullable().optional(),
  householdId: z.uuid().nullable().optional(),
  relationToHead: z.enum(relationsToHead).nullable().optional(),
  dwellingId: z.uuid().nullable().optional().describe('The dwelling lived in (实住)'),
  jurisdictionId: z.uuid().optional().describe('Grid or community; required without a dwelling'),
  registeredPlace: ZOptText(120).describe('Household registration place (户籍地)'),
  residenceType: z.enum(residenceTypes),
  arrivedOn: ZDate.nullable().optional(),
  expectedLeaveOn: ZDate.nullable().optional(),
  residenceRegisteredOn: ZDate.nullable().optional().describe('Date of the residence registration (居住登记)'),
  separated: z.boolean().optional().describe('人户分离'),
  careTags: z.array(z.enum(careTags)).max(careTags.length).optional(),
  note: ZOptText(500),
});
export type TCreateResident = z.infer<typeof ZCreateResident>;

export const ZUpdateResident = z.strictObject({
  name: ZText(50).optional(),
  idType: z.enum(idTypes).optional(),
  idNumber: z.string().trim().min(1).max(40).optional(),
  sex: z.enum(['M', 'F']).nullable().optional(),
  birthDate: ZDate.nullable().optional(),
  phone: z.string().trim().max(20).nullable().optional(),
  householdId: z.uuid().nullable().optional(),
  relationToHead: z.enum(relationsToHead).nullable().optional(),
  dwellingId: z.uuid().nullable().optional(),
  jurisdictionId: z.uuid().optional(),
  registeredPlace: ZOptText(120),
  residenceType: z.enum(residenceTypes).optional(),
  arrivedOn: ZDate.nullable().optional(),
  expectedLeaveOn: ZDate.nullable().optional(),
  residenceRegisteredOn: ZDate.nullable().optional(),
  separated: z.boolean().optional(),
  careTags: z.array(z.enum(careTags)).max(careTags.length).optional(),
  note: ZOptText(500),
});
export type TUpdateResident = z.infer<typeof ZUpdateResident>;

export const ZEndResidence = z.strictObject({
  reason: z.enum(endReasons),
  date: ZDate,
  note: ZOptText(500),
});

export const ZResidentView = z
  .object({
    id: z.uuid(),
    jurisdiction: ZJurisdictionRef,
    name: z.string().describe('Masked: 张*'),
    idType: z.enum(idTypes),
    idNumber: z.string().describe('Masked: 430***********1234'),
    sex: z.enum(['M', 'F']).nullable(),
    age: z.number().int().nullable().describe('Age today; the birth date itself is not shown'),
    phone: z.string().nullable().describe('Masked: 138****1234'),
    householdId: z.uuid().nullable(),
    relationToHead: z.enum(relationsToHead).nullable(),
    dwellingId: z.uuid().nullable(),
    buildingId: z.uuid().nullable(),
    address: z.string().nullable().describe('Masked down to the building'),
    registeredPlace: z.string().nullable().describe('Masked'),
    residenceType: z.enum(residenceTypes),
    arrivedOn: z.string().nullable(),
    expectedLeaveOn: z.string().nullable(),
    residenceRegisteredOn: z.string().nullable(),
    separated: z.boolean(),
    careTags: z
      .array(z.enum(careTags))
      .nullable()
      .describe('Null when your role may not see care tags (sensitive personal information)'),
    note: z.string().nullable(),
    status: z.enum(['active', 'ended']),
    endReason: z.enum(endReasons).nullable(),
    endedOn: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Resident' });
export type TResidentView = z.infer<typeof ZResidentView>;

export const ZResidentListQuery = ZRegistryPage.extend({
  jurisdictionId: z.uuid().optional(),
  householdId: z.uuid().optional(),
  dwellingId: z.uuid().optional(),
  buildingId: z.uuid().optional(),
  residenceType: z.enum(residenceTypes).optional(),
  careTag: z.enum(careTags).optional(),
  status: z.enum(['active', 'ended', 'all']).default('active'),
});

export const ZResidentSearchQuery = z.object({
  q: z.string().trim().min(1).max(50).describe('Part of a name, or an exact ID number or phone'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
  includeEnded: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});

export const floatingStatuses = ['arriving', 'overdue', 'departed', 'all'] as const;
export const ZFloatingQuery = ZRegistryPage.extend({
  status: z.enum(floatingStatuses).default('all'),
  jurisdictionId: z.uuid().optional(),
});
export const ZFloatingItem = ZResidentView.extend({
  arriving: z.boolean().describe('Arrived in the last 30 days'),
  overdueLeave: z.boolean().describe('Expected leave date passed, still registered as living here'),
  overdueRegistration: z.boolean().describe('No residence registration 30 days after arrival'),
}).meta({ id: 'FloatingResident' });

export const revealFields = ['idNumber', 'phone'] as const;
export const ZRevealRequest = z.strictObject({
  field: z.enum(revealFields),
  reason: z.string().trim().min(2).max(200).describe('Why the full value is needed (audited)'),
});
export const ZOrgRevealRequest = z.strictObject({
  field: z.literal('contactPhone'),
  reason: z.string().trim().min(2).max(200),
});
export const ZRevealResponse = z.object({
  field: z.string(),
  value: z.string().nullable(),
  remainingToday: z.number().int(),
});
export const REVEALS_PER_DAY = 50;

export const ZResidentHistoryEntry = z
  .object({
    id: z.string(),
    at: z.string(),
    actorName: z.string().nullable(),
    field: z.string(),
    before: z.string().nullable(),
    after: z.string().nullable(),
  })
  .meta({ id: 'ResidentHistoryEntry' });

// grids

export const ZGeoJsonFeature = z.strictObject({
  type: z.literal('Feature'),
  id: z.union([z.string(), z.number()]).optional(),
  bbox: z.array(z.number()).optional(),
  properties: z.record(z.string(), z.unknown()).nullable().optional(),
  geometry: z.unknown().describe('Polygon or MultiPolygon; anything else is reported per feature'),
});
export const ZBoundaryImport = z.strictObject({
  type: z.literal('FeatureCollection'),
  name: z.string().optional(),
  crs: z.unknown().optional(),
  bbox: z.array(z.number()).optional(),
  features: z.array(ZGeoJsonFeature).min(1).max(10000),
});
export const ZBoundaryImportResult = z.object({
  imported: z.number().int(),
  grids: z.array(z.object({ code: z.string(), gridId: z.uuid() })),
});
export const ZBoundaryQuery = z.object({
  within: z.uuid().optional().describe('A jurisdiction node (default: the root of your scope)'),
});
export const ZGeometry = z.object({
  type: z.enum(['Polygon', 'MultiPolygon']),
  coordinates: z.array(z.array(z.unknown())),
});
export const ZBoundaryCollection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      id: z.uuid(),
      properties: z.object({ gridId: z.uuid(), code: z.string(), name: z.string() }),
      geometry: ZGeometry,
    }),
  ),
});
export const ZLocateQuery = z.object({
  lng: z.coerce.number().finite().min(-180).max(180),
  lat: z.coerce.number().finite().min(-90).max(90),
});
export const ZLocateResult = z.object({
  grid: z.object({ id: z.uuid(), code: z.string(), name: z.string() }).nullable(),
});

/** Assigns a grid manager to a grid, or a building head to a building (the grid or building is in the URL). */
export const ZAssignUser = z.strictObject({ userId: z.uuid() });
export const ZAssignmentView = z.object({
  userId: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  targetId: z.uuid(),
  targetName: z.string(),
  assignedAt: z.string(),
});

// ───────────────────────────── import and export (实有人口导入、台账导出) ─────────────────────────────

/**
 * The columns of the resident import template, in order: the key, the Chinese header (the template's), the English
 * header (accepted too) and other spellings people type. 来本地日期/预计离开日期/居住登记日期 are optional extras for
 * floating residents (a floating resident needs an arrival date).
 */
export const importColumns = [
  { key: 'name', zh: '姓名', en: 'Name', aliases: ['名字'] },
  { key: 'idType', zh: '证件类型', en: 'ID type', aliases: ['证件种类'] },
  { key: 'idNumber', zh: '证件号码', en: 'ID number', aliases: ['身份证号', '身份证号码', '公民身份号码', 'ID'] },
  { key: 'sex', zh: '性别', en: 'Sex', aliases: ['Gender'] },
  { key: 'birthDate', zh: '出生日期', en: 'Birth date', aliases: ['出生年月日', 'Date of birth'] },
  { key: 'phone', zh: '联系电话', en: 'Phone', aliases: ['手机号', '手机号码', '电话', 'Mobile'] },
  { key: 'householdNumber', zh: '户号', en: 'Household number', aliases: ['Household'] },
  { key: 'relationToHead', zh: '与户主关系', en: 'Relation to head', aliases: ['与户主的关系', 'Relation'] },
  { key: 'complex', zh: '小区', en: 'Complex', aliases: ['小区名称', 'Residential complex'] },
  { key: 'building', zh: '楼栋', en: 'Building', aliases: ['栋', '楼号'] },
  { key: 'unit', zh: '单元', en: 'Unit', aliases: [] },
  { key: 'room', zh: '房号', en: 'Room', aliases: ['门牌号', '房间号', 'Dwelling'] },
  { key: 'registeredPlace', zh: '户籍地', en: 'Registered place', aliases: ['户籍地址', '户籍所在地'] },
  { key: 'residenceType', zh: '人口类型', en: 'Residence type', aliases: ['居住类型'] },
  { key: 'separated', zh: '人户分离', en: 'Separated', aliases: ['是否人户分离'] },
  { key: 'careTags', zh: '关怀标签', en: 'Care tags', aliases: ['特殊人群', '关怀对象'] },
  { key: 'note', zh: '备注', en: 'Note', aliases: ['Notes', 'Remark'] },
  { key: 'arrivedOn', zh: '来本地日期', en: 'Arrived on', aliases: ['来本地时间', '到达日期'] },
  { key: 'expectedLeaveOn', zh: '预计离开日期', en: 'Expected leave on', aliases: ['预计离开时间'] },
  { key: 'residenceRegisteredOn', zh: '居住登记日期', en: 'Residence registered on', aliases: ['居住登记时间'] },
] as const;
export type ImportColumnKey = (typeof importColumns)[number]['key'];
/** The 17 headers the template must have (the three date columns after them are optional). */
export const IMPORT_TEMPLATE_HEADERS = importColumns.slice(0, 17).map((c) => c.zh);
/** The column added to the error workbook; ignored when a fixed workbook is imported again. */
export const IMPORT_ERROR_HEADER = '错误原因';

export const importStatuses = ['queued', 'running', 'done', 'failed', 'interrupted'] as const;
export const ZImportQuery = z.strictObject({
  jurisdictionId: z.uuid().describe('The jurisdiction node the file belongs to; places are looked up under it'),
});
export const ZImportCounts = z.object({
  rows: z.number().int().describe('Data rows read so far'),
  imported: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
});
export const ZImportJob = z
  .object({
    id: z.uuid(),
    jurisdiction: ZJurisdictionRef,
    fileName: z.string(),
    format: z.enum(['csv', 'xlsx']),
    status: z.enum(importStatuses),
    counts: ZImportCounts,
    progress: z.number().min(0).max(1).describe('Share of the file read'),
    errorCode: z.string().nullable(),
    errorMessage: z.string().nullable(),
    hasErrorWorkbook: z.boolean().describe('Download the rejected rows with their reasons'),
    firstRejections: z
      .array(z.object({ row: z.number().int(), reasons: z.array(z.string()) }))
      .describe('Up to 100 rejected rows: the row number and the reasons (no personal data)'),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'ResidentImport' });
export type TImportJob = z.infer<typeof ZImportJob>;

export const ZExportQuery = z.strictObject({
  jurisdictionId: z.uuid().optional().describe('Default: the root of your scope'),
  approvalId: z.uuid().optional().describe('An approved bulk-export ticket: the export is then unmasked (single use)'),
});
export const exportApprovalStatuses = ['pending', 'approved', 'rejected', 'used', 'expired'] as const;
export const ZCreateExportApproval = z.strictObject({
  jurisdictionId: z.uuid().describe('The node whose ledger is to be exported unmasked'),
  reason: z.string().trim().min(2).max(200).describe('Why the full values are needed'),
});
export const ZDecideExportApproval = z.strictObject({
  approve: z.boolean(),
  note: z.string().trim().max(200).optional(),
});
export const ZExportApprovalListQuery = z.strictObject({
  status: z.enum(exportApprovalStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const ZExportApproval = z
  .object({
    id: z.uuid(),
    jurisdiction: ZJurisdictionRef,
    reason: z.string(),
    status: z.enum(exportApprovalStatuses),
    requestedBy: z.string(),
    requestedAt: z.string(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    decisionNote: z.string().nullable(),
    expiresAt: z.string().nullable(),
    usedAt: z.string().nullable(),
  })
  .meta({ id: 'ExportApproval' });
export type TExportApproval = z.infer<typeof ZExportApproval>;
/** An approved ticket is good for one export within this many hours (SECURITY.md PI-4). */
export const EXPORT_APPROVAL_HOURS = 24;
