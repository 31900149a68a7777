import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { load, login, postgresReachable, recreateDatabase, startServer } from '../lib.ts';

export const id = 'intake';
export const title =
  'create a case through the HTTP API (32 clients) against raw single-row INSERT commits (32 connections)';

const RAW_TABLE = `create table if not exists bench_raw (
  id uuid primary key default gen_random_uuid(), number text not null unique, category_id uuid not null,
  jurisdiction_id uuid not null, path text not null, title text not null, description text not null,
  lng double precision, lat double precision, state text not null, expected_at timestamptz,
  created_at timestamptz not null default now())`;
const rawRow = (i: number) => [
  `R-${i}-${randomUUID().slice(0, 8)}`,
  randomUUID(),
  randomUUID(),
  '430600.430602',
  '路灯不亮',
  `第${i}号报告：路灯不亮，晚上很黑`,
  113.1,
  29.37,
  'reported',
];
const RAW_INSERT =
  'insert into bench_raw (number, category_id, jurisdiction_id, path, title, description, lng, lat, state) values ($1,$2,$3,$4,$5,$6,$7,$8,$9)';

async function apiRate(url: string, n: number) {
  const cookie = await login(url, 'demo.grid_manager');
  const cats = (await (await fetch(`${url}/api/cases/categories`, { headers: { cookie } })).json()) as {
    items: { id: string; parentId: string | null; extraFields: unknown[] }[];
  };
  const leaf = cats.items.find((c) => c.parentId && c.extraFields.length === 0);
  if (!leaf) throw new Error('no category');
  let errors = 0;
  const r = await load(n, 32, async (i) => {
    const res = await fetch(`${url}/api/cases`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({
        categoryId: leaf.id,
        source: 'grid_manager',
        description: `第${i}号报告：路灯不亮，晚上很黑`,
      }),
    });
    if (res.status !== 201 && res.status !== 200) errors++;
    await res.arrayBuffer();
  });
  return { ...r, errors };
}

export async function run({ full }: { full: boolean }) {
  const n = full ? 20000 : 2000;
  const out: { metric: string; value: number | null; target?: string; ok?: boolean; note?: string }[] = [];
  if (await postgresReachable()) {
    const url = await recreateDatabase('jy_bench_intake');
    const server = await startServer({ DATABASE_URL: url });
    const api = await apiRate(server.url, n);
    await server.stop();
    const pool = new pg.Pool({ connectionString: url, max: 32 });
    await pool.query(RAW_TABLE);
    const raw = await load(n, 32, async (i) => {
      await pool.query(RAW_INSERT, rawRow(i));
    });
    await pool.end();
    const ratio = api.rate / raw.rate;
    out.push({
      metric: 'PostgreSQL: API creates/s ÷ raw inserts/s',
      value: ratio,
      target: '≥ 0.5',
      ok: ratio >= 0.5,
      note: `${api.rate.toFixed(0)}/s vs ${raw.rate.toFixed(0)}/s; p99 ${api.p99.toFixed(0)} ms; errors ${api.errors}`,
    });
  } else out.push({ metric: 'PostgreSQL', value: null, note: 'unreachable: skipped' });

  const server = await startServer({ DATABASE_URL: '' });
  const api = await apiRate(server.url, n);
  await server.stop();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jy-bench-raw-'));
  const lite = await PGlite.create({ dataDir: dir });
  await lite.exec(RAW_TABLE);
  const raw = await load(n, 32, async (i) => {
    await lite.query(RAW_INSERT, rawRow(i));
  });
  await lite.close();
  const ratio = api.rate / raw.rate;
  out.push({
    metric: 'PGlite: API creates/s ÷ raw inserts/s',
    value: ratio,
    target: '≥ 0.5',
    ok: ratio >= 0.5,
    note: `${api.rate.toFixed(0)}/s vs ${raw.rate.toFixed(0)}/s; p99 ${api.p99.toFixed(0)} ms; errors ${api.errors}`,
  });
  if (!full)
    out.push({
      metric: 'intake-growth (1M existing cases)',
      value: null,
      note: 'full profile only (npm run bench -- --full)',
    });
  return out;
}
