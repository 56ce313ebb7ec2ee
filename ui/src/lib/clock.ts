// The UI's one source of "now". The backend owns the clock (`--now` or REPRISE_NOW fix it for a
// session); the app asks it once at start with `syncClock`, and tests set it with `setClock`.
// Nothing else in the UI reads the system time for dates: a due date shown as "in 12d" must
// agree with the day the backend schedules by.

let fixed: number | null = null;

/** The current instant: the backend's fixed time if it has one, else the system clock. */
export function now(): Date {
  return fixed === null ? new Date() : new Date(fixed);
}

/** Fixes "now" at `at` (an instant or an RFC 3339 string), or back to the system clock with null. */
export function setClock(at: Date | string | null): void {
  if (at === null) {
    fixed = null;
    return;
  }
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (Number.isNaN(ms)) throw new Error(`not an instant: ${String(at)}`);
  fixed = ms;
}
