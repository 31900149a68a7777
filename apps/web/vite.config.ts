import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const contractsDir = fileURLToPath(new URL('../../packages/contracts/', import.meta.url));

/**
 * @jiayuan/contracts is plain TS source whose modules build zod schemas at top level. The web app only needs its
 * label tables and types, so tell the bundler those modules have no side effects: unused schemas (and most of zod)
 * are then tree-shaken out of the bundle.
 */
const contractsWithoutSideEffects = (): Plugin => ({
  name: 'jiayuan:contracts-side-effect-free',
  enforce: 'pre',
  async resolveId(source, importer, options) {
    if (!importer) return null;
    const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
    if (resolved && !resolved.external && resolved.id.startsWith(contractsDir)) {
      return { ...resolved, moduleSideEffects: false };
    }
    return null;
  },
});

export default defineConfig({
  root,
  plugins: [contractsWithoutSideEffects(), react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 900,
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
