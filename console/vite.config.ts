import { defineConfig } from 'vite';

// Served by the api-gateway at /console/ from the jar's META-INF/resources/console/.
export default defineConfig({
  base: '/console/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'target/classes/META-INF/resources/console',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    // no inline scripts or data: modules: the page runs under script-src 'self'
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
