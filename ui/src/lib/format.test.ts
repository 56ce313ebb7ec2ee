import { describe, expect, it } from 'vitest';
import { formatDue, formatDuration } from './format';

describe('formatDuration', () => {
  it('picks the largest useful units', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(45_400)).toBe('45s');
    expect(formatDuration(185_000)).toBe('3m 05s');
    expect(formatDuration(3_720_000)).toBe('1h 02m');
  });
});

describe('formatDue', () => {
  const now = new Date(2025, 0, 10, 12, 0);

  it('words near times relative to today', () => {
    expect(formatDue(new Date(2025, 0, 10, 15, 30).toISOString(), now)).toMatch(/^today at /);
    expect(formatDue(new Date(2025, 0, 11, 9, 0).toISOString(), now)).toMatch(/^tomorrow at /);
    expect(formatDue(new Date(2025, 0, 9).toISOString(), now)).toBe('now');
  });

  it('passes through anything that is not a timestamp', () => {
    expect(formatDue('3d', now)).toBe('3d');
    expect(formatDue('2025-99-99', now)).toBe('2025-99-99');
  });
});
