#!/usr/bin/env node
// `npm start`: builds the web app when its build is missing or older than its sources, then starts Jiayuan
// (embedded database in ./data and the demo city unless DATABASE_URL is set).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const web = path.join(root, 'apps/web');
const built = path.join(web, 'dist/index.html');

function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}
const sources = [path.join(web, 'src'), path.join(root, 'packages/contracts/src')];
const stale =
  !fs.existsSync(built) ||
  Math.max(...sources.map(newest), fs.statSync(path.join(web, 'index.html')).mtimeMs) > fs.statSync(built).mtimeMs;
if (stale && !process.argv.includes('--no-build')) {
  console.log('正在构建网页 Building the web app…');
  const r = spawnSync('npm', ['run', 'build', '-w', '@jiayuan/web'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
process.argv = [process.argv[0], 'jiayuan', 'start'];
await import('../apps/cli/bin/jiayuan.mjs');
