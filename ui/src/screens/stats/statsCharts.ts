// The statistics screen's bar charts, as specs built from the numbers the core sends. Pure.
import type { BarChartSpec } from '../../lib/barChart';
import type { Bin, DueCount } from '../../lib/bindings';
import { RATINGS, binShares, percentText, shortDate, type ButtonRow } from '../../lib/statsView';

/** "1 card", "1,200 cards". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

/** The forecast shows the next 30 days, or the next year by week. */
export type ForecastView = 'days' | 'weeks';

/** Cards due each day (the first is today, overdue included) or each week. */
export function forecastSpec(forecast: readonly DueCount[], view: ForecastView): BarChartSpec {
  return {
    labels: forecast.map((d, i) => (view === 'days' ? (i === 0 ? 'Today' : shortDate(d.date)) : shortDate(d.date))),
    series: [{ label: 'Cards due', data: forecast.map((d) => d.cards), color: '--accent' }],
    valueTitle: 'Cards due',
    categoryTitle: view === 'days' ? 'Day' : 'Week starting',
    valueText: (v) => plural(v, 'card') + ' due',
    titleText: (i) =>
      view === 'days' ? `${forecast[i]?.date ?? ''}${i === 0 ? ' (today, overdue included)' : ''}` : `Week of ${forecast[i]?.date ?? ''}`,
  };
}

/** Minutes studied each day. */
export function timeSpec(time: readonly { date: string; reviews: number; minutes: number }[]): BarChartSpec {
  return {
    labels: time.map((d) => shortDate(d.date)),
    series: [{ label: 'Minutes', data: time.map((d) => d.minutes), color: '--count-review' }],
    valueTitle: 'Minutes',
    valueText: (v, _, i) => `${v} min, ${plural(time[i]?.reviews ?? 0, 'review')}`,
    titleText: (i) => time[i]?.date ?? '',
  };
}

/** The share of each answer button, stacked to 100% for each kind of card. */
export function buttonsSpec(buttons: readonly ButtonRow[]): BarChartSpec {
  return {
    labels: buttons.map((b) => b.label),
    series: RATINGS.map((rating, r) => ({
      label: rating,
      data: buttons.map((b) => Math.round(b.shares[r] * 1000) / 10),
      color: `--${rating.toLowerCase()}-fg`,
    })),
    stacked: true,
    horizontal: true,
    max: 100,
    valueTitle: 'Share of answers',
    tick: (v) => `${v}%`,
    valueText: (v, r, i) => `${v}% (${(buttons[i]?.counts[r] ?? 0).toLocaleString()})`,
  };
}

/** Cards in each bin of a distribution (stability, difficulty, retrievability). */
export function binSpec(bins: readonly Bin[], valueTitle: string, color: string): BarChartSpec {
  const shares = binShares(bins);
  return {
    labels: bins.map((b) => b.label),
    series: [{ label: 'Cards', data: bins.map((b) => b.cards), color }],
    valueTitle: 'Cards',
    categoryTitle: valueTitle,
    valueText: (v, _, i) => `${plural(v, 'card')} (${percentText(shares[i] ?? 0)})`,
  };
}
