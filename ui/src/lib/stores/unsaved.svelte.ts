// Work a screen holds that is not stored yet (the settings form's edits). Leaving the screen
// asks first: App checks here before any navigation and offers Save, Discard or Keep editing.
import { getContext, setContext } from 'svelte';

export type HeldWork = {
  /** What is unsaved, as a sentence: "Your changes to the settings are not saved yet." */
  what: string;
  /** What the learner is asked, when not "Save them before leaving, or discard them?". */
  question?: string;
  /** Stores the work; answers false when it could not (the form shows why). */
  save: () => Promise<boolean>;
  /** Drops the edits. */
  discard: () => void;
};

export class UnsavedWork {
  /** The work held now, or null when everything shown is stored. */
  held = $state.raw<HeldWork | null>(null);
  /** A navigation waiting on the learner's answer, or null. */
  pending = $state.raw<(() => void) | null>(null);
  /** Every work held, the latest last: the note editor, opened over the settings with their
   *  edits, holds its own work above theirs, and theirs is held again once it closes. */
  #stack: HeldWork[] = [];

  /** A screen holds `work` until it calls the answer (saved, discarded, or the screen closed). */
  hold(work: HeldWork): () => void {
    this.#stack = [...this.#stack, work];
    this.held = work;
    return () => this.#drop(work);
  }

  #drop(work: HeldWork) {
    this.#stack = this.#stack.filter((w) => w !== work);
    this.held = this.#stack[this.#stack.length - 1] ?? null;
  }

  /** Runs `leave` at once when nothing is held; otherwise keeps it until the learner answers. */
  leave(leave: () => void): void {
    if (this.held === null) leave();
    else this.pending = leave;
  }

  /** The learner's answer to the question. */
  async answer(choice: 'save' | 'discard' | 'stay'): Promise<void> {
    const leave = this.pending;
    const work = this.held;
    if (choice === 'stay' || leave === null || work === null) {
      this.pending = null;
      return;
    }
    // The question closes first: a refusal then focuses the field at fault, outside it.
    this.pending = null;
    if (choice === 'save' && !(await work.save())) return; // the form says why
    if (choice === 'discard') work.discard();
    this.#drop(work);
    leave();
  }
}

const KEY = Symbol('unsaved');

/** Makes the app's unsaved-work guard, for App and the screens under it. */
export function provideUnsaved(): UnsavedWork {
  const store = new UnsavedWork();
  setContext(KEY, store);
  return store;
}

/** The guard App made; a screen outside App (a component test) gets one of its own. */
export function useUnsaved(): UnsavedWork {
  return getContext<UnsavedWork | undefined>(KEY) ?? new UnsavedWork();
}
