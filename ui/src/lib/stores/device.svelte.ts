// This device's preferences (zoom, daily reminder): read once at start, changed through here.
// The backend checks and applies them; the zoom steps use the core's range and step.
import { getContext, setContext } from 'svelte';
import * as api from '../api';
import { MAX_ZOOM, MIN_ZOOM, ZOOM_STEP, type DevicePrefs } from '../bindings';

/** `zoom` moved `steps` steps, kept in range, rounded to whole steps (no 1.2000000000000002). */
export function zoomBy(zoom: number, steps: number): number {
  const next = Math.round((zoom + steps * ZOOM_STEP) / ZOOM_STEP) * ZOOM_STEP;
  return Number(Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, next)).toFixed(2));
}

export class DeviceStore {
  prefs = $state.raw<DevicePrefs | null>(null);
  #onError: (err: unknown) => void;

  constructor(onError: (err: unknown) => void) {
    this.#onError = onError;
  }

  async load(): Promise<void> {
    try {
      this.prefs = await api.getDevicePrefs();
    } catch (err) {
      this.#onError(err);
    }
  }

  /** Saves `change` over the preferences; a refusal is thrown to the caller (a form shows it). */
  async set(change: Partial<DevicePrefs>): Promise<void> {
    const base = this.prefs ?? (await api.getDevicePrefs());
    this.prefs = await api.setDevicePrefs({ ...base, ...change });
  }

  /** Ctrl+=, Ctrl+- and Ctrl+0. */
  zoom(steps: number | 'reset'): void {
    const current = this.prefs?.zoom ?? 1;
    const zoom = steps === 'reset' ? 1 : zoomBy(current, steps);
    if (zoom !== current) this.set({ zoom }).catch(this.#onError);
  }
}

const KEY = Symbol('device');

export function provideDevice(onError: (err: unknown) => void): DeviceStore {
  return setContext(KEY, new DeviceStore(onError));
}

export function useDevice(): DeviceStore {
  const store = getContext<DeviceStore | undefined>(KEY);
  if (!store) throw new Error('useDevice() outside App: no device store');
  return store;
}
