// The app's keyboard shortcuts: one window keydown listener (installed by App) and a stack of
// scopes. A screen pushes a scope while it is shown; the topmost scope hears a key first and
// answers true when it took it, otherwise the key falls to the scope below. App's own scope
// (`/` to the library, Escape to step back) sits at the bottom, under every screen's.

/** Answers true when it took the key: the scopes below do not hear it. */
export type KeyHandler = (e: KeyboardEvent) => boolean;

export type KeyScopes = {
  /** Pushes a scope on top; returns how to take it off again (from wherever it is by then). */
  push: (handler: KeyHandler) => () => void;
  /** Puts a scope under every other one, for the app's global keys. */
  pushBottom: (handler: KeyHandler) => () => void;
  /** Offers `e` to the scopes from the top down; true when one took it. */
  dispatch: (e: KeyboardEvent) => boolean;
  /** Listens for keydown on `target` (the window); returns how to stop. */
  listen: (target?: Pick<Window, 'addEventListener' | 'removeEventListener'>) => () => void;
  /** How many scopes are pushed. */
  size: () => number;
};

export function createKeyScopes(): KeyScopes {
  // Bottom first. Each entry is its own object, so the same handler may be pushed twice.
  let stack: { handler: KeyHandler }[] = [];

  function add(handler: KeyHandler, bottom: boolean): () => void {
    const entry = { handler };
    stack = bottom ? [entry, ...stack] : [...stack, entry];
    return () => {
      stack = stack.filter((e) => e !== entry);
    };
  }

  function dispatch(e: KeyboardEvent): boolean {
    // A handler may push or release scopes (a screen closes): walk the stack as it was.
    const scopes = stack;
    for (let i = scopes.length - 1; i >= 0; i--) {
      if (scopes[i].handler(e)) return true;
    }
    return false;
  }

  function listen(target: Pick<Window, 'addEventListener' | 'removeEventListener'> = window): () => void {
    const onkeydown = (e: Event) => void dispatch(e as KeyboardEvent);
    target.addEventListener('keydown', onkeydown);
    return () => target.removeEventListener('keydown', onkeydown);
  }

  return {
    push: (handler) => add(handler, false),
    pushBottom: (handler) => add(handler, true),
    dispatch,
    listen,
    size: () => stack.length,
  };
}

/** The app's scopes. */
const scopes = createKeyScopes();

/** Pushes a screen's scope; call the answer when the screen goes (an `$effect`'s cleanup). */
export function pushKeyScope(handler: KeyHandler): () => void {
  return scopes.push(handler);
}

/** App's global keys, under every screen's scope. */
export function pushBaseKeyScope(handler: KeyHandler): () => void {
  return scopes.pushBottom(handler);
}

/** Installs the one window keydown listener; App calls it once. */
export function listenForKeys(): () => void {
  return scopes.listen(window);
}

/** Fields where keys type text: `/` and the like are theirs. */
export function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement;
}

/** Fields where a letter types or picks something (text, a choice list, editable content): the
 *  app's one-letter keys (`a` adds a note) leave them alone. */
export function isEditable(target: EventTarget | null): boolean {
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLElement && target.isContentEditable) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type);
}

/** Any modifier but Shift. */
export function hasModifier(e: KeyboardEvent): boolean {
  return e.ctrlKey || e.metaKey || e.altKey;
}

/** Whether Space or Enter does what the screen's main button says. Space does, wherever focus
 *  is (a review's Bury button focused by Tab must not bury card after card), but on a quiz option, which
 *  it picks. Enter does unless a button has focus: the learner moved there to press it. */
export function isConfirm(key: string, target: EventTarget | null): boolean {
  const role = target instanceof Element ? target.getAttribute('role') : null;
  const onOption = role === 'radio' || role === 'checkbox';
  if (key === ' ') return !onOption;
  if (key === 'Enter') return onOption || !(target instanceof HTMLButtonElement);
  return false;
}
