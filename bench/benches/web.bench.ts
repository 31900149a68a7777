import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export const id = 'web';
export const title = 'staff console main bundle, gzip (target ≤ 400 kB; charts and maps lazy-loaded)';

const root = path.resolve(import.meta.dirname, '../..');

/** The entry chunk is the script index.html loads; lazy chunks are not counted. */
export async function run() {
  const dist = path.join(root, 'apps/web/dist');
  if (!fs.existsSync(path.join(dist, 'index.html')))
    spawnSync('npm', ['run', 'build', '-w', '@jiayuan/web'], { cwd: root, stdio: 'inherit' });
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const entries = [
    ...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="(?:stylesheet|modulepreload)"[^>]+href)="\/?([^"]+)"/g),
  ].map((m) => m[1] as string);
  let gz = 0;
  for (const e of entries) gz += zlib.gzipSync(fs.readFileSync(path.join(dist, e)), { level: 9 }).length;
  const kb = gz / 1024;
  return [
    { metric: 'main bundle gzip kB (entry + preloads + css)', value: kb, target: '≤ 400', ok: kb <= 400 },
    { metric: 'ratio to the 400 kB budget', value: kb / 400, target: '≤ 1', ok: kb <= 400 },
  ];
}
