// Light or dark: the OS's choice, put on <html data-theme> where app.css reads it. One attribute
// rather than a media query in each stylesheet, so charts and the end-to-end test's check of both
// themes see the same switch.

export type Theme = 'light' | 'dark';

/** The event on window when the theme changes: charts draw again in its colours. */
export const THEME_EVENT = 'reprise-theme';

/** Sets the theme shown. */
export function setTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  if (root.dataset.theme === theme) return;
  root.dataset.theme = theme;
  window.dispatchEvent(new Event(THEME_EVENT));
}

/** The theme shown now. */
export function currentTheme(root: HTMLElement = document.documentElement): Theme {
  return root.dataset.theme === 'dark' ? 'dark' : 'light';
}

/** Follows the OS setting; answers how to stop. */
export function followSystemTheme(): () => void {
  const media = typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  const apply = () => setTheme(media?.matches ? 'dark' : 'light');
  apply();
  media?.addEventListener('change', apply);
  return () => media?.removeEventListener('change', apply);
}
