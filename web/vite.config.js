// The browser UI: one page per role (console, dashboard, admin, rating tablet)
// and the citizen's phone app (m: /m/ and /t/{key}),
// built into dist/ and served by `queue-server --web web/dist`.
import { defineConfig } from 'vite';
import { resolve } from 'node:path';

const page = (name) => resolve(import.meta.dirname, name, 'index.html');

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      input: { home: resolve(import.meta.dirname, 'index.html'), console: page('console'), dashboard: page('dashboard'),
               admin: page('admin'), rating: page('rating'), m: page('m') },
    },
  },
});
