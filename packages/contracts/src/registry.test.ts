import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ageOn,
  chinaDate,
  idCardCheckChar,
  isRealDate,
  isValidPhone,
  maskAddress,
  maskedPlace,
  maskIdNumber,
  maskName,
  maskPhone,
  provinceCodes,
  scrubText,
  USCC_CHARS,
  usccCheckChar,
  validateDocument,
  validateIdCard,
  validateUscc,
} from './registry.ts';

const TODAY = '2026-03-02';
const provinces = [...provinceCodes];

/** A random valid 18-digit ID: known province, real birth date 1900-01-01…TODAY, any sequence, right check char. */
const validIdArb = fc
  .record({
    province: fc.constantFrom(...provinces),
    county: fc.integer({ min: 0, max: 9999 }),
    birth: fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date(`${TODAY}T00:00:00Z`), noInvalidDate: true }),
    seq: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ province, county, birth, seq }) => {
    const first17 = `${province}${String(county).padStart(4, '0')}${birth.toISOString().slice(0, 10).replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
    return first17 + idCardCheckChar(first17);
  });

describe('validateIdCard (GB 11643, ISO 7064 MOD 11-2)', () => {
  it('accepts the standard example and derives birth date and sex', () => {
    expect(validateIdCard('11010519491231002X', TODAY)).toEqual({
      ok: true,
      normalized: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'F',
      province: '11',
    });
    expect(validateIdCard('11010519491231002x', TODAY)).toMatchObject({ ok: true, normalized: '11010519491231002X' });
  });

  it('names the problem: format, region, impossible or out-of-range birth date, check digit', () => {
    const bad = (v: string) => {
      const r = validateIdCard(v, TODAY);
      return r.ok ? 'ok' : r.problem;
    };
    expect(bad('1101051949123100')).toBe('REGISTRY_ID_FORMAT');
    expect(bad('11010519491231002Y')).toBe('REGISTRY_ID_FORMAT');
    expect(bad('110105491231002')).toBe('REGISTRY_ID_FORMAT'); // 15-digit numbers are retired
    const withCheck = (s: string) => s + idCardCheckChar(s);
    expect(bad(withCheck('99010519491231002'))).toBe('REGISTRY_ID_REGION');
    expect(bad(withCheck('10010519491231002'))).toBe('REGISTRY_ID_REGION');
    expect(bad(withCheck('43060219900230123'))).toBe('REGISTRY_ID_BIRTH_DATE'); // 30 February
    expect(bad(withCheck('43060218991231123'))).toBe('REGISTRY_ID_BIRTH_DATE'); // before 1900
    expect(bad(withCheck('43060220300101123'))).toBe('REGISTRY_ID_BIRTH_DATE'); // in the future
    expect(bad('440524188001010014')).toBe('REGISTRY_ID_BIRTH_DATE'); // the 1880 example of the standard
    expect(bad('110105194912310021')).toBe('REGISTRY_ID_CHECK_DIGIT');
  });

  it('property: a random valid ID passes, with the birth date and sex it encodes', () => {
    fc.assert(
      fc.property(validIdArb, (id) => {
        const r = validateIdCard(id, TODAY);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.birthDate).toBe(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`);
        expect(r.sex).toBe(Number(id[16]) % 2 === 1 ? 'M' : 'F');
      }),
      { numRuns: 500 },
    );
  });

  it('property: any single changed character fails', () => {
    fc.assert(
      fc.property(validIdArb, fc.integer({ min: 0, max: 17 }), fc.constantFrom(...'0123456789X'), (id, pos, ch) => {
        fc.pre(id[pos] !== ch && (pos === 17 || ch !== 'X'));
        const changed = id.slice(0, pos) + ch + id.slice(pos + 1);
        expect(validateIdCard(changed, TODAY).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('validates other documents with simpler rules', () => {
    expect(validateDocument('passport', ' e1234 5678 ')).toEqual({ ok: true, normalized: 'E12345678', derived: null });
    expect(validateDocument('passport', 'AB1').ok).toBe(false);
    expect(validateDocument('hk_mo_permit', 'H12345678').ok).toBe(true);
    expect(validateDocument('hk_mo_permit', 'X12345678').ok).toBe(false);
    expect(validateDocument('tw_permit', '1234567890').ok).toBe(true);
    expect(validateDocument('tw_permit', '123456789').ok).toBe(false);
    expect(validateDocument('id_card', '11010519491231002X', TODAY)).toMatchObject({
      ok: true,
      derived: { sex: 'F', birthDate: '1949-12-31' },
    });
  });
});

describe('dates and phones', () => {
  it('knows real dates, ages and the day in China', () => {
    expect(isRealDate('2024-02-29')).toBe(true);
    expect(isRealDate('2023-02-29')).toBe(false);
    expect(isRealDate('2023-13-01')).toBe(false);
    expect(ageOn('1990-03-03', '2026-03-02')).toBe(35);
    expect(ageOn('1990-03-02', '2026-03-02')).toBe(36);
    expect(chinaDate(new Date('2026-03-01T16:30:00Z'))).toBe('2026-03-02');
  });
  it('accepts mainland mobile numbers only', () => {
    expect(isValidPhone('13812345678')).toBe(true);
    expect(isValidPhone('19912345678')).toBe(true);
    for (const v of ['12812345678', '1381234567', '138123456789', '+8613812345678', '0731-8888888'])
      expect(isValidPhone(v)).toBe(false);
  });
});

describe('validateUscc (GB 32100-2015)', () => {
  it('accepts real codes and rejects a wrong check character or charset', () => {
    for (const c of ['91350100M000100Y43', '91440300708461136T', '91110000600037341L'])
      expect(validateUscc(c)).toEqual({ ok: true, normalized: c });
    expect(validateUscc('91350100m000100y43').ok).toBe(true);
    expect(validateUscc('91350100M000100Y44').ok).toBe(false);
    expect(validateUscc('91350100M000100Y4').ok).toBe(false);
    expect(validateUscc('9135010OM000100Y43').ok).toBe(false); // letter O is not in the set
  });
  const usccArb = fc
    .tuple(
      fc.constantFrom(...'159Y'),
      fc.constantFrom(...'123'),
      fc.integer({ min: 110000, max: 829999 }),
      fc.array(fc.constantFrom(...USCC_CHARS), { minLength: 9, maxLength: 9 }),
    )
    .map(([a, b, region, rest]) => {
      const first17 = `${a}${b}${region}${rest.join('')}`;
      return first17 + usccCheckChar(first17);
    });
  it('property: a random valid code passes and any single changed character fails', () => {
    fc.assert(
      fc.property(usccArb, fc.integer({ min: 0, max: 17 }), fc.constantFrom(...USCC_CHARS), (code, pos, ch) => {
        expect(validateUscc(code).ok).toBe(true);
        fc.pre(code[pos] !== ch);
        expect(validateUscc(code.slice(0, pos) + ch + code.slice(pos + 1)).ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('masking (SECURITY.md PI-3)', () => {
  it('masks ID numbers: 18 and 15 digits, X suffix, other documents', () => {
    expect(maskIdNumber('430602199001011234')).toBe('430***********1234');
    expect(maskIdNumber('11010519491231002X')).toBe('110***********002X');
    expect(maskIdNumber('110105491231002')).toBe('110********1002');
    expect(maskIdNumber('E12345678')).toBe('E1****678');
    expect(maskIdNumber('AB12')).toBe('A**2');
    expect(maskIdNumber('AB')).toBe('**');
  });
  it('property: a masked ID hides the birth date and never contains a full ID', () => {
    fc.assert(
      fc.property(validIdArb, (id) => {
        const m = maskIdNumber(id);
        expect(m).toHaveLength(18);
        expect(m.slice(6, 14)).toBe('********');
        expect(m).not.toMatch(/\d{17}[\dXx]/);
      }),
    );
  });
  it('masks phones', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('1381234')).toBe('*******');
  });
  it('masks names, keeping the surname', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张三丰')).toBe('张*丰');
    expect(maskName('欧阳晓明')).toBe('欧阳*明');
    expect(maskName('欧阳明')).toBe('欧阳*');
    expect(maskName('诸葛孔明')).toBe('诸葛*明');
    expect(maskName('司马')).toBe('司*');
    expect(maskName('王')).toBe('*');
    expect(maskName('John Smith')).toBe('J*** S****');
    expect(maskName('买买提·艾力')).toBe('买**·艾*');
  });
  it('masks addresses down to the building', () => {
    expect(maskAddress('金鹗山庄3栋2单元0302室')).toBe('金鹗山庄3栋***');
    expect(maskAddress('岳阳楼区五里牌12号楼3单元501')).toBe('岳阳楼区五里牌12号楼***');
    expect(maskAddress('湖南省岳阳市岳阳楼区五里牌街道金鹗路12号')).toBe('湖南省岳阳市岳阳楼区五里牌街道***');
    expect(maskAddress('湖南省岳阳市')).toBe('湖南省岳阳市');
    expect(maskAddress('某地某处')).toBe('某地***');
    expect(maskedPlace({ complex: '金鹗山庄', building: '3栋', unit: '2单元', room: '0302' })).toBe('金鹗山庄3栋***');
    expect(maskedPlace({ building: '3栋' })).toBe('3栋');
    expect(maskedPlace({})).toBeNull();
  });
  it('scrubs IDs and phones out of free text', () => {
    expect(scrubText('电话13812345678，证件11010519491231002X。')).toBe('电话138****5678，证件110***********002X。');
    expect(scrubText('门牌 302')).toBe('门牌 302');
  });
});
