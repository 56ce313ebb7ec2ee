import { describe, expect, it } from 'vitest';
import { formatDate } from '../../lib/format';
import { NOW } from '../../test/scripted';
import { pendingText, reportText, syncStageText, whenText } from './syncText';

const at = (value: string) => new Date(value).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

describe('sync texts', () => {
  it('say when a sync was, by the local day', () => {
    // Noon UTC: the same calendar day from UTC−11 to UTC+11, whatever the zone the tests run in.
    const now = new Date(NOW);
    expect(whenText('2026-11-25T09:30:00Z', now)).toBe(`today at ${at('2026-11-25T09:30:00Z')}`);
    expect(whenText('2026-11-24T12:00:00Z', now)).toBe(`yesterday at ${at('2026-11-24T12:00:00Z')}`);
    expect(whenText('2026-11-20T12:00:00Z', now)).toBe(formatDate('2026-11-20T12:00:00Z'));
    expect(whenText('soon', now)).toBe('soon');
  });

  it('say yesterday across a change of the clocks', () => {
    // Berlin's clocks go forward on 28 March 2027: that day has 23 hours.
    const now = new Date(2027, 2, 29, 12, 0);
    const yesterday = new Date(2027, 2, 28, 0, 30);
    expect(whenText(yesterday.toISOString(), now)).toMatch(/^yesterday at /);
  });

  it('say what a running sync does', () => {
    expect(syncStageText(null)).toBe('Syncing…');
    expect(syncStageText({ stage: 'reading', done: 2, total: 5 })).toBe('Reading the other devices’ changes: 2 of 5…');
    expect(syncStageText({ stage: 'merging', done: 0, total: 0 })).toBe('Merging them…');
    expect(syncStageText({ stage: 'folding', done: 0, total: 3 })).toBe('Updating cards: 0 of 3…');
    expect(syncStageText({ stage: 'packs', done: 1, total: 2 })).toBe('Importing packs from the other devices: 1 of 2…');
    expect(syncStageText({ stage: 'checking', done: 0, total: 0 })).toBe('Checking…');
  });

  it('say what the last sync did, and what waits', () => {
    expect(reportText({ sent: 1, received: 0, cards_merged: 0, waiting: 0, packs: 0, notices: [] })).toBe(
      'Sent 1, received 0.',
    );
    expect(reportText({ sent: 0, received: 17, cards_merged: 2, waiting: 3, packs: 1, notices: ['x'] })).toBe(
      'Sent 0, received 17; 2 cards updated; 1 pack imported; 3 files still arriving, read next time.',
    );
    expect(pendingText(0)).toBe('Nothing waiting to be sent');
    expect(pendingText(1)).toBe('1 change waiting to be sent');
    expect(pendingText(4)).toBe('4 changes waiting to be sent');
  });
});
