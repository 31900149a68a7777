import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const contractsDir = fileURLToPath(new URL('../../packages/contracts/', import.meta.url));

type AstNode = { type: string; start: number; end: number; [k: string]: unknown };
const isNode = (v: unknown): v is AstNode =>
  typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';

/** Start offsets of every call/new expression outside function bodies (the module's declarative part). */
function topLevelCallStarts(node: AstNode, out: Set<number>) {
  if (/Function/.test(node.type)) return;
  if (node.type === 'CallExpression' || node.type === 'NewExpression') out.add(node.start);
  for (const v of Object.values(node)) {
    if (Array.isArray(v)) for (const c of v) isNode(c) && topLevelCallStarts(c, out);
    else if (isNode(v)) topLevelCallStarts(v, out);
  }
}

/**
 * @jiayuan/contracts is plain TS source whose modules build zod schemas at top level. The web app needs only its label
 * tables, constants and types, so annotate the module-level calls as pure and the modules as side-effect free: unused
 * schemas, and with them all of zod, are then tree-shaken out of the bundle. (Runs after the TS transform.)
 */
const contractsArePure = (): Plugin => ({
  name: 'jiayuan:contracts-pure',
  transform(code, id) {
    if (!id.startsWith(contractsDir)) return null;
    const starts = new Set<number>();
    topLevelCallStarts(this.parse(code) as unknown as AstNode, starts);
    let out = code;
    for (const at of [...starts].sort((a, b) => b - a)) out = `${out.slice(0, at)}/* @__PURE__ */ ${out.slice(at)}`;
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
