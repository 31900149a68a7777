import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.ts';

/** Forward-only, numbered. Never edit one that has landed; add the next number. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
};
export const latestMigration = Object.keys(migrations).at(-1) ?? '';
