import { type Ctx, withTx } from '../../shared/context.ts';
import { decrypt, encrypt, type Keyring } from '../../shared/crypto.ts';
import { recordAudit } from '../audit/index.ts';
import * as q from './residents.queries.ts';

const BATCH = 500;

/** Re-encrypts under the current key; a value already under it is returned as it is. */
const rekey = (ring: Keyring, prefix: string, v: string | null): string | null =>
  v === null || v.startsWith(prefix) ? v : encrypt(ring, decrypt(ring, v));

/**
 * Key rotation (SECURITY.md PI-6): re-encrypts every encrypted registry value (ID numbers, phones, care tags,
 * organisation contact phones, encrypted history values) under the keyring's current key. Old keys must still be in
 * the keyring (they decrypt); once this has run they can be retired. Blind indexes use the separate index key and do
 * not change. Runs in batches of BATCH rows, each batch its own transaction, so it can be interrupted and run again.
 * For the CLI and jobs (no HTTP route): the key material is an operator's matter.
 */
export async function rotateKeys(ctx: Ctx): Promise<{ residents: number; organisations: number; history: number }> {
  const ring = ctx.keyring;
  const prefix = `v1.${ring.currentId}.`;
  const counts = { residents: 0, organisations: 0, history: 0 };

  for (let after = '0'; ; ) {
    const rows = await q.residentsToRekey(ctx.db, prefix, after, BATCH);
    if (rows.length === 0) break;
    await withTx(ctx, async (tx) => {
      for (const r of rows)
        await q.rekeyResident(tx.db, r.id, {
          id_number_enc: rekey(ring, prefix, r.id_number_enc) as string,
          phone_enc: rekey(ring, prefix, r.phone_enc),
          care_tags_enc: rekey(ring, prefix, r.care_tags_enc),
        });
    });
    counts.residents += rows.length;
    after = (rows.at(-1) as (typeof rows)[number]).seq;
  }
  for (let after = '0'; ; ) {
    const rows = await q.orgsToRekey(ctx.db, prefix, after, BATCH);
    if (rows.length === 0) break;
    await withTx(ctx, async (tx) => {
      for (const r of rows) await q.rekeyOrg(tx.db, r.id, rekey(ring, prefix, r.contact_phone_enc) as string);
    });
    counts.organisations += rows.length;
    after = (rows.at(-1) as (typeof rows)[number]).seq;
  }
  for (let after = '0'; ; ) {
    const rows = await q.historyToRekey(ctx.db, prefix, after, BATCH);
    if (rows.length === 0) break;
    await withTx(ctx, async (tx) => {
      for (const r of rows)
        await q.rekeyHistory(tx.db, r.id, {
          before_value: rekey(ring, prefix, r.before_value),
          after_value: rekey(ring, prefix, r.after_value),
        });
    });
    counts.history += rows.length;
    after = String((rows.at(-1) as (typeof rows)[number]).id);
  }
  await recordAudit(ctx, { action: 'registry.keys_rotated', details: { keyId: ring.currentId, ...counts } });
  return counts;
}
