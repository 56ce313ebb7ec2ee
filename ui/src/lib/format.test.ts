import { describe, expect, it } from 'vitest';
import { dueText, formatBytes, formatDate, formatDays, formatDue, formatDuration } from './format';

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

describe('formatDays', () => {
  it('uses the largest fitting unit', () => {
    expect(formatDays(0.0007)).toBe('1m');
    expect(formatDays(10 / 1440)).toBe('10m');
    expect(formatDays(0.25)).toBe('6h');
    expect(formatDays(1)).toBe('1d');
    expect(formatDays(12.34)).toBe('12.3d');
    expect(formatDays(75)).toBe('2.5mo');
    expect(formatDays(500)).toBe('1.4y');
    expect(formatDays(0)).toBe('0d');
  });
});

describe('dueText', () => {
  const now = new Date(2025, 0, 10, 12, 0);

  it('counts days from today in local time', () => {
    expect(dueText(new Date(2025, 0, 10, 23, 0).toISOString(), now)).toBe('today');
    expect(dueText(new Date(2025, 0, 11, 1, 0).toISOString(), now)).toBe('tomorrow');
    expect(dueText(new Date(2025, 0, 9, 1, 0).toISOString(), now)).toBe('yesterday');
    expect(dueText(new Date(2025, 0, 22, 9, 0).toISOString(), now)).toBe('in 12d');
    expect(dueText(new Date(2025, 0, 7, 9, 0).toISOString(), now)).toBe('3d ago');
    expect(dueText('soon', now)).toBe('soon');
  });
});
