import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

// The API the dev server proxies to: `npm run dev` starts it on PORT (8080 unless set).
const api = `http://127.0.0.1:${process.env.PORT ?? '8080'}`;

export default defineConfig({
  root: import.meta.dirname,
  plugins: [
    // A service worker keeps the app's own files (page, scripts, styles) so a reload without a
    // connection still opens the app, with its unsent edits. The API is never cached by it, and
    // pages the server answers itself are left to the network.
    VitePWA({
      injectRegister: null,
      registerType: 'autoUpdate',
      manifest: false,
      workbox: {
        globPatterns: ['**/*.{js,css,html}'],
        navigateFallback: '/index.html',
        // What the server answers itself, never the app's page: the API, the health checks
        // (/health, /health/ready…), the API docs and the metrics.
        navigateFallbackDenylist: [/^\/api(\/|$)/, /^\/health/, /^\/docs(\/|$)/, /^\/metrics(\/|$)/],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The manifest lets scripts/web-budget.ts find what the first page loads.
    manifest: true,
    // The polyfill is an inline <script>; the CSP (script-src 'self') forbids inline scripts.
    modulePreload: { polyfill: false },
    // Never inline assets as data: URLs into CSS or JS; files keep the CSP simple.
    assetsInlineLimit: 0,
    rollupOptions: {
      // React Query and React Router mark modules "use client" for server components; a plain
      // browser bundle has no use for the directive, so its warning is noise.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    proxy: { '/api': api, '/health': api },
  },
});
