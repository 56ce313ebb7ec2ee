import { cleanup, configure } from '@testing-library/svelte';
import { clearMocks } from '@tauri-apps/api/mocks';
import { afterEach } from 'vitest';
import { setClock } from '../lib/clock';
import { forgetAll as forgetQuizzes } from '../lib/stores/quizProgress';
import { takeStrayCommands, takeUnscriptedCommands } from './scripted';

// A screen's first render loads its module: on a busy 2-core CI machine that took over the
// default 1 s (Browse, once). Failing tests still fail; they only wait longer for the page.
configure({ asyncUtilTimeout: 5000 });

// jsdom has no canvas: it answers null from getContext, as a webview without one would, but also
// reports "not implemented" on the console. Answer null quietly; charts then show only their tables.
HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext;

// Vitest globals are off, so unmount components and drop the IPC mock ourselves.
afterEach(() => {
  cleanup();
  clearMocks();
  setClock(null);
  // Each test is a fresh start of the app: no quiz left from another.
  forgetQuizzes();
  // A test fails if the page sent a command the real backend does not have (not in COMMANDS),
  // or one the test gave no reply for, even when the page coped with the error.
  const [stray, unscripted] = [takeStrayCommands(), takeUnscriptedCommands()];
  if (stray.length > 0) throw new Error(`commands not in COMMANDS were sent: ${stray.join(', ')}`);
  if (unscripted.length > 0) throw new Error(`commands with no reply scripted were sent: ${unscripted.join(', ')}`);
});
