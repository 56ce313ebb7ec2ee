// The settings as stored: read when a screen needs them, changed through here, and read again
// when the collection says they changed.
import { getContext, setContext } from 'svelte';
import * as api from '../api';
import type { Changes, SettingsPatch } from '../api';
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

  /** Changes the settings in `patch` (text the core reads and checks, failing with `invalid`
   *  and the setting at fault), then reads back what it stored; answers how many review cards
   *  it rescheduled. */
  async save(patch: SettingsPatch): Promise<number> {
    const rescheduled = await api.updateSettings(patch);
    // The core read the text: its settings, not the form's, are the stored ones. A read begun
    // before the save is superseded by this one, so it cannot bring the old settings back.
    try {
      await this.load();
    } catch (err) {
      // Saved all the same: say why the settings shown may be out of date.
      this.#onError(err);
    }
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
