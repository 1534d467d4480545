import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// Vite 8 compiles TSX itself with oxc (no @vitejs/plugin-react: it does not install next to Vite 8 yet).
// The automatic JSX runtime means no `import React` in every file; there is no fast refresh in `vite dev`.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: resolve(import.meta.dirname, '..', '..', 'dist', 'console'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    sourcemap: true,
    rolldownOptions: {
      // antd marks its files "use client" (for React Server Components); meaningless in a single-page app.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
      output: {
        // Vendors in their own long-cached chunks: a new page does not re-download antd.
        codeSplitting: { groups: [{ name: 'antd', test: /node_modules[\\/](antd|@ant-design|rc-|@rc-component)/ }, { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|scheduler)/ }] },
      },
    },
  },
  server: {
    // `npx vite apps/console` during development: the api (npm start) answers /api, /docs and /health.
    proxy: { '/api': 'http://127.0.0.1:3000', '/health': 'http://127.0.0.1:3000', '/docs': 'http://127.0.0.1:3000' },
  },
});
