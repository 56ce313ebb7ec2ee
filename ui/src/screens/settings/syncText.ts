// What Settings → Sync and the review's mark say about sync.
import { now as clockNow } from '../../lib/clock';
import type { SyncProgress, SyncReport } from '../../lib/bindings';
import { formatDate } from '../../lib/format';
import { plural } from './settingsText';

const STAGES: Record<string, string> = {
  reading: 'Reading the other devices’ changes',
  merging: 'Merging them',
  folding: 'Updating cards',
  packs: 'Importing packs from the other devices',
  sending: 'Sending this device’s changes',
};

/** What the running sync is doing, with how far it has got: "Reading the other devices'
 *  changes: 2 of 5…". */
export function syncStageText(p: SyncProgress | null): string {
  if (!p) return 'Syncing…';
  const stage = STAGES[p.stage] ?? p.stage.charAt(0).toUpperCase() + p.stage.slice(1);
  return p.total > 0 ? `${stage}: ${p.done} of ${p.total}…` : `${stage}…`;
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** When an RFC 3339 instant in the past was, locally: "today at 14:05", "yesterday at 09:30",
 *  else "25 Nov 2026, 14:05"; anything that is not a timestamp as sent. */
export function whenText(value: string, now: Date = clockNow()): string {
  const when = /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : null;
  if (!when || Number.isNaN(when.getTime())) return value;
  const time = when.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (sameDay(when, now)) return `today at ${time}`;
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (sameDay(when, yesterday)) return `yesterday at ${time}`;
  return formatDate(value);
}

/** What the last sync did: "Sent 3, received 17; 1 card updated; 1 pack imported; 1 file still
 *  arriving, read next time." */
export function reportText(report: SyncReport): string {
  const parts = [`Sent ${report.sent}, received ${report.received}`];
  if (report.cards_merged > 0) parts.push(`${plural(report.cards_merged, 'card')} updated`);
  if (report.packs > 0) parts.push(`${plural(report.packs, 'pack')} imported`);
  if (report.waiting > 0) {
    parts.push(`${plural(report.waiting, 'file')} still arriving, read next time`);
  }
  return `${parts.join('; ')}.`;
}

/** "1 change waiting to be sent", "Nothing waiting to be sent". */
export function pendingText(pending: number): string {
  return pending === 0 ? 'Nothing waiting to be sent' : `${plural(pending, 'change')} waiting to be sent`;
}
