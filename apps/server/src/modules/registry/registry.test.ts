import { idCardCheckChar } from '@jiayuan/contracts';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../shared/app-error.ts';
import { scopeWhere } from './registry.queries.ts';
import { decodeCursor, encodeCursor, inScope } from './registry.service.ts';
import { checkPerson, searchKind } from './residents.service.ts';

const id = (first17: string) => first17 + idCardCheckChar(first17);
const person = (over: Partial<Parameters<typeof checkPerson>[1]> = {}): Parameters<typeof checkPerson>[1] => ({
  idType: 'id_card',
  idNumber: id('43060219900315002'),
  sex: null,
  birthDate: null,
  phone: null,
  residenceType: 'permanent',
  arrivedOn: null,
  expectedLeaveOn: null,
  residenceRegisteredOn: null,
  householdId: null,
  relationToHead: null,
  ...over,
});
const problems = (over: Partial<Parameters<typeof checkPerson>[1]>) => {
  try {
    checkPerson('2026-03-02', person(over));
    return [];
  } catch (e) {
    return ((e as AppError).details as { problems: { field: string; code: string }[] }).problems.map((p) => p.code);
  }
};

describe(checkPerson.name, () => {
  it('derives sex and birth date from a 居民身份证 and normalises the number', () => {
    expect(
      checkPerson('2026-03-02', person({ idNumber: id('43060219900315002').toLowerCase(), phone: '138 1234-5678' })),
    ).toEqual({
      idNumber: id('43060219900315002'),
      sex: 'F',
      birthDate: '1990-03-15',
      phone: '13812345678',
    });
  });
  it('lists every problem at once', () => {
    expect(
      problems({ sex: 'M', birthDate: '1990-03-16', phone: '123', residenceType: 'floating', householdId: 'h' }),
    ).toEqual([
      'REGISTRY_ID_SEX_MISMATCH',
      'REGISTRY_ID_BIRTH_MISMATCH',
      'REGISTRY_PHONE_INVALID',
      'REGISTRY_ARRIVAL_REQUIRED',
      'REGISTRY_RELATION_REQUIRED',
    ]);
    expect(problems({ arrivedOn: '2026-03-03', residenceType: 'floating' })).toEqual(['REGISTRY_DATE_IN_FUTURE']);
    expect(problems({ arrivedOn: '2026-01-01', expectedLeaveOn: '2025-12-31' })).toEqual(['REGISTRY_DATES_ORDER']);
    expect(problems({ idType: 'passport', idNumber: 'E12345678', birthDate: '1899-12-31' })).toEqual([
      'REGISTRY_BIRTH_DATE_INVALID',
    ]);
    expect(problems({ idType: 'passport', idNumber: 'E12345678', birthDate: '1980-02-02', sex: 'M' })).toEqual([]);
  });
  it('names the first problem in the error code', () => {
    expect(() => checkPerson('2026-03-02', person({ idNumber: '43060219900315002Y' }))).toThrow('REGISTRY_ID_FORMAT');
  });
});

describe(searchKind.name, () => {
  it('tells phones, document numbers and names apart', () => {
    expect(searchKind(' 138 1234 5678 ')).toEqual({ kind: 'phone', value: '13812345678' });
    expect(searchKind('11010519491231002x')).toEqual({ kind: 'idNumber', value: '11010519491231002X' });
    expect(searchKind('E12345678')).toEqual({ kind: 'idNumber', value: 'E12345678' });
    expect(searchKind('张三')).toEqual({ kind: 'name', value: '张三' });
    expect(searchKind('John')).toEqual({ kind: 'name', value: 'John' });
  });
});

describe('scope', () => {
  const restricted = { path: '1.2', restricted: true as const, gridPaths: ['1.2.3.4.5'], buildingIds: ['b1'] };
  it('tests one row as the SQL filter does', () => {
    expect(inScope({ path: null, restricted: false }, { path: '9' })).toBe(true);
    expect(inScope({ path: '1.2', restricted: false }, { path: '1.2.3' })).toBe(true);
    expect(inScope({ path: '1.2', restricted: false }, { path: '1.23' })).toBe(false);
    expect(inScope(restricted, { path: '1.2.3.4.5' })).toBe(true);
    expect(inScope(restricted, { path: '1.2.3.4.6', buildingId: 'b1' })).toBe(true);
    expect(inScope(restricted, { path: '1.2.3.4.6', buildingId: 'b2' })).toBe(false);
    expect(inScope({ ...restricted, gridPaths: [], buildingIds: [] }, { path: '1.2.3' })).toBe(false);
  });
  it('compiles to path and assignment filters', () => {
    const db = new Kysely<DB>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (k) => new PostgresIntrospector(k),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
    });
    const q = db
      .selectFrom('residents as r')
      .select('r.id')
      .where(scopeWhere(restricted, 'r', 'building_id'))
      .compile();
    expect(q.sql).toBe(
      'select "r"."id" from "residents" as "r" where ("r"."path" <@ $1::ltree and ("r"."path" <@ $2::ltree[] or "r"."building_id" = any($3::uuid[])))',
    );
    expect(q.parameters).toEqual(['1.2', ['1.2.3.4.5'], ['b1']]);
    const none = db
      .selectFrom('residents as r')
      .select('r.id')
      .where(scopeWhere({ ...restricted, gridPaths: [], buildingIds: [] }, 'r', 'building_id'))
      .compile();
    expect(none.sql).toContain('false');
    const all = db
      .selectFrom('residents as r')
      .select('r.id')
      .where(scopeWhere({ path: null, restricted: false }, 'r', null))
      .compile();
    expect(all.sql).toContain('true');
  });
  it('keeps cursors opaque and numeric', () => {
    expect(decodeCursor(encodeCursor('12345'))).toBe('12345');
    expect(decodeCursor(undefined)).toBeNull();
    expect(() => decodeCursor(Buffer.from('1; drop table').toString('base64url'))).toThrow(AppError);
  });
});
