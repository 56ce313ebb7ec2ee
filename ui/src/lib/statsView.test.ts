import { describe, expect, it } from 'vitest';
import type { StudyDay } from './bindings';
import { binShares, buttonRows, dayLabel, heatLevel, heatmapLayout, rateText, recentDays, shortDate, weekday } from './statsView';

/** `count` days from `first`, with `reviews(i)` reviews on the i-th. */
function daysFrom(first: string, count: number, reviews: (i: number) => number = () => 0): StudyDay[] {
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(`${first}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + i);
    return { date: d.toISOString().slice(0, 10), reviews: reviews(i), seconds: reviews(i) * 10 };
  });
}

describe('the heatmap', () => {
  it('puts each day in its week column and weekday row, Monday first', () => {
    // 2025-11-26 is a Wednesday.
    expect(weekday('2025-11-26')).toBe(2);
    expect(weekday('2025-11-30')).toBe(6);
    expect(weekday('2025-12-01')).toBe(0);
    const layout = heatmapLayout(daysFrom('2025-11-26', 365));
    expect(layout.cells[0]).toMatchObject({ date: '2025-11-26', week: 0, weekday: 2 });
    expect(layout.cells[4]).toMatchObject({ date: '2025-11-30', week: 0, weekday: 6 });
    expect(layout.cells[5]).toMatchObject({ date: '2025-12-01', week: 1, weekday: 0 });
    expect(layout.cells[364]).toMatchObject({ date: '2026-11-25', week: 52, weekday: 2 });
    expect(layout.weeks).toBe(53);
  });

  it('labels the months over the weeks they start, the first partial month giving way', () => {
    const layout = heatmapLayout(daysFrom('2025-11-26', 365));
    expect(layout.months[0]).toEqual({ label: 'Dec', week: 1 });
    expect(layout.months.map((m) => m.label)).toEqual([
      'Dec', 'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov',
    ]);
    // A month starting mid-week is labelled from its first full week: 2026-01-01 is a Thursday.
    expect(layout.months[1]).toEqual({ label: 'Jan', week: 6 });
    // A long first month keeps its label.
    expect(heatmapLayout(daysFrom('2025-11-03', 60)).months.map((m) => m.label)).toEqual(['Nov', 'Dec']);
  });

  it('colours days in four levels up to the busiest, none for no reviews', () => {
    expect([0, 1, 25, 26, 50, 51, 75, 76, 100].map((n) => heatLevel(n, 100))).toEqual([0, 1, 1, 2, 2, 3, 3, 4, 4]);
    expect(heatLevel(3, 0)).toBe(0);
    const layout = heatmapLayout(daysFrom('2026-01-05', 4, (i) => [0, 10, 40, 20][i]));
    expect(layout.max).toBe(40);
    expect(layout.cells.map((c) => c.level)).toEqual([0, 1, 4, 2]);
  });

  it('words each day for its tooltip', () => {
    expect(dayLabel({ date: '2026-11-20', reviews: 34, seconds: 720 })).toBe('2026-11-20: 34 reviews, 12 min');
    expect(dayLabel({ date: '2026-11-21', reviews: 1, seconds: 20 })).toBe('2026-11-21: 1 review, under 1 min');
    expect(dayLabel({ date: '2026-11-22', reviews: 0, seconds: 0 })).toBe('2026-11-22: no reviews');
  });
});

describe('the other figures', () => {
  it('takes the last 30 days in minutes', () => {
    const days = daysFrom('2026-01-01', 40, (i) => i);
    const recent = recentDays(days, 30);
    expect(recent).toHaveLength(30);
    expect(recent[0]).toEqual({ date: '2026-01-11', reviews: 10, minutes: 1.7 });
    expect(recent[29].date).toBe('2026-02-09');
  });

  it('shares answers by button and counts the non-Again ones as correct', () => {
    const rows = buttonRows({ learning: [5, 0, 15, 0], young: [1, 1, 6, 2], mature: [0, 0, 0, 0] });
    expect(rows.map((r) => [r.kind, r.total, r.correct])).toEqual([
      ['learning', 20, 0.75],
      ['young', 10, 0.9],
      ['mature', 0, null],
    ]);
    expect(rows[1].shares).toEqual([0.1, 0.1, 0.6, 0.2]);
    expect(rows[2].shares).toEqual([0, 0, 0, 0]);
  });

  it('words rates and dates', () => {
    expect(rateText({ passed: 91, reviews: 100, rate: 0.91 })).toBe('91%');
    expect(rateText({ passed: 2, reviews: 3, rate: 2 / 3 })).toBe('66.7%');
    expect(rateText({ passed: 0, reviews: 0, rate: null })).toBe('—');
    expect(shortDate('2026-11-05')).toBe('5 Nov');
    expect(binShares([
      { label: 'a', low: 0, high: 1, cards: 1 },
      { label: 'b', low: 1, high: 2, cards: 3 },
    ])).toEqual([0.25, 0.75]);
  });
});
