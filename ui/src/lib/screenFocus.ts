// Where focus goes when a screen opens: its heading, so a screen reader announces the screen and
// keys act on it rather than on the button that led there (Enter on a focused menu button would
// open that menu's screen again). A screen that focused something itself (the library's search)
// keeps it; a screen still loading has no heading yet: then the main area.

/** Focuses the screen's `h1` (made focusable by script only), else `main`; leaves a focus the
 *  screen chose. */
export function focusScreen(root: Document = document): void {
  const main = root.querySelector<HTMLElement>('main');
  if (!main) return;
  const active = root.activeElement;
  if (active instanceof HTMLElement && active !== main && main.contains(active) && !active.closest('nav')) return;
  const heading = main.querySelector<HTMLElement>('h1');
  if (heading && !heading.hasAttribute('tabindex')) heading.tabIndex = -1;
  (heading ?? main).focus({ preventScroll: true });
}
