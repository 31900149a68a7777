/**
 * Uploaded files (SECURITY.md IN-5): the type comes from the content's magic bytes, never from the client's name or
 * header; JPEG metadata (APP1 = EXIF with GPS, and XMP; APP13 = IPTC) and PNG text/EXIF chunks are removed before the
 * file is stored. Pure functions on buffers.
 */
export type AllowedMime = 'image/jpeg' | 'image/png' | 'application/pdf';
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

const PNG_SIG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function sniffMime(buf: Buffer): AllowedMime | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  if (buf.length >= 8 && buf.subarray(0, 8).equals(PNG_SIG)) return 'image/png';
  if (buf.length >= 5 && buf.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  return null;
}

export class BadImageError extends Error {}

/**
 * Copies a JPEG without its APP1 (EXIF/XMP) and APP13 (IPTC) segments. Segments are walked up to the start of scan
 * (SOS); the entropy-coded data after it is copied as it is.
 */
export function stripJpegMetadata(buf: Buffer): Buffer {
  if (!(buf[0] === 0xff && buf[1] === 0xd8)) throw new BadImageError('not a JPEG');
  const out: Buffer[] = [buf.subarray(0, 2)];
  let i = 2;
  while (i < buf.length) {
    if (buf[i] !== 0xff) throw new BadImageError('bad marker');
    // Fill bytes (0xFF repeated) may precede a marker.
    let j = i;
    while (j < buf.length && buf[j] === 0xff) j++;
    const marker = buf[j];
    if (marker === undefined) throw new BadImageError('truncated');
    const at = j - 1;
    // Markers without a length: TEM and RSTn (and a stray SOI).
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      out.push(buf.subarray(at, j + 1));
      i = j + 1;
      continue;
    }
    if (marker === 0xd9) {
      out.push(buf.subarray(at));
      break;
    }
    if (j + 2 >= buf.length) throw new BadImageError('truncated');
    const len = buf.readUInt16BE(j + 1);
    if (len < 2 || j + 1 + len > buf.length) throw new BadImageError('bad segment length');
    const end = j + 1 + len;
    if (marker === 0xda) {
      out.push(buf.subarray(at));
      break;
    }
    if (marker !== 0xe1 && marker !== 0xed) out.push(buf.subarray(at, end));
    i = end;
  }
  return Buffer.concat(out);
}

/** Copies a PNG without eXIf, tEXt, iTXt and zTXt chunks (EXIF and free-text metadata, where GPS can hide). */
export function stripPngMetadata(buf: Buffer): Buffer {
  if (!buf.subarray(0, 8).equals(PNG_SIG)) throw new BadImageError('not a PNG');
  const drop = new Set(['eXIf', 'tEXt', 'iTXt', 'zTXt']);
  const out: Buffer[] = [buf.subarray(0, 8)];
  let i = 8;
  while (i + 12 <= buf.length) {
    const len = buf.readUInt32BE(i);
    const type = buf.subarray(i + 4, i + 8).toString('latin1');
    const end = i + 12 + len;
    if (end > buf.length) throw new BadImageError('bad chunk length');
    if (!drop.has(type)) out.push(buf.subarray(i, end));
    i = end;
    if (type === 'IEND') break;
  }
  return Buffer.concat(out);
}

/** Content as it will be stored: metadata stripped from images, PDFs kept as they are. */
export function sanitise(buf: Buffer, mime: AllowedMime): Buffer {
  if (mime === 'image/jpeg') return stripJpegMetadata(buf);
  if (mime === 'image/png') return stripPngMetadata(buf);
  return buf;
}

export const extensionFor: Record<AllowedMime, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'application/pdf': 'pdf',
};
