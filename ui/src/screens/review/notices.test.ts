import { describe, expect, it } from 'vitest';
import { actionDone, dueDaysError, leechText } from './notices';

describe('review notices', () => {
  it('say what each card action did', () => {
    expect(actionDone({ kind: 'bury' })).toBe('Card buried until tomorrow');
    expect(actionDone({ kind: 'suspend' })).toBe('Card suspended');
    expect(actionDone({ kind: 'unsuspend' })).toBe('Card unsuspended');
    expect(actionDone({ kind: 'reset' })).toBe('Card reset to new');
    expect(actionDone({ kind: 'set_due', days: 0 })).toBe('Card due today');
    expect(actionDone({ kind: 'set_due', days: 1 })).toBe('Card due in 1 day');
    expect(actionDone({ kind: 'set_due', days: 12 })).toBe('Card due in 12 days');
    expect(actionDone({ kind: 'tag', tag: 'hard' })).toBe('Card tagged “hard”');
    expect(actionDone({ kind: 'untag', tag: 'hard' })).toBe('Tag “hard” removed');
  });

  it('word a leech as the settings treat it, plainly when they are unknown', () => {
    expect(leechText(8, false)).toBe(
      'The card you just answered is a leech (forgotten 8 times): tagged leech. Rewording it or splitting it up usually helps.',
    );
    expect(leechText(5, true)).toBe(
      'The card you just answered is a leech (forgotten 5 times): tagged leech and suspended. Rewording it or splitting it up usually helps.',
    );
    expect(leechText(8, null)).toBe(leechText(8, false));
  });

  it('take whole days from 0 to 36500 for a due date', () => {
    for (const ok of [0, 1, 36_500]) expect(dueDaysError(ok)).toBeNull();
    for (const bad of [null, -1, 2.5, 36_501, Number.NaN]) {
      expect(dueDaysError(bad)).toBe('Choose a whole number of days from 0 (today) to 36500.');
    }
  });
});
