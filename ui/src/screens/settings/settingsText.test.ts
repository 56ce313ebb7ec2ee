import { describe, expect, it } from 'vitest';
import { plural, sameRetention, spreadDaysError, stageText } from './settingsText';

describe('settings wording', () => {
  it('says what the optimizer does, and how far training has got', () => {
    expect(stageText({ stage: 'reading', done: 0, total: 0 })).toBe('Reading your review history…');
    expect(stageText({ stage: 'training', done: 5, total: 10 })).toBe('Fitting parameters to your reviews… 50%');
    expect(stageText({ stage: 'training', done: 0, total: 0 })).toBe('Fitting parameters to your reviews…');
    expect(stageText({ stage: 'evaluating', done: 1, total: 2 })).toBe('Comparing the fitted parameters with the ones in use…');
    expect(stageText({ stage: 'saving', done: 0, total: 1 })).toBe('Saving the new parameters and rescheduling…');
    expect(stageText({ stage: 'warming', done: 0, total: 0 })).toBe('warming…');
  });

  it('treats retentions a float apart as the same', () => {
    expect(sameRetention(0.9, Math.fround(0.9))).toBe(true);
    expect(sameRetention(0.9, 0.92)).toBe(false);
  });

  it('spreads a backlog over 1 to 60 whole days', () => {
    expect(spreadDaysError(1)).toBeNull();
    expect(spreadDaysError(60)).toBeNull();
    for (const bad of [null, 0, 61, 2.5]) expect(spreadDaysError(bad)).toBe('Choose a whole number of days from 1 to 60.');
  });

  it('counts in the singular and plural', () => {
    expect(plural(1, 'review card')).toBe('1 review card');
    expect(plural(3, 'review card')).toBe('3 review cards');
  });
});
