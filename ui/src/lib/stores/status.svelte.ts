// Today's counts and the backlog after missed days, read from the backend and kept current:
// App refreshes them on start, on focus, every minute on Today and when the collection changes.
import { getContext, setContext } from 'svelte';
import * as api from '../api';
import type { Changes } from '../api';
import type { Backlog, Status } from '../bindings';

export class StatusStore {
  status = $state.raw<Status | null>(null);
  backlog = $state.raw<Backlog | null>(null);
  /** True while a refresh is in flight. */
  loading = $state(false);
  #onError: (err: unknown) => void;
  // Refreshes can overlap (focus, a change, the timer): only the newest one's answer is kept.
  #latest = 0;

  constructor(onError: (err: unknown) => void) {
    this.#onError = onError;
  }

  /** Reads the counts and the backlog again; a failure goes to the error handler. They are
   *  shown once `ready` settles too (at start, the clock their dates are worded by). */
  async refresh(ready: Promise<unknown> = Promise.resolve()): Promise<void> {
    const ticket = ++this.#latest;
    this.loading = true;
    try {
      const [status, backlog] = await Promise.all([api.getStatus(), api.getBacklog()]);
      await ready;
      if (ticket === this.#latest) {
        this.status = status;
        this.backlog = backlog;
      }
    } catch (err) {
      this.#onError(err);
    } finally {
      if (ticket === this.#latest) this.loading = false;
    }
  }

  /** Whether a change to the collection can change the counts or the backlog. */
  static affectedBy(changes: Changes): boolean {
    return changes.cards || changes.revlog || changes.settings || changes.packs;
  }

  /** Told what a write changed: refreshes when that can change the counts or the backlog. */
  changed(changes: Changes): void {
    if (StatusStore.affectedBy(changes)) void this.refresh();
  }
}

const KEY = Symbol('status');

/** Makes the app's status store, for App and the screens under it. */
export function provideStatus(onError: (err: unknown) => void): StatusStore {
  return setContext(KEY, new StatusStore(onError));
}

/** The status store App provides. */
export function useStatus(): StatusStore {
  const store = getContext<StatusStore | undefined>(KEY);
  if (!store) throw new Error('useStatus() outside App: no status store');
  return store;
}
