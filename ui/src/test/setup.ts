import { cleanup } from '@testing-library/svelte';
import { clearMocks } from '@tauri-apps/api/mocks';
import { afterEach } from 'vitest';
import { setClock } from '../lib/clock';

// jsdom has no canvas: it answers null from getContext, as a webview without one would, but also
// reports "not implemented" on the console. Answer null quietly; charts then show only their tables.
HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext;

// Vitest globals are off, so unmount components and drop the IPC mock ourselves.
afterEach(() => {
  cleanup();
  clearMocks();
  setClock(null);
});
