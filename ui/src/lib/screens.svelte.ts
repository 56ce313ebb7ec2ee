// The screens beyond Today, loaded on demand: the start needs only Today's code, so WebKit
// parses a third of the script before the first counts show. App asks for them all once the
// counts are on screen, so none is missing by the time the learner opens it.

export const SCREENS = {
  review: () => import('../screens/review/Review.svelte'),
  library: () => import('../screens/Library.svelte'),
  term: () => import('../screens/Term.svelte'),
  lesson: () => import('../screens/Lesson.svelte'),
  browse: () => import('../screens/browse/Browse.svelte'),
  stats: () => import('../screens/stats/Stats.svelte'),
  packs: () => import('../screens/packs/Packs.svelte'),
  settings: () => import('../screens/settings/Settings.svelte'),
  // Not a route: the note editor, opened over any screen.
  editor: () => import('../screens/editor/NoteEditor.svelte'),
};

export type ScreenName = keyof typeof SCREENS;

/** Each screen's component, with its props' types. */
export type Screens = { [K in ScreenName]: Awaited<ReturnType<(typeof SCREENS)[K]>>['default'] };

export function isLazyScreen(name: string): name is ScreenName {
  return name in SCREENS;
}

/** The screens loaded so far, filled in as their modules arrive. */
export class ScreenLoader {
  loaded = $state<Partial<Screens>>({});
  #pending = new Map<ScreenName, Promise<void>>();
  #onError: (err: unknown) => void;

  constructor(onError: (err: unknown) => void) {
    this.#onError = onError;
  }

  /** Loads `name` unless it is loaded or on its way; resolves once it is there. */
  need(name: ScreenName): Promise<void> {
    let pending = this.#pending.get(name);
    if (!pending) {
      pending = SCREENS[name]().then(
        (module) => {
          this.loaded = { ...this.loaded, [name]: module.default };
        },
        (err) => {
          this.#pending.delete(name);
          this.#onError(err);
        },
      );
      this.#pending.set(name, pending);
    }
    return pending;
  }

  /** Every screen, one after the other, so the start is not slowed. */
  async all(): Promise<void> {
    for (const name of Object.keys(SCREENS) as ScreenName[]) await this.need(name);
  }
}
