// The settings as stored: read when a screen needs them, saved through here, and read again when
// the collection says they changed.
import { getContext, setContext } from 'svelte';
import * as api from '../api';
import type { Changes } from '../api';
import type { Settings } from '../bindings';

export class SettingsStore {
  /** The stored settings; null until first read. */
  settings = $state<Settings | null>(null);
  #onError: (err: unknown) => void;
  #latest = 0;

  constructor(onError: (err: unknown) => void) {
    this.#onError = onError;
  }

  /** Reads the settings from the backend (always afresh); fails as the backend does. */
  async load(): Promise<Settings> {
    const ticket = ++this.#latest;
    const settings = await api.getSettings();
    if (ticket === this.#latest) this.settings = settings;
    return settings;
  }

  /** Stores `next` (the backend checks it, failing with `invalid`); answers how many review
   *  cards it rescheduled. */
  async save(next: Settings): Promise<number> {
    const rescheduled = await api.setSettings(next);
    // A read begun before the save must not bring the old settings back.
    this.#latest += 1;
    this.settings = next;
    return rescheduled;
  }

  /** Told what a write changed: reads the settings again if they changed and were read before. */
  changed(changes: Changes): void {
    if (changes.settings && this.settings !== null) this.load().catch(this.#onError);
  }
}

const KEY = Symbol('settings');

/** Makes the app's settings store, for App and the screens under it. */
export function provideSettings(onError: (err: unknown) => void): SettingsStore {
  return setContext(KEY, new SettingsStore(onError));
}

/** The settings store App provides. */
export function useSettings(): SettingsStore {
  const store = getContext<SettingsStore | undefined>(KEY);
  if (!store) throw new Error('useSettings() outside App: no settings store');
  return store;
}
