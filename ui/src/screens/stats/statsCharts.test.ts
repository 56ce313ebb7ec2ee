import { describe, expect, it } from 'vitest';
import { buttonRows } from '../../lib/statsView';
import { binSpec, buttonsSpec, forecastSpec, plural, timeSpec } from './statsCharts';

describe('statistics charts', () => {
  it('label the forecast by day, today first, or by week', () => {
    const days = [
      { date: '2026-11-25', cards: 12 },
      { date: '2026-11-26', cards: 1 },
    ];
    const daily = forecastSpec(days, 'days');
    expect(daily.labels).toEqual(['Today', '26 Nov']);
    expect(daily.series[0].data).toEqual([12, 1]);
    expect(daily.categoryTitle).toBe('Day');
    expect(daily.valueText?.(1, 0, 1)).toBe('1 card due');
    expect(daily.titleText?.(0)).toBe('2026-11-25 (today, overdue included)');
    expect(daily.titleText?.(1)).toBe('2026-11-26');

    const weekly = forecastSpec(days, 'weeks');
    expect(weekly.labels).toEqual(['25 Nov', '26 Nov']);
    expect(weekly.categoryTitle).toBe('Week starting');
    expect(weekly.titleText?.(1)).toBe('Week of 2026-11-26');
  });

  it('show minutes a day with the reviews in the tooltip', () => {
    const spec = timeSpec([{ date: '2026-11-24', reviews: 1, minutes: 3 }]);
    expect(spec.labels).toEqual(['24 Nov']);
    expect(spec.valueText?.(3, 0, 0)).toBe('3 min, 1 review');
    expect(spec.titleText?.(0)).toBe('2026-11-24');
  });

  it('stack the answer buttons as shares of 100%', () => {
    const spec = buttonsSpec(buttonRows({ learning: [1, 1, 2, 0], young: [0, 0, 0, 0], mature: [0, 0, 3, 1] }));
    expect(spec.stacked).toBe(true);
    expect(spec.max).toBe(100);
    expect(spec.series.map((s) => s.label)).toEqual(['Again', 'Hard', 'Good', 'Easy']);
    expect(spec.series[2].data[0]).toBe(50);
    expect(spec.tick?.(40)).toBe('40%');
  });

  it('count cards in each bin with their share', () => {
    const spec = binSpec(
      [
        { label: '0–1 days', low: 0, high: 1, cards: 3 },
        { label: '1–2 days', low: 1, high: 2, cards: 1 },
      ],
      'Stability',
      '--count-new',
    );
    expect(spec.labels).toEqual(['0–1 days', '1–2 days']);
    expect(spec.categoryTitle).toBe('Stability');
    expect(spec.valueText?.(3, 0, 0)).toBe('3 cards (75%)');
  });

  it('counts with thousands separators', () => {
    expect(plural(1, 'day')).toBe('1 day');
    expect(plural(2000, 'card')).toBe(`${(2000).toLocaleString()} cards`);
  });
});
