import { afterEach, describe, expect, it } from 'vitest';
import { now, setClock } from './clock';
import { dueText, formatDue } from './format';

afterEach(() => setClock(null));

describe('clock', () => {
  it('follows the system clock until fixed, then stays at the fixed instant', () => {
    const before = Date.now();
    const t = now().getTime();
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Date.now());

    setClock('2031-02-03T04:05:06Z');
    expect(now().toISOString()).toBe('2031-02-03T04:05:06.000Z');
    // A copy each time: a caller moving its Date does not move the clock.
    now().setFullYear(1999);
    expect(now().toISOString()).toBe('2031-02-03T04:05:06.000Z');

    setClock(null);
    expect(Math.abs(now().getTime() - Date.now())).toBeLessThan(1000);
  });

  it('refuses what is not an instant', () => {
    expect(() => setClock('next tuesday')).toThrow(/not an instant/);
  });

  it('is the "now" due dates are worded against', () => {
    setClock(new Date(2031, 1, 3, 12, 0));
    expect(dueText(new Date(2031, 1, 15, 9, 0).toISOString())).toBe('in 12d');
    expect(dueText(new Date(2031, 1, 2, 9, 0).toISOString())).toBe('yesterday');
    expect(formatDue(new Date(2031, 1, 3, 18, 0).toISOString())).toMatch(/^today at /);
    setClock(new Date(2031, 1, 20, 12, 0));
    expect(dueText(new Date(2031, 1, 15, 9, 0).toISOString())).toBe('5d ago');
  });
});
