import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from './bindings';
import { fieldOf, fieldText, formatPercent, formatSteps, toForm, toPatch } from './settingsForm';

describe('steps as text', () => {
  it('are shown in minutes, or hours when whole', () => {
    expect(formatSteps([1, 10])).toBe('1m 10m');
    expect(formatSteps([60, 90, 120, 1439])).toBe('1h 90m 2h 1439m');
    expect(formatSteps([])).toBe('none');
  });
});

describe('the settings form', () => {
  it('shows the settings it edits, steps as text', () => {
    const form = toForm({ ...DEFAULT_SETTINGS, relearning_steps_minutes: [] });
    expect(form).toEqual({
      desired_retention: 0.9,
      new_per_day: 20,
      reviews_per_day: 200,
      rollover_hour: 4,
      maximum_interval_days: 36500,
      learning_steps: '1m 10m',
      relearning_steps: 'none',
      fuzz: true,
      learn_ahead_minutes: 20,
      bury_siblings: true,
      leech_threshold: 8,
      leech_action: 'tag',
      new_card_order: 'lessons',
      review_order: 'due',
    });
  });

  it('sends nothing when nothing changed', () => {
    const form = toForm(DEFAULT_SETTINGS);
    expect(toPatch({ ...form }, form)).toEqual({});
  });

  it('sends only the settings changed, by their names, as the text the core reads', () => {
    const initial = toForm(DEFAULT_SETTINGS);
    const form = {
      ...initial,
      desired_retention: 0.85,
      leech_threshold: 6,
      learning_steps: '2m, 15 0.1h',
      relearning_steps: 'none',
      fuzz: false,
      review_order: 'retrievability' as const,
    };
    expect(toPatch(form, initial)).toEqual({
      desired_retention: '0.85',
      leech_threshold: '6',
      learning_steps_minutes: '2m, 15 0.1h',
      relearning_steps_minutes: 'none',
      fuzz: 'off',
      review_order: 'retrievability',
    });
  });

  it('leaves judging to the core: fractions, negatives and empty fields are sent as they are', () => {
    const initial = toForm(DEFAULT_SETTINGS);
    const form = { ...initial, desired_retention: 1.5, new_per_day: 2.5, reviews_per_day: -1, rollover_hour: null };
    expect(toPatch(form, initial)).toEqual({
      desired_retention: '1.5',
      new_per_day: '2.5',
      reviews_per_day: '-1',
      rollover_hour: '',
    });
    expect(fieldText({ ...initial, bury_siblings: true }, 'bury_siblings')).toBe('on');
  });

  it('names the field of the setting an error is about', () => {
    expect(fieldOf('learning_steps_minutes')).toBe('learning_steps');
    expect(fieldOf('relearning_steps_minutes')).toBe('relearning_steps');
    expect(fieldOf('desired_retention')).toBe('desired_retention');
    expect(fieldOf('leech_action')).toBe('leech_action');
    // Settings the form does not edit, and errors about no setting.
    expect(fieldOf('fsrs_parameters')).toBeNull();
    expect(fieldOf('key')).toBeNull();
    expect(fieldOf(null)).toBeNull();
  });
});

describe('formatPercent', () => {
  it('drops float noise and trailing zeros', () => {
    expect(formatPercent(0.9)).toBe('90%');
    expect(formatPercent(0.29)).toBe('29%');
    expect(formatPercent(0.905)).toBe('90.5%');
    expect(formatPercent(0.05234, 2)).toBe('5.23%');
  });
});
