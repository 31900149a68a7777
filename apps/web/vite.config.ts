import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const contractsDir = fileURLToPath(new URL('../../packages/contracts/', import.meta.url));

type AstNode = { type: string; start: number; end: number; [k: string]: unknown };
const isNode = (v: unknown): v is AstNode =>
  typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';

type Edit = { start: number; end: number; text: string };

/**
 * Edits that make the module's declarative part (outside function bodies) side-effect free for the tree-shaker:
 * - every call/new expression gets a pure annotation;
 * - every object literal with a spread (`{ a, ...flags }`, as schemas share fields) becomes a pure-annotated
 *   `Object.assign({}, { a }, flags, {})`: a spread may run getters, so an unused schema's spread would otherwise be
 *   kept, and with it the fields it spreads, and all of zod.
 */
function declarativeEdits(node: AstNode, out: Edit[]) {
  if (/Function/.test(node.type)) return;
  if (node.type === 'CallExpression' || node.type === 'NewExpression')
    out.push({ start: node.start, end: node.start, text: '/* @__PURE__ */ ' });
  if (node.type === 'ObjectExpression') {
    const props = (node.properties as AstNode[]) ?? [];
    if (props.some((p) => p.type === 'SpreadElement')) {
      out.push({ start: node.start, end: node.start, text: '/* @__PURE__ */ Object.assign({}, ' });
      props.forEach((p, i) => {
        if (p.type !== 'SpreadElement') return;
        const arg = p.argument as AstNode;
        const next = props[i + 1];
        out.push({ start: p.start, end: arg.start, text: '}, ' });
        // up to the next property (dropping the comma between), or to the closing brace
        out.push({ start: p.end, end: next ? next.start : node.end - 1, text: ', {' });
      });
      out.push({ start: node.end, end: node.end, text: ')' });
    }
  }
  for (const v of Object.values(node)) {
    if (Array.isArray(v)) for (const c of v) isNode(c) && declarativeEdits(c, out);
    else if (isNode(v)) declarativeEdits(v, out);
  }
}

/**
 * @jiayuan/contracts is plain TS source whose modules build zod schemas at top level. The web app needs only its label
 * tables, constants and types, so annotate the module-level calls as pure and the modules as side-effect free: unused
 * schemas, and with them all of zod, are then tree-shaken out of the bundle; the registry's validators (ID numbers, phones)
 * come without zod into the lazy chunks of the pages that use them. (Runs after the TS transform.)
 */
const contractsArePure = (): Plugin => ({
  name: 'jiayuan:contracts-pure',
  transform(code, id) {
    if (!id.startsWith(contractsDir)) return null;
    const edits: Edit[] = [];
    declarativeEdits(this.parse(code) as unknown as AstNode, edits);
    // Last first, so earlier offsets stay valid; at one offset, a replacement ending there before an insertion.
    edits.sort((a, b) => b.start - a.start || b.end - a.end);
    let out = code;
    for (const e of edits) out = `${out.slice(0, e.start)}${e.text}${out.slice(e.end)}`;
    return { code: out, map: null, moduleSideEffects: false };
  },
});

export default defineConfig({
  root,
  plugins: [contractsArePure(), react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // React and the router change rarely: their own long-cached chunk. The rest splits automatically so that
          // lazy pages' heavy components (Table, Tree, DatePicker) stay out of the first load.
          groups: [{ name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/ }],
        },
      },
    },
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  preview: {
    host: '127.0.0.1',
    port: 4173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
});
