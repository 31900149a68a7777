import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * National-crypto primitives on Node's OpenSSL 3 (SECURITY.md CR-1, CR-2): SM3 hashes, HMAC-SM3 MACs and blind
 * indexes, SM4-CTR + HMAC-SM3 authenticated encryption (encrypt-then-MAC), a random IV per value and the key id
 * stored with each value, so keys can rotate.
 */
export const sm3 = (data: string | Buffer): string => crypto.createHash('sm3').update(data).digest('hex');
export const hmacSm3 = (key: Buffer, data: string | Buffer): Buffer =>
  crypto.createHmac('sm3', key).update(data).digest();
export const randomToken = (bytes = 32): string => crypto.randomBytes(bytes).toString('base64url');
export const sha256 = (data: string): string => crypto.createHash('sha256').update(data).digest('hex');

type KeyMaterial = { enc: Buffer; mac: Buffer };
export type Keyring = {
  currentId: string;
  keys: Map<string, KeyMaterial>;
  /** Key for blind indexes (exact lookup of encrypted values); never rotated with the data keys. */
  indexKey: Buffer;
};

const derive = (master: Buffer, label: string, len: number) =>
  Buffer.from(crypto.hkdfSync('sm3', master, Buffer.alloc(0), Buffer.from(`jiayuan:${label}`), len));

type KeyringFile = { current: string; keys: Record<string, string>; index: string };

function fromFile(data: KeyringFile): Keyring {
  const keys = new Map<string, KeyMaterial>();
  for (const [id, b64] of Object.entries(data.keys)) {
    const master = Buffer.from(b64, 'base64');
    if (master.length < 32) throw new Error(`key ${id} is shorter than 32 bytes`);
    keys.set(id, { enc: derive(master, 'sm4', 16), mac: derive(master, 'hmac', 32) });
  }
  if (!keys.has(data.current)) throw new Error(`current key ${data.current} is not in the keyring`);
  return { currentId: data.current, keys, indexKey: derive(Buffer.from(data.index, 'base64'), 'index', 32) };
}

export function newKeyringFile(): KeyringFile {
  const id = `k${Date.now().toString(36)}`;
  return {
    current: id,
    keys: { [id]: crypto.randomBytes(32).toString('base64') },
    index: crypto.randomBytes(32).toString('base64'),
  };
}

/**
 * Keys live outside the database: JIAYUAN_KEYS holds the keyring JSON (or `file:/path`); without it a keyring
 * file is created once under DATA_DIR/keys (mode 0600).
 */
export function loadKeyring(spec: string | undefined, dataDir: string): Keyring {
  if (spec) {
    const text = spec.startsWith('file:') ? fs.readFileSync(spec.slice(5), 'utf8') : spec;
    return fromFile(JSON.parse(text) as KeyringFile);
  }
  const dir = path.join(dataDir, 'keys');
  const file = path.join(dir, 'keyring.json');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, JSON.stringify(newKeyringFile(), null, 2), { mode: 0o600, flag: 'wx' });
  }
  return fromFile(JSON.parse(fs.readFileSync(file, 'utf8')) as KeyringFile);
}

export function testKeyring(): Keyring {
  return fromFile({
    current: 'test1',
    keys: { test1: Buffer.alloc(32, 7).toString('base64') },
    index: Buffer.alloc(32, 9).toString('base64'),
  });
}

/** `v1.<keyId>.<iv>.<ciphertext>.<tag>`, base64url parts. */
export function encrypt(ring: Keyring, plaintext: string): string {
  const key = ring.keys.get(ring.currentId);
  if (!key) throw new Error('no current key');
  const iv = crypto.randomBytes(16);
  const cipher = crypto.createCipheriv('sm4-ctr', key.enc, iv);
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = hmacSm3(key.mac, Buffer.concat([Buffer.from(`v1.${ring.currentId}.`), iv, ct]));
  return ['v1', ring.currentId, iv.toString('base64url'), ct.toString('base64url'), tag.toString('base64url')].join(
    '.',
  );
}

export class DecryptError extends Error {}

export function decrypt(ring: Keyring, sealed: string): string {
  const [v, keyId, ivB, ctB, tagB] = sealed.split('.');
  if (v !== 'v1' || !keyId || ivB === undefined || ctB === undefined || tagB === undefined)
    throw new DecryptError('malformed ciphertext');
  const key = ring.keys.get(keyId);
  if (!key) throw new DecryptError(`unknown key ${keyId}`);
  const iv = Buffer.from(ivB, 'base64url');
  const ct = Buffer.from(ctB, 'base64url');
  const expected = hmacSm3(key.mac, Buffer.concat([Buffer.from(`v1.${keyId}.`), iv, ct]));
  const tag = Buffer.from(tagB, 'base64url');
  if (tag.length !== expected.length || !crypto.timingSafeEqual(tag, expected))
    throw new DecryptError('authentication failed');
  const decipher = crypto.createDecipheriv('sm4-ctr', key.enc, iv);
  return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
}

/** HMAC-SM3 blind index for exact lookup of an encrypted value. */
export const blindIndex = (ring: Keyring, kind: string, value: string): string =>
  hmacSm3(ring.indexKey, `${kind}:${value}`).toString('base64url');
