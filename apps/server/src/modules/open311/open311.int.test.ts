import { randomUUID } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../../test/app.ts';
import { decrypt } from '../../shared/crypto.ts';
import { caseClient, jpegWithExif } from '../cases/cases.test-helpers.ts';
import { type ApiPrincipal, authenticate, createApiKeyUnchecked, revokeApiKeyUnchecked } from './api-keys.service.ts';
import { Params } from './open311.params.ts';
import { createRequest } from './open311.service.ts';

/**
 * Open311 GeoReport v2 conformance (OPEN311.md): every call in XML and JSON, element names and structure as the spec
 * and FixMyStreet read them, errors, keys and their scope, empty optional parameters, `\r\n` and Chinese names,
 * attribute arrays, the 90-day window, and servicerequestupdates both ways.
 */

const BASE = '/open311/v2';
/** Elements that are list items: always arrays once parsed, however many there are. */
const LIST_ITEMS = ['service', 'request', 'attribute', 'value', 'error', 'request_update', 'endpoint', 'format'];
const parser = new XMLParser({
  ignoreDeclaration: true,
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => LIST_ITEMS.includes(name),
});
const W3C_TZ = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

type Xml = Record<string, unknown>;
/** Checks the XML answer (declaration, content type, well-formed) and parses it. */
function xml(r: LightMyRequestResponse): Xml {
  expect(r.headers['content-type']).toBe('text/xml; charset=utf-8');
  expect(r.body.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
  expect(XMLValidator.validate(r.body)).toBe(true);
  return parser.parse(r.body) as Xml;
}
function json(r: LightMyRequestResponse): unknown {
  expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
  return r.json();
}
/** The `errors/error` body in XML: [{code, description}]. */
function xmlErrors(r: LightMyRequestResponse, status: number) {
  expect(r.statusCode, r.body).toBe(status);
  const errors = (xml(r).errors as { error: { code: string; description: string }[] }).error;
  expect(errors.length).toBeGreaterThan(0);
  expect(errors[0]?.code).toBe(String(status));
  expect(errors[0]?.description).toBeTruthy();
  return errors;
}
function jsonErrors(r: LightMyRequestResponse, status: number) {
  expect(r.statusCode, r.body).toBe(status);
  const errors = json(r) as { code: number; description: string }[];
  expect(Array.isArray(errors)).toBe(true);
  expect(errors[0]).toMatchObject({ code: status, description: expect.any(String) });
  return errors;
}

let t: TestApp;
let c: ReturnType<typeof caseClient>;
const cookies: Record<string, string> = {};
const ids: Record<string, string> = {};
const keys: Record<string, string> = {};
let districtB: { grid: { id: string; path: string; code: string } };

type Pairs = [string, string][];
const form = (pairs: Pairs) => new URLSearchParams(pairs).toString();
const get = (url: string) => t.app.inject({ method: 'GET', url: `${BASE}/${url}` });
const post = (url: string, pairs: Pairs, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: `${BASE}/${url}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers },
    payload: form(pairs),
  });
const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

async function jurisdictionNode(code: string, name: string, level: string, parent: { id: string; path: string }) {
  const r = await t.ctx.db
    .insertInto('jurisdictions')
    .values({
      code,
      name,
      level: level as never,
      parent_id: parent.id,
      path: `${parent.path}.${code}`,
      updated_at: new Date(),
    })
    .returning(['id', 'path'])
    .executeTakeFirstOrThrow();
  return { id: r.id, path: r.path, code };
}

const GRID_A1 = '43060200100101';
const garbageReport = (key: string, more: Pairs = []): Pairs => [
  ['api_key', key],
  ['jurisdiction_id', '430602'],
  ['service_code', 'environment.garbage'],
  ['lat', '29.371234'],
  ['long', '113.091234'],
  ['address_id', GRID_A1],
  ['description', `楼下垃圾堆放三天无人清理 ${randomUUID().slice(0, 8)}`],
  ...more,
];

async function newRequest(key = keys.district as string, more: Pairs = []): Promise<string> {
  const r = await post('requests.json', garbageReport(key, more));
  expect(r.statusCode, r.body).toBe(201);
  return (r.json() as { service_request_id: string }[])[0]?.service_request_id as string;
}

const caseByNumber = (number: string) =>
  t.ctx.db.selectFrom('cases').selectAll().where('number', '=', number).executeTakeFirstOrThrow();

async function step(who: string, number: string, body: Record<string, unknown>) {
  const { id } = await caseByNumber(number);
  const r = await c.move(cookies[who] as string, id, body);
  expect(r.statusCode, `${who} ${JSON.stringify(body)}: ${r.body}`).toBe(200);
}

beforeAll(async () => {
  t = await makeTestApp();
  c = caseClient(t);
  // A second district with a grid of its own: 云溪区 › 云溪街道 › 云溪社区 › 第一网格.
  const d = await jurisdictionNode('430603', '云溪区', 'district', t.tree.city);
  const s = await jurisdictionNode('430603001', '云溪街道', 'street', d);
  const cm = await jurisdictionNode('430603001001', '云溪社区', 'community', s);
  districtB = { grid: await jurisdictionNode('43060300100101', '云溪第一网格', 'grid', cm) };
  for (const [name, roles, at] of [
    ['gm', ['grid_manager'], 'gridA1'],
    ['worker', ['community_worker'], 'communityA'],
  ] as const) {
    ids[name] = await t.makeUser(name, [...roles], at);
    cookies[name] = await t.login(name);
  }
  ids.sysadmin = await t.makeUser('sysadmin', ['system_admin'], 'city');
  for (const [name, code] of [
    ['district', '430602'],
    ['grid', GRID_A1],
    ['districtB', '430603'],
    ['revoked', '430602'],
  ] as const)
    keys[name] = (await createApiKeyUnchecked(t.ctx, { name: `test-${name}`, jurisdictionCode: code })).key;
  const revoked = await authenticate(t.ctx, keys.revoked);
  await revokeApiKeyUnchecked(t.ctx, (revoked as ApiPrincipal).id);

  // A 小类 with one extra field of every type, and one only for 五里牌社区 (community B).
  const env = await t.ctx.db
    .selectFrom('case_categories')
    .select('id')
    .where('code', '=', 'environment')
    .executeTakeFirstOrThrow();
  await t.ctx.db
    .insertInto('case_categories')
    .values([
      {
        parent_id: env.id,
        code: 'environment.test_all',
        name: '综合测试',
        default_urgency: 'blue',
        extra_fields: JSON.stringify([
          { key: 'note', label: '备注', type: 'string', required: false },
          { key: 'count', label: '数量', type: 'number', required: true },
          { key: 'seenOn', label: '发现日期', type: 'date', required: false },
          { key: 'colour', label: '颜色', type: 'single', required: false, options: ['红', '绿'] },
          { key: 'kinds', label: '种类', type: 'multi', required: false, options: ['纸', '塑料', '玻璃'] },
        ]),
        updated_at: new Date(),
      },
      {
        parent_id: env.id,
        code: 'environment.b_only',
        name: '五里牌专属',
        default_urgency: 'blue',
        jurisdiction_id: t.tree.communityB.id,
        path: t.tree.communityB.path,
        extra_fields: '[]',
        updated_at: new Date(),
      },
    ])
    .execute();
});
afterAll(async () => {
  await t?.close();
});

describe('discovery', () => {
  it('names the specification, the endpoint and its formats, in XML and JSON', async () => {
    const x = xml(await get('discovery.xml')).discovery as Xml;
    expect(Object.keys(x)).toEqual(['changeset', 'contact', 'key_service', 'endpoints']);
    expect(x.changeset).toMatch(W3C_TZ);
    const ep = (x.endpoints as { endpoint: Xml[] }).endpoint[0] as Xml;
    expect(ep.specification).toBe('http://wiki.open311.org/GeoReport_v2');
    expect(ep.url).toMatch(/\/open311\/v2\/$/);
    expect((ep.formats as { format: string[] }).format).toEqual(['text/xml', 'application/json']);
    const j = json(await get('discovery.json')) as Xml;
    expect((j.endpoints as Xml[])[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2' });
  });
});

describe('services', () => {
  it('lists 小类 as services with their 大类 as group, without a key, in XML and JSON', async () => {
    const services = (xml(await get('services.xml')).services as { service: Xml[] }).service;
    const garbage = services.find((s) => s.service_code === 'environment.garbage') as Xml;
    expect(Object.keys(garbage)).toEqual(['service_code', 'service_name', 'description', 'metadata', 'type', 'group']);
    expect(garbage).toMatchObject({ metadata: 'false', type: 'realtime', group: '环境卫生' });
    expect(services.find((s) => s.service_code === 'safety.gas')).toMatchObject({
      metadata: 'true',
      group: '安全隐患',
    });
    // 大类 are groups, never services.
    expect(services.some((s) => s.service_code === 'environment')).toBe(false);
    const j = json(await get('services.json')) as Xml[];
    expect(Array.isArray(j)).toBe(true);
    expect(j.find((s) => s.service_code === 'safety.gas')).toMatchObject({ metadata: true, type: 'realtime' });
    expect(j.length).toBe(services.length);
  });

  it('scopes by jurisdiction_id, treats an empty one as absent and answers 404 for an unknown one', async () => {
    const codes = async (query: string) =>
      ((await get(`services.json?${query}`)).json() as Xml[]).map((s) => s.service_code);
    expect(await codes('jurisdiction_id=')).toEqual(await codes(''));
    expect(await codes('')).not.toContain('environment.b_only');
    expect(await codes('jurisdiction_id=430602001002')).toContain('environment.b_only');
    expect(await codes('jurisdiction_id=430602001001')).not.toContain('environment.b_only');
    xmlErrors(await get('services.xml?jurisdiction_id=999999'), 404);
    jsonErrors(await get('services.json?jurisdiction_id=999999'), 404);
  });

  it('defines a service: its extra fields as attributes with datatypes, order and values', async () => {
    const def = xml(await get('services/environment.test_all.xml')).service_definition as Xml;
    expect(def.service_code).toBe('environment.test_all');
    const attrs = (def.attributes as { attribute: Xml[] }).attribute;
    expect(attrs.map((a) => [a.code, a.datatype, a.required, a.order])).toEqual([
      ['note', 'string', 'false', '1'],
      ['count', 'number', 'true', '2'],
      ['seenOn', 'datetime', 'false', '3'],
      ['colour', 'singlevaluelist', 'false', '4'],
      ['kinds', 'multivaluelist', 'false', '5'],
    ]);
    expect(Object.keys(attrs[3] as Xml)).toEqual([
      'variable',
      'code',
      'datatype',
      'required',
      'datatype_description',
      'order',
      'description',
      'values',
    ]);
    expect(attrs[3]).toMatchObject({ variable: 'true', description: '颜色' });
    expect(((attrs[4] as Xml).values as { value: Xml[] }).value).toEqual([
      { key: '纸', name: '纸' },
      { key: '塑料', name: '塑料' },
      { key: '玻璃', name: '玻璃' },
    ]);
    const j = json(await get('services/safety.gas.json')) as Xml;
    expect(j).toMatchObject({
      service_code: 'safety.gas',
      attributes: [
        {
          code: 'smell',
          datatype: 'singlevaluelist',
          required: true,
          order: 1,
          values: [
            { key: '有', name: '有' },
            { key: '无', name: '无' },
          ],
        },
      ],
    });
  });

  it('answers 404 for an unknown service, a 大类 and an unknown format', async () => {
    xmlErrors(await get('services/nope.xml'), 404);
    jsonErrors(await get('services/nope.json'), 404);
    xmlErrors(await get('services/environment.xml'), 404);
    xmlErrors(await get('services/environment.garbage.yaml'), 404);
    xmlErrors(await get('nothing-here.xml'), 404);
    jsonErrors(await get('nothing-here.json'), 404);
  });
});

describe('POST requests', () => {
  it('creates a case of source open311 from a FixMyStreet-style form: \\r\\n, a Chinese name, XML answer', async () => {
    const description = '标题：垃圾堆放\r\n\r\n详情：楼下垃圾三天无人清理\r\n\r\n来自 FixMyStreet';
    const r = await post('requests.xml', [
      ['api_key', keys.district as string],
      ['jurisdiction_id', '430602'],
      ['service_code', 'environment.garbage'],
      ['lat', '29.371234'],
      ['long', '113.091234'],
      ['address_id', GRID_A1],
      ['email', 'zhangsan@example.com'],
      ['first_name', '张三'],
      ['last_name', ''],
      ['phone', '13812345678'],
      ['description', description],
      ['media_url', 'https://fms.example.com/photo/1.jpeg'],
    ]);
    expect(r.statusCode, r.body).toBe(201);
    const req = (xml(r).service_requests as { request: Xml[] }).request;
    expect(req).toHaveLength(1);
    const number = req[0]?.service_request_id as string;
    expect(number).toMatch(/^430602-2026-\d{6}$/);
    // Created synchronously: an id, and so no token (the spec: never both).
    expect(req[0]).not.toHaveProperty('token');
    expect(Object.keys(req[0] as Xml)).toEqual(['service_request_id', 'service_notice', 'account_id']);

    const row = await caseByNumber(number);
    expect(row).toMatchObject({
      source: 'open311',
      state: 'reported',
      grid_id: t.tree.gridA1.id,
      community_id: t.tree.communityA.id,
      description: description.replaceAll('\r\n', '\n'),
      reporter_id: null,
      lat: 29.371234,
      lng: 113.091234,
    });
    expect(decrypt(t.ctx.keyring, row.caller_name_enc as string)).toBe('张三');
    const sub = await t.ctx.db
      .selectFrom('open311_requests')
      .selectAll()
      .where('case_id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(decrypt(t.ctx.keyring, sub.email_enc as string)).toBe('zhangsan@example.com');
    expect(decrypt(t.ctx.keyring, sub.phone_enc as string)).toBe('13812345678');
    expect(sub.media_url).toBe('https://fms.example.com/photo/1.jpeg');

    // It is a case like any other: staff see it, its timeline and the reporter's name masked.
    const detail = await c.inject('GET', `/api/cases/${row.id}`, cookies.worker as string);
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json()).toMatchObject({ source: 'open311', reporter: { name: '张*' } });
    expect(detail.json().timeline[0]).toMatchObject({ action: 'report', actorName: 'Open311 · test-district' });
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['actor_name', 'details'])
      .where('action', '=', 'case.report')
      .where('object_id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(audit.actor_name).toBe('open311:test-district');
    expect(audit.details).toMatchObject({ source: 'open311', number });
  });

  it('answers in JSON as a bare array, and takes multipart bodies too', async () => {
    const r = await post('requests.json', garbageReport(keys.district as string, [['account_id', 'acct-1']]));
    expect(r.statusCode, r.body).toBe(201);
    const j = json(r) as Xml[];
    expect(j).toEqual([
      {
        service_request_id: expect.stringMatching(/^430602-2026-/),
        service_notice: expect.any(String),
        account_id: 'acct-1',
      },
    ]);

    const boundary = `----jy${randomUUID().replaceAll('-', '')}`;
    const parts = garbageReport(keys.district as string, [['first_name', '李四']]).map(
      ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
    );
    const file = `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
    const m = await t.app.inject({
      method: 'POST',
      url: `${BASE}/requests.xml`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat([
        Buffer.from(parts.join('') + file),
        jpegWithExif(),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
    });
    expect(m.statusCode, m.body).toBe(201);
    const number = ((xml(m).service_requests as { request: Xml[] }).request[0] as Xml).service_request_id as string;
    expect(decrypt(t.ctx.keyring, (await caseByNumber(number)).caller_name_enc as string)).toBe('李四');
  });

  it('treats empty optional parameters as absent', async () => {
    const r = await post(
      'requests.xml',
      garbageReport(keys.district as string, [
        ['email', ''],
        ['phone', ''],
        ['first_name', ''],
        ['last_name', ''],
        ['device_id', ''],
        ['account_id', ''],
        ['media_url', ''],
        ['address_string', ''],
        ['attribute[whatever]', ''],
      ]),
    );
    expect(r.statusCode, r.body).toBe(201);
    const number = ((xml(r).service_requests as { request: Xml[] }).request[0] as Xml).service_request_id as string;
    const row = await caseByNumber(number);
    expect(row.caller_name_enc).toBeNull();
    expect(row.address).toBeNull();
    // An empty required parameter is a missing one.
    const empty = await post('requests.xml', [
      ...garbageReport(keys.district as string).filter(([k]) => k !== 'service_code'),
      ['service_code', ''],
    ]);
    expect(xmlErrors(empty, 400)[0]?.description).toContain('service_code');
  });

  it('takes attribute[code]=v and attribute[code][]=v for many, as the case extra fields', async () => {
    const send = (attrs: Pairs, format = 'json') =>
      post(`requests.${format}`, [
        ...garbageReport(keys.district as string).filter(([k]) => k !== 'service_code'),
        ['service_code', 'environment.test_all'],
        ...attrs,
      ]);
    const r = await send([
      ['attribute[note]', '有异味'],
      ['attribute[count]', '3'],
      ['attribute[seenOn]', '2026-03-01T23:30:00+08:00'],
      ['attribute[colour]', '绿'],
      ['attribute[kinds][]', '纸'],
      ['attribute[kinds][]', '玻璃'],
      ['attribute[unknown]', 'ignored'],
    ]);
    expect(r.statusCode, r.body).toBe(201);
    const row = await caseByNumber((r.json() as Xml[])[0]?.service_request_id as string);
    expect(row.extra).toEqual({ note: '有异味', count: 3, seenOn: '2026-03-01', colour: '绿', kinds: ['纸', '玻璃'] });
    // A required attribute missing, a value off the list, a number that is not one: 400.
    xmlErrors(await send([['attribute[note]', 'x']], 'xml'), 400);
    jsonErrors(
      await send([
        ['attribute[count]', '1'],
        ['attribute[colour]', '蓝'],
      ]),
      400,
    );
    jsonErrors(await send([['attribute[count]', 'three']]), 400);
    jsonErrors(
      await send([
        ['attribute[count]', '1'],
        ['attribute[kinds][]', '纸'],
        ['attribute[kinds][]', '铁'],
      ]),
      400,
    );
  });

  it('refuses a missing service_code or location (400), a missing, bad or revoked key (403), an unknown service (404)', async () => {
    const without = (name: string) => garbageReport(keys.district as string).filter(([k]) => k !== name);
    xmlErrors(await post('requests.xml', without('service_code')), 400);
    jsonErrors(await post('requests.json', without('service_code')), 400);
    const noPlace = garbageReport(keys.district as string).filter(
      ([k]) => !['lat', 'long', 'address_id', 'address_string'].includes(k),
    );
    expect(xmlErrors(await post('requests.xml', noPlace), 400)[0]?.description).toMatch(/lat/);
    jsonErrors(await post('requests.json', [...noPlace, ['lat', '29.37']]), 400);
    jsonErrors(await post('requests.json', [...noPlace, ['lat', '91'], ['long', '113']]), 400);
    xmlErrors(await post('requests.xml', without('api_key')), 403);
    jsonErrors(await post('requests.json', without('api_key')), 403);
    xmlErrors(await post('requests.xml', garbageReport('jy311_not-a-real-key')), 403);
    xmlErrors(await post('requests.xml', garbageReport(keys.revoked as string)), 403);
    jsonErrors(await post('requests.json', garbageReport(keys.revoked as string)), 403);
    const unknown = [...without('service_code'), ['service_code', 'no.such.service']] as Pairs;
    xmlErrors(await post('requests.xml', unknown), 404);
    jsonErrors(await post('requests.json', unknown), 404);
    // A body that is neither a form nor multipart: 415, still in Open311's format.
    const octets = await t.app.inject({
      method: 'POST',
      url: `${BASE}/requests.xml`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from('x'),
    });
    xmlErrors(octets, 415);
    // A description over 4000 characters.
    jsonErrors(await post('requests.json', [...without('description'), ['description', '长'.repeat(4001)]]), 400);
    // A category of community B cannot be reported in community A.
    jsonErrors(await post('requests.json', [...without('service_code'), ['service_code', 'environment.b_only']]), 400);
  });

  it('keeps a key to its jurisdiction: another district is not found or out of scope', async () => {
    // jurisdiction_id of another branch: 404.
    const other = garbageReport(keys.districtB as string).map(([k, v]) => [k, k === 'jurisdiction_id' ? '430603' : v]);
    jsonErrors(await post('requests.json', garbageReport(keys.districtB as string)), 404);
    // A place in district A with district B's key: refused.
    jsonErrors(await post('requests.json', other as Pairs), 400);
    // Its own grid is fine.
    const own = (other as Pairs).map(([k, v]) => [k, k === 'address_id' ? districtB.grid.code : v]) as Pairs;
    const r = await post('requests.json', own);
    expect(r.statusCode, r.body).toBe(201);
    expect((r.json() as Xml[])[0]?.service_request_id).toMatch(/^430603-2026-/);
  });

  it('places a point by the locator when there is one, else on the key’s own grid or community', async () => {
    // No locator in this deployment: a district key with only a point cannot place it…
    const pointOnly = garbageReport(keys.district as string).filter(([k]) => k !== 'address_id');
    expect(xmlErrors(await post('requests.xml', pointOnly), 400)[0]?.description).toContain('address_id');
    // …a key issued for a grid places everything there…
    const r = await post(
      'requests.json',
      garbageReport(keys.grid as string).filter(([k]) => k !== 'address_id'),
    );
    expect(r.statusCode, r.body).toBe(201);
    expect((await caseByNumber((r.json() as Xml[])[0]?.service_request_id as string)).grid_id).toBe(t.tree.gridA1.id);
    // …and with the registry's locator injected, the point decides.
    const key = (await authenticate(t.ctx, keys.district)) as ApiPrincipal;
    const seen: number[][] = [];
    const out = await createRequest(t.ctx, key, Params.from(pointOnly), {
      locateGrid: async (lng, lat) => {
        seen.push([lng, lat]);
        return { gridId: t.tree.gridA1.id, path: t.tree.gridA1.path };
      },
    });
    expect(seen).toEqual([[113.091234, 29.371234]]);
    expect(out.status).toBe(201);
    expect((await caseByNumber(out.body[0]?.service_request_id as string)).grid_id).toBe(t.tree.gridA1.id);
    // A point the locator puts in another district is out of this key's scope.
    await expect(
      createRequest(t.ctx, key, Params.from(pointOnly), {
        locateGrid: async () => ({ gridId: districtB.grid.id, path: districtB.grid.path }),
      }),
    ).rejects.toMatchObject({ code: 'OPEN311_LOCATION_OUT_OF_SCOPE' });
  });

  it('honours Idempotency-Key, and answers a quick resend from the same device with the first case', async () => {
    const body = garbageReport(keys.district as string);
    const header = { 'idempotency-key': randomUUID() };
    const a = await post('requests.json', body, header);
    const b = await post('requests.json', body, header);
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.json()).toEqual(a.json());
    // The same key with another request: 422, in Open311's error format.
    xmlErrors(await post('requests.xml', garbageReport(keys.district as string), header), 422);

    const fromDevice = garbageReport(keys.district as string, [['device_id', 'phone-1']]);
    const first = await post('requests.json', fromDevice);
    const resend = await post('requests.json', fromDevice);
    expect(first.statusCode).toBe(201);
    expect(resend.statusCode).toBe(200);
    expect((resend.json() as Xml[])[0]?.service_request_id).toBe((first.json() as Xml[])[0]?.service_request_id);
    // After the window, or with other content, it is a new report.
    const changed = fromDevice.map(([k, v]) => [k, k === 'description' ? `${v}（补充）` : v]) as Pairs;
    expect((await post('requests.json', changed)).statusCode).toBe(201);
    t.clock.advanceMinutes(11);
    const later = await post('requests.json', fromDevice);
    expect(later.statusCode).toBe(201);
    expect((later.json() as Xml[])[0]?.service_request_id).not.toBe((first.json() as Xml[])[0]?.service_request_id);
  });

  it('leaves the rest of the API refusing form posts', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { cookie: cookies.worker as string, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'description=x',
    });
    expect(r.statusCode).toBe(415);
  });
});

describe('tokens', () => {
  it('resolves a token to its service_request_id, 404 otherwise', async () => {
    const number = await newRequest();
    const { token } = await t.ctx.db
      .selectFrom('open311_requests')
      .select('token')
      .where('case_id', '=', (await caseByNumber(number)).id)
      .executeTakeFirstOrThrow();
    const x = (xml(await get(`tokens/${token}.xml`)).service_requests as { request: Xml[] }).request;
    expect(x).toEqual([{ service_request_id: number, token }]);
    expect(json(await get(`tokens/${token}.json`))).toEqual([{ service_request_id: number, token }]);
    xmlErrors(await get('tokens/nope.xml'), 404);
    jsonErrors(await get('tokens/nope.json'), 404);
  });
});

describe('GET requests', () => {
  const REQUEST_FIELDS = [
    'service_request_id',
    'status',
    'status_notes',
    'service_name',
    'service_code',
    'description',
    'agency_responsible',
    'service_notice',
    'requested_datetime',
    'updated_datetime',
    'expected_datetime',
    'address',
    'address_id',
    'zipcode',
    'lat',
    'long',
    'media_url',
  ];

  it('shows a request with every field, dates with their timezone, and no personal data', async () => {
    const number = await newRequest(keys.district as string, [
      ['first_name', '王五'],
      ['email', 'wangwu@example.com'],
      ['phone', '13900001111'],
      ['address_string', '金鹗东路 12 号'],
    ]);
    await t.ctx.db
      .updateTable('cases')
      .set({ description: '联系 13812345678 或 liu@example.com，身份证 430602199001011234' })
      .where('number', '=', number)
      .execute();
    const r = await get(`requests/${number}.xml`);
    expect(r.statusCode, r.body).toBe(200);
    const req = (xml(r).service_requests as { request: Xml[] }).request;
    expect(req).toHaveLength(1);
    const one = req[0] as Xml;
    expect(Object.keys(one)).toEqual(REQUEST_FIELDS);
    expect(one).toMatchObject({
      service_request_id: number,
      status: 'open',
      service_code: 'environment.garbage',
      service_name: '垃圾堆放',
      address: '金鹗东路 12 号',
      address_id: GRID_A1,
      lat: '29.371234',
      long: '113.091234',
      agency_responsible: '金鹗第一网格',
    });
    for (const f of ['requested_datetime', 'updated_datetime', 'expected_datetime'])
      expect(one[f] as string).toMatch(W3C_TZ);
    expect(one.description).toBe('联系 138****5678 或 l***@example.com，身份证 430602********1234');
    for (const secret of ['王五', 'wangwu', '13900001111', '13812345678', '199001011234'])
      expect(r.body).not.toContain(secret);

    const j = json(await get(`requests/${number}.json`)) as Xml[];
    expect(j).toHaveLength(1);
    expect(Object.keys(j[0] as Xml)).toEqual(REQUEST_FIELDS);
    expect(j[0]).toMatchObject({ status: 'open', lat: 29.371234, long: 113.091234, zipcode: null });
    xmlErrors(await get('requests/430602-2026-999999.xml'), 404);
    jsonErrors(await get('requests/430602-2026-999999.json'), 404);
  });

  it('takes a comma list of ids that overrides the other filters', async () => {
    const a = await newRequest();
    const b = await newRequest();
    const r = json(await get(`requests.json?${q({ service_request_id: `${a}, ${b}`, status: 'closed' })}`)) as Xml[];
    expect(r.map((x) => x.service_request_id).sort()).toEqual([a, b].sort());
    const x = xml(await get(`requests.xml?${q({ service_request_id: a })}`));
    expect((x.service_requests as { request: Xml[] }).request.map((e) => e.service_request_id)).toEqual([a]);
  });

  it('filters by status, service_code, date window and page; empty parameters count as absent', async () => {
    const number = await newRequest();
    const all = json(await get('requests.json')) as Xml[];
    expect(all.some((x) => x.service_request_id === number)).toBe(true);
    expect(json(await get('requests.json?status=&service_code=&start_date=&end_date=&page=&page_size='))).toEqual(all);
    expect((json(await get('requests.json?status=closed')) as Xml[]).some((x) => x.status === 'open')).toBe(false);
    expect((json(await get('requests.json?status=open,closed')) as Xml[]).length).toBe(all.length);
    expect((json(await get('requests.json?service_code=safety.gas')) as Xml[]).length).toBe(0);
    expect((json(await get('requests.json?service_code=environment.garbage')) as Xml[]).length).toBeGreaterThan(0);
    const page1 = json(await get('requests.json?page_size=2')) as Xml[];
    const page2 = json(await get('requests.json?page_size=2&page=2')) as Xml[];
    expect(page1).toHaveLength(2);
    expect(page2[0]?.service_request_id).not.toBe(page1[0]?.service_request_id);
    const now = t.clock.now().getTime();
    const iso = (ms: number) => new Date(ms).toISOString();
    // A window around now, given with an offset whose `+` arrived as a space.
    const inWindow = json(
      await get(`requests.json?start_date=2026-03-01T00:00:00 08:00&end_date=${encodeURIComponent(iso(now + 60_000))}`),
    ) as Xml[];
    expect(inWindow.some((x) => x.service_request_id === number)).toBe(true);
    const before = json(await get(`requests.json?${q({ end_date: '2026-02-01T00:00:00Z' })}`)) as Xml[];
    expect(before).toEqual([]);
  });

  it('refuses a window over 90 days, a reversed one, a date without timezone and an unknown status (400)', async () => {
    const wide = q({ start_date: '2026-01-01T00:00:00+08:00', end_date: '2026-04-02T00:00:00+08:00' });
    expect(xmlErrors(await get(`requests.xml?${wide}`), 400)[0]?.description).toContain('90');
    jsonErrors(await get(`requests.json?${wide}`), 400);
    jsonErrors(
      await get(`requests.json?${q({ start_date: '2026-03-02T00:00:00Z', end_date: '2026-03-01T00:00:00Z' })}`),
      400,
    );
    jsonErrors(await get(`requests.json?${q({ start_date: '2026-03-01T00:00:00' })}`), 400);
    jsonErrors(await get(`requests.json?${q({ start_date: 'yesterday' })}`), 400);
    jsonErrors(await get('requests.json?status=pending'), 400);
    jsonErrors(await get('requests.json?page_size=5000'), 400);
    // Exactly 90 days is fine.
    const ok = q({ start_date: '2026-01-01T00:00:00+08:00', end_date: '2026-04-01T00:00:00+08:00' });
    expect((await get(`requests.json?${ok}`)).statusCode).toBe(200);
  });

  it('limits a key to its district: another district’s request is not found', async () => {
    const number = await newRequest();
    const withB = q({ api_key: keys.districtB as string });
    jsonErrors(await get(`requests/${number}.json?${withB}`), 404);
    xmlErrors(await get(`requests/${number}.xml?${withB}`), 404);
    const listB = json(await get(`requests.json?${withB}`)) as Xml[];
    expect(listB.every((x) => String(x.service_request_id).startsWith('430603-'))).toBe(true);
    expect(
      json(await get(`requests.json?${q({ api_key: keys.districtB as string, service_request_id: number })}`)),
    ).toEqual([]);
    jsonErrors(await get(`requests.json?${q({ api_key: keys.districtB as string, jurisdiction_id: '430602' })}`), 404);
    // Its own key, and no key at all, read it.
    expect((await get(`requests/${number}.json?${q({ api_key: keys.district as string })}`)).statusCode).toBe(200);
    expect((await get(`requests/${number}.json`)).statusCode).toBe(200);
    // jurisdiction_id narrows what an anonymous reader sees.
    expect(json(await get(`requests.json?${q({ jurisdiction_id: '430603', service_request_id: number })}`))).toEqual(
      [],
    );
    // A bad key is refused rather than ignored.
    xmlErrors(await get(`requests.xml?${q({ api_key: 'jy311_bad' })}`), 403);
    xmlErrors(await get(`requests.xml?${q({ api_key: keys.revoked as string })}`), 403);
  });

  it('shows no case that did not come in through Open311', async () => {
    const garbage = await c.categoryId('environment.garbage');
    const r = await c.report(cookies.gm as string, {
      categoryId: garbage,
      source: 'grid_manager',
      description: '巡查发现垃圾',
      jurisdictionId: t.tree.gridA1.id,
    });
    expect(r.statusCode, r.body).toBe(201);
    const number = r.json().case.number as string;
    jsonErrors(await get(`requests/${number}.json`), 404);
    expect((json(await get('requests.json')) as Xml[]).some((x) => x.service_request_id === number)).toBe(false);
  });
});

describe('servicerequestupdates', () => {
  it('shows the state changes made by staff, with extended statuses, inside the window', async () => {
    const since = new Date(t.clock.now().getTime() - 1000).toISOString();
    const number = await newRequest();
    await step('gm', number, { action: 'verify' });
    await step('worker', number, { action: 'accept', note: '内部备注 13812345678' });
    await step('worker', number, { action: 'dispatch', assigneeId: ids.gm });
    await step('gm', number, { action: 'start' });
    const { id } = await caseByNumber(number);
    const photo = await c.upload(cookies.gm as string, id, jpegWithExif());
    expect(photo.statusCode, photo.body).toBe(201);
    await step('gm', number, { action: 'handle', note: '已清理完毕', attachmentIds: [photo.json().id] });
    await step('worker', number, { action: 'close', checkResult: '现场核查已清理干净' });

    const window = q({ api_key: keys.district as string, start_date: since, end_date: t.clock.now().toISOString() });
    const x = xml(await get(`servicerequestupdates.xml?${window}`)).service_request_updates as {
      request_update: Xml[];
    };
    const mine = x.request_update.filter((u) => u.service_request_id === number);
    expect(Object.keys(mine[0] as Xml)).toEqual([
      'update_id',
      'service_request_id',
      'status',
      'updated_datetime',
      'description',
      'media_url',
      'external_status_code',
    ]);
    expect(mine.map((u) => [u.status, u.external_status_code])).toEqual([
      ['OPEN', 'verified'],
      ['OPEN', 'accepted'],
      ['ACTION_SCHEDULED', 'dispatched'],
      ['IN_PROGRESS', 'in_progress'],
      ['IN_PROGRESS', 'handled'],
      ['FIXED', 'closed'],
    ]);
    const events = await t.ctx.db
      .selectFrom('case_events')
      .select(['id', 'action'])
      .where('case_id', '=', id)
      .where('action', 'in', ['verify', 'accept', 'dispatch', 'start', 'handle', 'close'])
      .orderBy('id')
      .execute();
    expect(mine.map((u) => u.update_id)).toEqual(events.map((e) => String(e.id)));
    for (const u of mine) expect(u.updated_datetime as string).toMatch(W3C_TZ);
    // Outward notes are public; internal notes of other steps are not.
    expect(mine[4]?.description).toBe('已反馈：已清理完毕');
    expect(mine[5]?.description).toBe('已结案：现场核查已清理干净');
    expect(mine[1]?.description).toBe('已立案');

    const j = json(await get(`servicerequestupdates.json?${window}`)) as Xml[];
    expect(j.filter((u) => u.service_request_id === number).map((u) => u.status)).toEqual(mine.map((u) => u.status));
    // The request itself now reads closed, updated when it was closed.
    const req = (json(await get(`requests/${number}.json`)) as Xml[])[0] as Xml;
    expect(req).toMatchObject({
      status: 'closed',
      status_notes: '已结案：现场核查已清理干净',
      expected_datetime: null,
    });
    // Outside the window: nothing; another district's key: nothing of this case.
    const early = q({ api_key: keys.district as string, end_date: since });
    expect(
      (json(await get(`servicerequestupdates.json?${early}`)) as Xml[]).some((u) => u.service_request_id === number),
    ).toBe(false);
    const other = q({ api_key: keys.districtB as string, start_date: since });
    expect(
      (json(await get(`servicerequestupdates.json?${other}`)) as Xml[]).some((u) => u.service_request_id === number),
    ).toBe(false);
  });

  it('maps a discarded case to NO_FURTHER_ACTION and a merged one to DUPLICATE', async () => {
    const since = t.clock.now().toISOString();
    const a = await newRequest();
    const b = await newRequest();
    await step('worker', a, { action: 'discard', reason: '不属于本社区职责' });
    const target = await caseByNumber(b);
    const { id: aId } = await caseByNumber(a);
    const first = await newRequest();
    const merge = await c.inject(
      'POST',
      `/api/cases/${(await caseByNumber(first)).id}/merge`,
      cookies.worker as string,
      {
        intoId: target.id,
      },
    );
    expect(merge.statusCode, merge.body).toBe(200);
    const ups = json(
      await get(`servicerequestupdates.json?${q({ api_key: keys.district as string, start_date: since })}`),
    ) as Xml[];
    expect(ups.find((u) => u.service_request_id === a)).toMatchObject({
      status: 'NO_FURTHER_ACTION',
      description: '已作废：不属于本社区职责',
    });
    expect(ups.find((u) => u.service_request_id === first)).toMatchObject({ status: 'DUPLICATE' });
    expect(aId).toBeTruthy();
  });

  it('needs a key to read updates (403)', async () => {
    xmlErrors(await get('servicerequestupdates.xml'), 403);
    jsonErrors(await get(`servicerequestupdates.json?${q({ api_key: keys.revoked as string })}`), 403);
    jsonErrors(
      await get(
        `servicerequestupdates.json?${q({ api_key: keys.district as string, start_date: '2025-01-01T00:00:00Z', end_date: '2026-01-01T00:00:00Z' })}`,
      ),
      400,
    );
  });

  it('puts an update from outside on the case timeline as an external note, once per update_id', async () => {
    const number = await newRequest();
    const { id } = await caseByNumber(number);
    const update: Pairs = [
      ['api_key', keys.district as string],
      ['jurisdiction_id', '430602'],
      ['service_request_id', number],
      ['update_id', 'fms-update-1'],
      ['updated_datetime', '2026-03-02T09:05:00+08:00'],
      ['status', 'CLOSED'],
      ['description', '居民反馈：\r\n垃圾已经清走了'],
      ['first_name', '张三'],
      ['last_name', ''],
      ['email', 'zhangsan@example.com'],
      ['media_url', ''],
    ];
    const r = await post('servicerequestupdates.xml', update);
    expect(r.statusCode, r.body).toBe(201);
    const ru = (xml(r).service_request_updates as { request_update: Xml[] }).request_update;
    expect(ru).toHaveLength(1);
    const updateId = ru[0]?.update_id as string;
    expect(updateId).toMatch(/^\d+$/);

    const tl = await c.inject('GET', `/api/cases/${id}/timeline`, cookies.worker as string);
    const note = (tl.json().items as Xml[]).find((e) => e.action === 'open311.update') as Xml;
    expect(note).toMatchObject({
      id: updateId,
      actorId: null,
      actorName: 'Open311 · test-district',
      note: '居民反馈：\n垃圾已经清走了',
      from: 'reported',
      to: 'reported',
      details: { updateId: 'fms-update-1', status: 'CLOSED', by: '张*' },
    });
    expect(JSON.stringify(note)).not.toContain('zhangsan');
    // The state is the workflow's: an outside CLOSED does not close the case.
    expect((await caseByNumber(number)).state).toBe('reported');

    // The same update again: the same answer, no second note.
    const again = await post('servicerequestupdates.json', update);
    expect(again.statusCode).toBe(200);
    expect(json(again)).toEqual([{ update_id: updateId }]);
    const notes = await t.ctx.db
      .selectFrom('case_events')
      .select('id')
      .where('case_id', '=', id)
      .where('action', '=', 'open311.update')
      .execute();
    expect(notes).toHaveLength(1);
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select('actor_name')
      .where('action', '=', 'open311.update.receive')
      .where('object_id', '=', id)
      .execute();
    expect(audit).toEqual([{ actor_name: 'open311:test-district' }]);
    // External notes are not echoed back as updates.
    const ups = json(await get(`servicerequestupdates.json?${q({ api_key: keys.district as string })}`)) as Xml[];
    expect(ups.some((u) => u.update_id === updateId)).toBe(false);
  });

  it('refuses an update without update_id or with a bad status (400), for an unknown or foreign request (404), without a key (403)', async () => {
    const number = await newRequest();
    const base: Pairs = [
      ['api_key', keys.district as string],
      ['service_request_id', number],
      ['update_id', `u-${randomUUID()}`],
      ['status', 'OPEN'],
      ['description', '补充说明'],
    ];
    const without = (k: string) => base.filter(([x]) => x !== k);
    jsonErrors(await post('servicerequestupdates.json', without('update_id')), 400);
    xmlErrors(await post('servicerequestupdates.xml', without('service_request_id')), 400);
    jsonErrors(await post('servicerequestupdates.json', [...without('status'), ['status', 'MAYBE']]), 400);
    jsonErrors(
      await post('servicerequestupdates.json', [...without('service_request_id'), ['service_request_id', 'x-1']]),
      404,
    );
    const foreign = base.map(([k, v]) => [k, k === 'api_key' ? (keys.districtB as string) : v]) as Pairs;
    xmlErrors(await post('servicerequestupdates.xml', foreign), 404);
    xmlErrors(await post('servicerequestupdates.xml', without('api_key')), 403);
    // Lower-case statuses and FixMyStreet's older update_id_ext are understood.
    const fms = [
      ...without('update_id').filter(([k]) => k !== 'status'),
      ['update_id_ext', 'ext-9'],
      ['status', 'in_progress'],
    ];
    expect((await post('servicerequestupdates.json', fms as Pairs)).statusCode).toBe(201);
  });
});

describe('API keys', () => {
  it('are issued, listed and revoked by the system administrator over HTTP, audited; others may not', async () => {
    // Administrators sign in with a second factor (and time out sooner: sign in here).
    cookies.sysadmin = (await t.loginWithTotp('sysadmin')).cookie;
    const created = await c.inject('POST', '/api/open311/keys', cookies.sysadmin as string, {
      name: 'FixMyStreet 岳阳',
      jurisdictionCode: '430602',
    });
    expect(created.statusCode, created.body).toBe(201);
    const { key, apiKey } = created.json();
    expect(key).toMatch(/^jy311_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({ name: 'FixMyStreet 岳阳', jurisdictionCode: '430602', revokedAt: null });
    // Only the hash is stored.
    const row = await t.ctx.db.selectFrom('api_keys').selectAll().where('id', '=', apiKey.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(key.slice(6));
    expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect((await post('requests.json', garbageReport(key))).statusCode).toBe(201);
    const list = await c.inject('GET', '/api/open311/keys', cookies.sysadmin as string);
    expect(list.json().items.some((k: { id: string }) => k.id === apiKey.id)).toBe(true);
    expect(JSON.stringify(list.json())).not.toContain(key);
    const revoked = await c.inject('POST', `/api/open311/keys/${apiKey.id}/revoke`, cookies.sysadmin as string, {});
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json().revokedAt).not.toBeNull();
    xmlErrors(await post('requests.xml', garbageReport(key)), 403);
    const actions = await t.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('object_id', '=', apiKey.id)
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['open311.key.create', 'open311.key.revoke']);
    expect(
      (await c.inject('POST', '/api/open311/keys', cookies.worker as string, { name: 'x', jurisdictionCode: '430602' }))
        .statusCode,
    ).toBe(403);
  });
});

describe('XML safety', () => {
  it('escapes markup and drops characters XML cannot carry', async () => {
    const number = await newRequest(keys.district as string, [['description', 'a <b>&amp; "c" \'d\' \u0001 ]]> 🚮']]);
    const r = await get(`requests/${number}.xml`);
    const one = (xml(r).service_requests as { request: Xml[] }).request[0] as Xml;
    expect(one.description).toBe('a <b>&amp; "c" \'d\'  ]]> 🚮');
  });
});
