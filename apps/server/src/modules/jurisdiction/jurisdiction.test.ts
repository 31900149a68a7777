import { describe, expect, it } from 'vitest';
import { codeFitsParent } from './jurisdiction.service.ts';

describe(codeFitsParent.name, () => {
  it('follows GB/T 2260: districts share the city prefix, lower levels extend their parent', () => {
    expect(codeFitsParent('430602', { code: '430600', level: 'city' })).toBe(true);
    expect(codeFitsParent('430600', { code: '430600', level: 'city' })).toBe(false);
    expect(codeFitsParent('440602', { code: '430600', level: 'city' })).toBe(false);
    expect(codeFitsParent('430602001', { code: '430602', level: 'district' })).toBe(true);
    expect(codeFitsParent('430603001', { code: '430602', level: 'district' })).toBe(false);
    expect(codeFitsParent('430602001001', { code: '430602001', level: 'street' })).toBe(true);
    expect(codeFitsParent('43060200100101', { code: '430602001001', level: 'community' })).toBe(true);
    expect(codeFitsParent('4306020010010', { code: '430602001001', level: 'community' })).toBe(false);
    expect(codeFitsParent('4306020010010a', { code: '430602001001', level: 'community' })).toBe(false);
    expect(codeFitsParent('4306020010010101', { code: '43060200100101', level: 'grid' })).toBe(false);
  });
});
