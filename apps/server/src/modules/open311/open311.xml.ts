/**
 * The two wire formats of GeoReport v2. Answers are built once as plain values and written either as JSON (lists as
 * bare arrays) or as XML with the element names of the spec: a list is a parent element repeating its item element
 * (`services/service`, `attributes/attribute`, `values/value`, `endpoints/endpoint`, `formats/format`).
 */
export type Format = 'xml' | 'json';
export const contentTypes: Record<Format, string> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

export type Value = string | number | boolean | null | undefined | Value[] | { [k: string]: Value };

/** The item element of each list field (XML only). */
const itemOf: Record<string, string> = {
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
  groups: 'group',
};

/** Characters XML 1.0 allows: tab, LF, CR, and the planes without C0 controls, surrogates, U+FFFE and U+FFFF. */
const allowed = (cp: number) =>
  cp === 0x9 ||
  cp === 0xa ||
  cp === 0xd ||
  (cp >= 0x20 && cp <= 0xd7ff) ||
  (cp >= 0xe000 && cp <= 0xfffd) ||
  (cp >= 0x10000 && cp <= 0x10ffff);

/** Drops what XML cannot carry (a lone surrogate iterates as a code point of its own, and is dropped too). */
function xmlChars(s: string): string {
  let out = '';
  for (const ch of s) if (allowed(ch.codePointAt(0) as number)) out += ch;
  return out;
}

export function escapeXml(s: string): string {
  return xmlChars(s)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;')
    .replaceAll('\r', '&#13;');
}

function element(name: string, v: Value): string {
  if (v === undefined) return '';
  if (v === null) return `<${name}></${name}>`;
  if (Array.isArray(v)) {
    const item = itemOf[name] ?? 'item';
    return `<${name}>${v.map((x) => element(item, x)).join('')}</${name}>`;
  }
  if (typeof v === 'object')
    return `<${name}>${Object.entries(v)
      .map(([k, x]) => element(k, x))
      .join('')}</${name}>`;
  return `<${name}>${escapeXml(String(v))}</${name}>`;
}

const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';

/** A list resource: `<root><item>…</item>…</root>`. */
export const xmlList = (root: string, item: string, rows: readonly Record<string, Value>[]): string =>
  `${DECLARATION}<${root}>${rows.map((r) => element(item, r)).join('')}</${root}>\n`;

/** A single resource: `<root>…fields…</root>`. */
export const xmlObject = (root: string, fields: Record<string, Value>): string =>
  `${DECLARATION}${element(root, fields)}\n`;

/** What a resource is, in both formats. */
export type Resource =
  | { kind: 'list'; root: string; item: string; rows: readonly Record<string, Value>[] }
  | { kind: 'object'; root: string; fields: Record<string, Value> };

export function render(format: Format, r: Resource): string {
  if (format === 'json') return JSON.stringify(r.kind === 'list' ? r.rows : r.fields);
  return r.kind === 'list' ? xmlList(r.root, r.item, r.rows) : xmlObject(r.root, r.fields);
}

/** `errors/error` with `code` and `description`. */
export const errorsResource = (errors: readonly { code: number; description: string }[]): Resource => ({
  kind: 'list',
  root: 'errors',
  item: 'error',
  rows: errors.map((e) => ({ code: e.code, description: e.description })),
});

/** The format named by the extension of the last path segment (`services.json`); XML, the mandatory one, otherwise. */
export function formatOfUrl(url: string): Format {
  const p = url.split('?')[0] ?? '';
  return p.toLowerCase().endsWith('.json') ? 'json' : 'xml';
}

/** Splits `dispute.neighbour.xml` into the name and the format; null when the extension is neither. */
export function splitFormat(file: string): { name: string; format: Format } | null {
  const i = file.lastIndexOf('.');
  if (i <= 0) return null;
  const ext = file.slice(i + 1).toLowerCase();
  if (ext !== 'xml' && ext !== 'json') return null;
  return { name: file.slice(0, i), format: ext };
}
