import { cleanup } from '@testing-library/svelte';
import { clearMocks } from '@tauri-apps/api/mocks';
import { afterEach } from 'vitest';
import { setClock } from '../lib/clock';
import { takeStrayCommands } from './fakeBackend';

// jsdom has no canvas: it answers null from getContext, as a webview without one would, but also
// reports "not implemented" on the console. Answer null quietly; charts then show only their tables.
HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext;

// Vitest globals are off, so unmount components and drop the IPC mock ourselves.
afterEach(() => {
  cleanup();
  clearMocks();
  setClock(null);
  // A command sent to the fake backend that the real one does not have (not in COMMANDS) fails
  // the test, even when the page coped with the error.
  const stray = takeStrayCommands();
  if (stray.length > 0) throw new Error(`commands not in COMMANDS were sent: ${stray.join(', ')}`);
});
