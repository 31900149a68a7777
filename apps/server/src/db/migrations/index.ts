import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.ts';
import * as m0002 from './0002_registry.ts';
import * as m0003 from './0003_cases.ts';
import * as m0004 from './0004_open311.ts';

/** Forward-only, numbered. Never edit one that has landed; add the next number. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_registry': m0002,
  '0003_cases': m0003,
  '0004_open311': m0004,
};
export const latestMigration = Object.keys(migrations).at(-1) ?? '';
