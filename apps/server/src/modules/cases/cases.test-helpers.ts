import { randomUUID } from 'node:crypto';
import type { TestApp } from '../../../test/app.ts';
import { createJobRunner } from '../../jobs/runner.ts';
import { caseJobs } from './index.ts';

/** Helpers shared by the cases integration tests (not a test file itself). */
export function caseClient(t: TestApp) {
  const inject = (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    url: string,
    cookie: string,
    payload?: unknown,
    headers = {},
  ) =>
    t.app.inject({
      method,
      url,
      headers: { cookie, ...headers },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
  const categoryId = async (code: string) => {
    const r = await t.ctx.db
      .selectFrom('case_categories')
      .select('id')
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    return r.id;
  };
  const report = async (cookie: string, body: Record<string, unknown>, key: string = randomUUID()) =>
    inject('POST', '/api/cases', cookie, body, { 'idempotency-key': key });
  const move = (cookie: string, id: string, body: Record<string, unknown>) =>
    inject('POST', `/api/cases/${id}/transitions`, cookie, body);
  const upload = (cookie: string, id: string, data: Buffer, filename = 'photo.jpg', type = 'image/jpeg') => {
    const boundary = `----jy${randomUUID().replaceAll('-', '')}`;
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    return t.app.inject({
      method: 'POST',
      url: `/api/cases/${id}/attachments`,
      headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat([head, data, tail]),
    });
  };
  const runner = createJobRunner({
    db: t.database.db,
    clock: t.clock,
    keyring: t.ctx.keyring,
    jobs: caseJobs(),
  });
  /** Runs the deadline job and relays the outbox, as the background runner would. */
  const runJobs = () => runner.drain();
  return { inject, categoryId, report, move, upload, runJobs, runner };
}

/** A small JPEG-shaped file: SOI, an APP1 EXIF segment with GPS data, an APP0, a tiny SOS payload, EOI. */
export function jpegWithExif(): Buffer {
  const exifBody = Buffer.concat([
    Buffer.from('Exif\0\0', 'latin1'),
    Buffer.from('GPSLatitude=29.37;GPSLongitude=113.09', 'latin1'),
  ]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1]), u16(exifBody.length + 2), exifBody]);
  const jfif = Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1');
  const app0 = Buffer.concat([Buffer.from([0xff, 0xe0]), u16(jfif.length + 2), jfif]);
  const sosHeader = Buffer.from([0x01, 0x01, 0x00, 0x00, 0x3f, 0x00]);
  const sos = Buffer.concat([Buffer.from([0xff, 0xda]), u16(sosHeader.length + 2), sosHeader]);
  const scan = Buffer.from([0x12, 0x34, 0xff, 0x00, 0x56]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app1, app0, sos, scan, Buffer.from([0xff, 0xd9])]);
}

function u16(n: number) {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}
