#!/usr/bin/env node
// `npm run bench [-- --full] [-- --only id,id]`: runs every benchmark in bench/benches/, each printing ratios measured
// side by side in one run (BENCHMARKS.md), then one table and a JSON file in bench/results/.
import fs from 'node:fs';
import path from 'node:path';
import { register } from 'tsx/esm/api';

register();
const here = import.meta.dirname;
const full = process.argv.includes('--full');
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? process.argv[onlyArg + 1]?.split(',') : undefined;
const files = fs
  .readdirSync(path.join(here, 'benches'))
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
const rows = [];
for (const f of files) {
  const mod = await import(path.join(here, 'benches', f));
  if (only && !only.includes(mod.id)) continue;
  process.stdout.write(`▶ ${mod.id}: ${mod.title}\n`);
  const started = Date.now();
  try {
    const results = await mod.run({ full });
    for (const r of results) rows.push({ id: mod.id, ...r, seconds: (Date.now() - started) / 1000 });
  } catch (e) {
    rows.push({ id: mod.id, metric: 'error', value: null, target: null, ok: false, note: String(e?.message ?? e) });
  }
}
const pad = (s, n) => String(s).padEnd(n);
console.log(`\n${pad('id', 16)}${pad('metric', 48)}${pad('value', 14)}${pad('target', 12)}ok   note`);
for (const r of rows)
  console.log(
    `${pad(r.id, 16)}${pad(r.metric, 48)}${pad(r.value === null ? '—' : typeof r.value === 'number' ? r.value.toFixed(3) : r.value, 14)}${pad(r.target ?? '', 12)}${r.ok === undefined ? '' : r.ok ? 'yes' : 'NO'}   ${r.note ?? ''}`,
  );
const outDir = path.join(here, 'results');
fs.mkdirSync(outDir, { recursive: true });
const file = path.join(outDir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
fs.writeFileSync(file, JSON.stringify({ full, node: process.version, at: new Date().toISOString(), rows }, null, 2));
console.log(`\n→ ${path.relative(process.cwd(), file)}`);
