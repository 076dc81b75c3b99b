/// <reference types="vitest/config" />
import * as path from 'node:path';
import { defineConfig } from 'vite';

// The console (docs/architecture.md): built into dist/web, which the API serves at `/`. JSX goes through Vite 8's
// own transform (oxc, automatic runtime): @vitejs/plugin-react's optional Babel peer conflicts with jest's Babel 7
// in the one lock file, and fast refresh is all it would add.
export default defineConfig({
  root: __dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: path.resolve(__dirname, '../../dist/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    rolldownOptions: {
      // antd's "use client" markers mean nothing outside React Server Components
      onLog(level, log, handler) {
        if (log.code !== 'MODULE_LEVEL_DIRECTIVE') handler(level, log);
      },
    },
  },
  server: { proxy: { '/v1': 'http://127.0.0.1:3000', '/health': 'http://127.0.0.1:3000' } },
  test: { environment: 'happy-dom', include: ['src/**/*.test.ts', 'src/**/*.test.tsx'] },
});
