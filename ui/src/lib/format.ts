// Display helpers for values the backend does not pre-format (interval labels come ready-made).
import { now as clockNow } from './clock';

/** "45s", "3m 05s", "1h 02m" — compact time spent in a session. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return `${h}h ${pad(m)}m`;
  if (m > 0) return `${m}m ${pad(s)}s`;
  return `${s}s`;
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** Local, human wording for an RFC 3339 timestamp; anything else is shown as sent. */
export function formatDue(value: string, now: Date = clockNow()): string {
  // Date.parse is lenient with odd strings, so only trust ISO-looking input.
  const when = /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : null;
  if (!when || Number.isNaN(when.getTime())) return value;
  if (when.getTime() <= now.getTime()) return 'now';
  const time = when.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (sameDay(when, now)) return `today at ${time}`;
  const tomorrow = new Date(now);
  tomorrow.setDate(now.getDate() + 1);
  if (sameDay(when, tomorrow)) return `tomorrow at ${time}`;
  return when.toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

/** "25 Nov 2026, 14:05" in local time for an RFC 3339 timestamp; anything else as sent. */
export function formatDate(value: string): string {
  const when = /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : null;
  if (!when || Number.isNaN(when.getTime())) return value;
  return when.toLocaleString(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** "812 KB", "3.4 MB": a file's size, in decimal units as file managers show them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** A span of days in the largest fitting unit: "10m", "3h", "12d", "2.5mo", "1.3y"; for
 *  intervals and stability. */
export function formatDays(days: number): string {
  if (!Number.isFinite(days) || days <= 0) return '0d';
  const minutes = days * 24 * 60;
  if (minutes < 60) return `${Math.max(1, Math.round(minutes))}m`;
  if (days < 1) return `${Math.round(minutes / 60)}h`;
  const one = (n: number) => String(Math.round(n * 10) / 10);
  if (days < 30) return `${one(days)}d`;
  if (days < 365) return `${one(days / 30)}mo`;
  return `${one(days / 365)}y`;
}

function localDay(date: Date): number {
  return Math.floor(Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()) / 86_400_000);
}

/** When an RFC 3339 due date is, in days from `now`: "today", "tomorrow", "in 12d", "3d ago";
 *  anything that is not a timestamp as sent. */
export function dueText(value: string, now: Date = clockNow()): string {
  const when = /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : null;
  if (!when || Number.isNaN(when.getTime())) return value;
  const days = localDay(when) - localDay(now);
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  if (days === -1) return 'yesterday';
  return days > 0 ? `in ${formatDays(days)}` : `${formatDays(-days)} ago`;
}

/** "25 Nov 2026" in local time for an RFC 3339 timestamp; anything else as sent. */
export function formatDay(value: string): string {
  const when = /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : null;
  if (!when || Number.isNaN(when.getTime())) return value;
  return when.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}
