import { cleanup } from '@testing-library/svelte';
import { clearMocks } from '@tauri-apps/api/mocks';
import { afterEach } from 'vitest';

// Vitest globals are off, so unmount components and drop the IPC mock ourselves.
afterEach(() => {
  cleanup();
  clearMocks();
});
