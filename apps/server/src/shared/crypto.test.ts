import { describe, expect, it } from 'vitest';
import { blindIndex, DecryptError, decrypt, encrypt, hmacSm3, sm3, testKeyring } from './crypto.ts';

describe('national crypto', () => {
  it('matches the GB/T 32905 SM3 test vector', () => {
    expect(sm3('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('round-trips SM4-CTR + HMAC-SM3, with a fresh IV each time', () => {
    const ring = testKeyring();
    const a = encrypt(ring, '430602199001011234');
    const b = encrypt(ring, '430602199001011234');
    expect(a).not.toBe(b);
    expect(a).not.toContain('430602199001011234');
    expect(decrypt(ring, a)).toBe('430602199001011234');
    expect(decrypt(ring, encrypt(ring, '张三 ✓'))).toBe('张三 ✓');
  });

  it('rejects a flipped bit, a swapped key id and garbage', () => {
    const ring = testKeyring();
    const sealed = encrypt(ring, '13812345678');
    const parts = sealed.split('.');
    const ct = Buffer.from(parts[3] as string, 'base64url');
    ct[0] = (ct[0] as number) ^ 1;
    parts[3] = ct.toString('base64url');
    expect(() => decrypt(ring, parts.join('.'))).toThrow(DecryptError);
    expect(() => decrypt(ring, sealed.replace('.test1.', '.other.'))).toThrow(DecryptError);
    expect(() => decrypt(ring, 'nonsense')).toThrow(DecryptError);
  });

  it('makes blind indexes that are stable, keyed and kind-separated', () => {
    const ring = testKeyring();
    expect(blindIndex(ring, 'phone', '13812345678')).toBe(blindIndex(ring, 'phone', '13812345678'));
    expect(blindIndex(ring, 'phone', '13812345678')).not.toBe(blindIndex(ring, 'id', '13812345678'));
    expect(hmacSm3(Buffer.alloc(32), 'x').length).toBe(32);
  });
});
