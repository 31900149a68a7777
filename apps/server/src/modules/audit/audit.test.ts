import { describe, expect, it } from 'vitest';
import { canonicalJson, chainHash, GENESIS_HASH } from './audit.chain.ts';

describe(canonicalJson.name, () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson(null)).toBe('null');
  });
});

describe(chainHash.name, () => {
  const c = {
    at: new Date('2026-03-02T01:00:00Z'),
    actorId: null,
    actorName: 'a',
    actorRoles: [],
    actorPath: null,
    ip: null,
    requestId: null,
    action: 'x',
    objectType: null,
    objectId: null,
    success: true,
    reason: null,
    details: { k: 1 },
  };
  it('depends on the previous hash and on every field', () => {
    const h = chainHash(GENESIS_HASH, c);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash('1'.repeat(64), c)).not.toBe(h);
    expect(chainHash(GENESIS_HASH, { ...c, success: false })).not.toBe(h);
    expect(chainHash(GENESIS_HASH, { ...c, details: { k: 2 } })).not.toBe(h);
    expect(chainHash(GENESIS_HASH, { ...c, at: new Date('2026-03-02T01:00:00.001Z') })).not.toBe(h);
  });
});
