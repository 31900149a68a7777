import { describe, expect, it } from 'vitest';
import { BadImageError, sanitise, sniffMime, stripJpegMetadata, stripPngMetadata } from './attachments.ts';
import { jpegWithExif } from './cases.test-helpers.ts';
import { signWebhook, verifyWebhookSignature } from './notifications/outbox.ts';

function pngChunk(type: string, data: Buffer) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
}
const png = (...chunks: Buffer[]) =>
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ...chunks]);

describe('uploads by content', () => {
  it('recognises JPEG, PNG and PDF by their magic bytes only', () => {
    expect(sniffMime(jpegWithExif())).toBe('image/jpeg');
    expect(sniffMime(png(pngChunk('IEND', Buffer.alloc(0))))).toBe('image/png');
    expect(sniffMime(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffMime(Buffer.from('GIF89a'))).toBeNull();
    expect(sniffMime(Buffer.from('<svg onload=alert(1)>'))).toBeNull();
    expect(sniffMime(Buffer.alloc(0))).toBeNull();
  });

  it('removes the EXIF (APP1) segment of a JPEG and keeps the rest byte for byte', () => {
    const src = jpegWithExif();
    const out = stripJpegMetadata(src);
    expect(out.includes(Buffer.from('GPSLatitude'))).toBe(false);
    expect(out.includes(Buffer.from('JFIF'))).toBe(true);
    expect(src.length - out.length).toBe(4 + 'Exif\0\0GPSLatitude=29.37;GPSLongitude=113.09'.length);
    expect(stripJpegMetadata(out)).toEqual(out);
    expect(() => stripJpegMetadata(Buffer.from([0xff, 0xd8, 0x00]))).toThrow(BadImageError);
    expect(() => stripJpegMetadata(Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff]))).toThrow(BadImageError);
  });

  it('removes eXIf and text chunks from a PNG', () => {
    const src = png(
      pngChunk('IHDR', Buffer.alloc(13)),
      pngChunk('eXIf', Buffer.from('GPS')),
      pngChunk('tEXt', Buffer.from('Comment\0home')),
      pngChunk('IDAT', Buffer.from([1, 2, 3])),
      pngChunk('IEND', Buffer.alloc(0)),
    );
    const out = stripPngMetadata(src);
    expect(out.includes(Buffer.from('eXIf'))).toBe(false);
    expect(out.includes(Buffer.from('tEXt'))).toBe(false);
    expect(out.includes(Buffer.from('IDAT'))).toBe(true);
    expect(sanitise(Buffer.from('%PDF-1.4'), 'application/pdf')).toEqual(Buffer.from('%PDF-1.4'));
  });

  it('signs webhooks with HMAC-SHA256 over timestamp and body', () => {
    const header = signWebhook('s'.repeat(32), 1_700_000_000, '{"a":1}');
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature('s'.repeat(32), header, '{"a":1}', 300, 1_700_000_100)).toBe(true);
    expect(verifyWebhookSignature('s'.repeat(32), header, '{"a":2}', 300, 1_700_000_100)).toBe(false);
    expect(verifyWebhookSignature('t'.repeat(32), header, '{"a":1}', 300, 1_700_000_100)).toBe(false);
    expect(verifyWebhookSignature('s'.repeat(32), header, '{"a":1}', 300, 1_700_001_000)).toBe(false);
  });
});
