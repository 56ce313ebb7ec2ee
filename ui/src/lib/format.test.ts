import { describe, expect, it } from 'vitest';
import { formatBytes, formatDate, formatDue, formatDuration } from './format';

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

describe('formatBytes', () => {
  it('uses decimal units with one decimal below ten', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1000)).toBe('1.0 KB');
    expect(formatBytes(812_400)).toBe('812 KB');
    expect(formatBytes(3_400_000)).toBe('3.4 MB');
    expect(formatBytes(12_600_000_000)).toBe('13 GB');
  });
});

describe('formatDate', () => {
  it('shows a local date and time, and odd input as sent', () => {
    const shown = formatDate('2026-11-25T14:05:00Z');
    expect(shown).toMatch(/2026/);
    expect(shown).toMatch(/Nov/);
    expect(formatDate('yesterday')).toBe('yesterday');
  });
});
