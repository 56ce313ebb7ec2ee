import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig(({ mode }) => ({
  // Component <style> blocks are emitted into the CSS bundle (plugin default),
  // never inlined, so the strict CSP (style-src 'self') holds.
  plugins: [svelte()],
  // Keep the Tauri CLI's output visible when it runs `npm run dev`.
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  // Tauri on Linux renders with WebKitGTK; don't emit syntax it may lack.
  build: { target: 'safari15' },
  // Under Vitest, resolve Svelte's browser build so components mount in jsdom.
  resolve: mode === 'test' ? { conditions: ['browser'] } : undefined,
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/test/setup.ts'],
  },
}));
