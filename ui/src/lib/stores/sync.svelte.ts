// Sync between devices as the backend tells it: where and with whom the collection syncs, and
// what the background sync is doing. Read when a screen shows it (Settings → Sync, the review's
// mark); App passes on the sync-activity event and, while sync is on, every change to the
// collection (a change waits to be sent; an ingested one changes the devices seen).
import { getContext, setContext } from 'svelte';
import * as api from '../api';
import type { SyncActivity, SyncStatus } from '../bindings';

/** What the review's mark says, or null when sync is off (or not read yet). */
export type SyncMark =
  | { state: 'syncing' }
  | { state: 'failed'; error: string }
  | { state: 'waiting'; pending: number }
  | { state: 'synced' };

export class SyncStore {
  /** Where and with whom the collection syncs; null until first read. */
  status = $state.raw<SyncStatus | null>(null);
  /** What the background sync is doing; null until first read or heard. */
  activity = $state.raw<SyncActivity | null>(null);
  #onError: (err: unknown) => void;
  // Refreshes can overlap (an event, a change, a screen opening): only the newest one's answer
  // is kept, and an activity heard after a refresh began is newer than the one it reads.
  #latest = 0;
  #heard = 0;

  constructor(onError: (err: unknown) => void) {
    this.#onError = onError;
  }

  /** Whether sync is on, as last read. */
  get on(): boolean {
    return this.status?.target != null;
  }

  /** Reads the status and the activity again; a failure goes to the error handler. */
  async refresh(): Promise<void> {
    const ticket = ++this.#latest;
    const heard = this.#heard;
    try {
      const [status, activity] = await Promise.all([api.getSyncStatus(), api.getSyncActivity()]);
      if (ticket === this.#latest) this.status = status;
      if (heard === this.#heard) this.activity = activity;
    } catch (err) {
      this.#onError(err);
    }
  }

  /** Reads the status again (what waits, the last sync, the devices seen). */
  async refreshStatus(): Promise<void> {
    const ticket = ++this.#latest;
    try {
      const status = await api.getSyncStatus();
      if (ticket === this.#latest) this.status = status;
    } catch (err) {
      this.#onError(err);
    }
  }

  /** A status the backend answered otherwise (turning sync on answers it): newer than any read
   *  in flight. */
  set(status: SyncStatus): void {
    this.#latest++;
    this.status = status;
  }

  /** Told what the background sync is doing (the sync-activity event). A sync that ended sent
   *  what was waiting and met the other devices: the status is read again. */
  heard(activity: SyncActivity): void {
    this.#heard++;
    this.activity = activity;
    if (!activity.running && this.status !== null) void this.refreshStatus();
  }

  /** Told the collection changed: while sync is on, a change waits to be sent (or came in). */
  changed(): void {
    if (this.on) void this.refreshStatus();
  }

  /** What the review's mark says: syncing, failed, changes waiting, or synced; null when off. */
  get mark(): SyncMark | null {
    if (!this.on || !this.status) return null;
    if (this.activity?.running) return { state: 'syncing' };
    if (this.activity?.error) return { state: 'failed', error: this.activity.error };
    if (this.status.pending > 0) return { state: 'waiting', pending: this.status.pending };
    return { state: 'synced' };
  }
}

const KEY = Symbol('sync');

/** Makes the app's sync store, for App and the screens under it. */
export function provideSync(onError: (err: unknown) => void): SyncStore {
  return setContext(KEY, new SyncStore(onError));
}

/** The sync store App provides. */
export function useSync(): SyncStore {
  const store = getContext<SyncStore | undefined>(KEY);
  if (!store) throw new Error('useSync() outside App: no sync store');
  return store;
}
