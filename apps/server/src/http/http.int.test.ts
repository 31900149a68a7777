import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../test/app.ts';
import { testDbKind } from '../../test/db.ts';
import { latestMigration } from '../db/migrations/index.ts';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('the HTTP surface', () => {
  it('answers health with the database kind and migration version', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'ok', database: { kind: testDbKind(), migration: latestMigration } });
    expect((await t.app.inject({ method: 'GET', url: '/api/ready' })).json()).toEqual({ ready: true });
  });

  it('serves the OpenAPI 3 document generated from the contracts', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(r.statusCode).toBe(200);
    const doc = r.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/auth/login', '/api/jurisdictions/{id}', '/api/audit']),
    );
    expect(doc.paths['/api/auth/login'].post.requestBody.content['application/json'].schema).toBeDefined();
    expect((await t.app.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBeLessThan(400);
  });

  it('gives one error shape, localised, for an unknown route', async () => {
    const zh = await t.app.inject({ method: 'GET', url: '/api/no-such-thing' });
    expect(zh.statusCode).toBe(404);
    expect(zh.json()).toEqual({
      error: { code: 'ROUTE_NOT_FOUND', message: '请求的地址不存在', requestId: expect.any(String) },
    });
    const en = await t.app.inject({
      method: 'GET',
      url: '/api/no-such-thing',
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    });
    expect(en.json().error.message).toBe('No such route');
    expect(en.headers['x-request-id']).toBe(en.json().error.requestId);
  });

  it('refuses a malformed body, unknown fields and a wrong content type cleanly', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": "a", ',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('MALFORMED_BODY');
    const extra = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'a', password: 'b', role: 'system_admin' },
    });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error.code).toBe('VALIDATION_FAILED');
    const form = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'username=a&password=b',
    });
    expect(form.statusCode).toBe(415);
    const huge = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'a', password: 'x'.repeat(2_000_000) },
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('rejects state changes from another origin', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: 'https://evil.example', host: 'localhost:8080' },
      payload: { username: 'a', password: 'b' },
    });
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe('CSRF_REJECTED');
  });

  it('sends security headers and no-store on the API', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('never writes passwords, cookies or tokens to its logs', async () => {
    await t.makeUser('logcheck', ['grid_manager'], 'gridA1');
    const cookie = await t.login('logcheck');
    await t.app.inject({
      method: 'GET',
      url: '/api/jurisdictions?parentId=00000000-0000-4000-8000-000000000000',
      headers: { cookie },
    });
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'logcheck', password: 'Secret#Wrong2026' },
    });
    const text = t.logs.join('');
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toContain('Secret#Wrong2026');
    expect(text).not.toContain('Test#Password2026');
    expect(text).not.toContain(cookie.split('=')[1] as string);
    expect(text).not.toContain('00000000-0000-4000-8000-000000000000');
  });
});
