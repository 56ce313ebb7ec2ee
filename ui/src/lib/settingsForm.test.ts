import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../test/fakeBackend';
import { formatPercent, formatSteps, fromForm, parseSteps, toForm } from './settingsForm';

describe('steps as text', () => {
  it('are shown in minutes, or hours when whole', () => {
    expect(formatSteps([1, 10])).toBe('1m 10m');
    expect(formatSteps([60, 90, 120, 1439])).toBe('1h 90m 2h 1439m');
    expect(formatSteps([])).toBe('none');
  });

  it('are read with m or h, commas or spaces, a bare number being minutes', () => {
    expect(parseSteps('1m 10m')).toEqual([1, 10]);
    expect(parseSteps(' 1m,10m ,  1h ')).toEqual([1, 10, 60]);
    expect(parseSteps('5 1.5h 2H 30M')).toEqual([5, 90, 120, 30]);
    expect(parseSteps('0.1h')).toEqual([6]);
    expect(parseSteps('none')).toEqual([]);
    expect(parseSteps(' None ')).toEqual([]);
    expect(parseSteps('')).toEqual([]);
  });

  it('say which step cannot be read', () => {
    expect(parseSteps('1m 10x')).toBe("'10x' is not a step: write minutes like 10m or hours like 1h");
    expect(parseSteps('1d')).toBe("'1d' is not a step: write minutes like 10m or hours like 1h");
    expect(parseSteps('-5m')).toBe("'-5m' is not a step: write minutes like 10m or hours like 1h");
    expect(parseSteps('1.5m')).toBe("'1.5m' is not a whole number of minutes");
  });

  it('read back what they show', () => {
    for (const steps of [[1, 10], [60, 90], [], [15, 120, 1000]]) expect(parseSteps(formatSteps(steps))).toEqual(steps);
  });
});

describe('the settings form', () => {
  it('gives back the settings it was made from, less what it does not edit', () => {
    const { fsrs_parameters: _p, pause_new_until: _u, ...edited } = { ...defaultSettings(), relearning_steps_minutes: [] };
    expect(fromForm(toForm({ ...defaultSettings(), relearning_steps_minutes: [] }))).toEqual({ ok: true, value: edited });
  });

  it('checks the retention range, inclusive', () => {
    const form = toForm(defaultSettings());
    for (const r of [0.7, 0.85, 0.99]) expect(fromForm({ ...form, desired_retention: r }).ok).toBe(true);
    for (const r of [0.69, 0.995, 1, 0, -0.9, null, NaN]) {
      expect(fromForm({ ...form, desired_retention: r })).toMatchObject({ ok: false, field: 'desired_retention' });
    }
  });

  it('wants whole counts, 0 or more', () => {
    const form = toForm(defaultSettings());
    expect(fromForm({ ...form, leech_threshold: 2.5 })).toEqual({
      ok: false,
      field: 'leech_threshold',
      message: 'Leech threshold must be a whole number, 0 or more.',
    });
    expect(fromForm({ ...form, reviews_per_day: -1 })).toMatchObject({ ok: false, field: 'reviews_per_day' });
    expect(fromForm({ ...form, maximum_interval_days: null })).toMatchObject({ ok: false, field: 'maximum_interval_days' });
    expect(fromForm({ ...form, new_per_day: 0 }).ok).toBe(true);
  });

  it('names the steps field it cannot read', () => {
    const form = toForm(defaultSettings());
    expect(fromForm({ ...form, relearning_steps: 'soon' })).toEqual({
      ok: false,
      field: 'relearning_steps',
      message: "Relearning steps: 'soon' is not a step: write minutes like 10m or hours like 1h.",
    });
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
