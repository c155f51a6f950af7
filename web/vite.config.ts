// The page is served by the gateway under a strict Content-Security-Policy (no inline
// script or style): Vite must emit only external files, with no inline module-preload
// polyfill, and nothing that loads from elsewhere.
import { defineConfig } from "vite";

export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    target: "es2022",
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    sourcemap: false,
    reportCompressedSize: true,
    // The chat page, and a page that measures MLS costs in the browser (served at /bench.html).
    rollupOptions: { input: { main: "index.html", bench: "bench.html" } },
  },
});
