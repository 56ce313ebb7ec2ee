// How the statistics screen lays out and words the numbers the core sends: the heatmap's
// calendar, its colour levels and labels, retention rates, answer-button shares. Pure.
import type { Bin, Buttons, Passes, StudyDay } from './bindings';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Day of the week of a YYYY-MM-DD date, Monday 0 … Sunday 6. */
export function weekday(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** "2026-11-25" → "25 Nov". */
export function shortDate(date: string): string {
  const [, month, day] = date.split('-').map(Number);
  return month >= 1 && month <= 12 ? `${day} ${MONTHS[month - 1]}` : date;
}

/** The colour level of a day, 0 (none) to 4 (the busiest quarter of the busiest day). */
export type HeatLevel = 0 | 1 | 2 | 3 | 4;

export function heatLevel(reviews: number, max: number): HeatLevel {
  if (reviews <= 0 || max <= 0) return 0;
  return Math.min(4, Math.max(1, Math.ceil((reviews / max) * 4))) as HeatLevel;
}

/** "12 min", "under 1 min" or "" for no time at all. */
export function minutesText(seconds: number): string {
  if (seconds <= 0) return '';
  const minutes = Math.round(seconds / 60);
  return minutes === 0 ? 'under 1 min' : `${minutes} min`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A heatmap cell's tooltip and accessible name: "2026-11-20: 34 reviews, 12 min". */
export function dayLabel(day: StudyDay): string {
  if (day.reviews === 0) return `${day.date}: no reviews`;
  const time = minutesText(day.seconds);
  return `${day.date}: ${plural(day.reviews, 'review')}${time ? `, ${time}` : ''}`;
}

export type HeatCell = StudyDay & {
  /** Column: weeks from the first (partial) week. */
  week: number;
  /** Row: Monday 0 … Sunday 6. */
  weekday: number;
  level: HeatLevel;
  label: string;
};

export type HeatmapLayout = {
  cells: HeatCell[];
  weeks: number;
  /** Month names over the week columns where each month begins. */
  months: { label: string; week: number }[];
  /** The most reviews in a day, which level 4 is measured against. */
  max: number;
};

/** Lays the days (oldest first, one per day) out as a calendar: a column per week, a row per
 *  weekday, as GitHub draws contributions. */
export function heatmapLayout(days: readonly StudyDay[]): HeatmapLayout {
  const max = days.reduce((m, d) => Math.max(m, d.reviews), 0);
  const offset = days.length ? weekday(days[0].date) : 0;
  const cells = days.map((day, i) => ({
    ...day,
    week: Math.floor((i + offset) / 7),
    weekday: (i + offset) % 7,
    level: heatLevel(day.reviews, max),
    label: dayLabel(day),
  }));
  const months: { label: string; week: number; first: boolean }[] = [];
  cells.forEach((cell, i) => {
    if (i > 0 && !cell.date.endsWith('-01')) return;
    // A month starting later than Monday is labelled from its first full week.
    const week = i === 0 || cell.weekday === 0 ? cell.week : cell.week + 1;
    const label = MONTHS[Number(cell.date.slice(5, 7)) - 1] ?? cell.date.slice(0, 7);
    const previous = months[months.length - 1];
    // A label needs about three columns: the year's first, partial month gives way to the next.
    if (previous && week - previous.week < 3) {
      if (!previous.first) return;
      months.pop();
    }
    months.push({ label, week, first: i === 0 });
  });
  const weeks = cells.length ? cells[cells.length - 1].week + 1 : 0;
  return { cells, weeks, months: months.filter((m) => m.week < weeks).map(({ label, week }) => ({ label, week })), max };
}

/** The last `count` days of the heatmap, with minutes spent, for the time chart. */
export function recentDays(days: readonly StudyDay[], count = 30): { date: string; reviews: number; minutes: number }[] {
  return days.slice(-count).map((d) => ({ date: d.date, reviews: d.reviews, minutes: Math.round((d.seconds / 60) * 10) / 10 }));
}

/** A fraction as a percentage with one decimal at most: 0.9123 → "91.2%". */
export function percentText(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10}%`;
}

/** A retention cell: "91.2%", or an em dash with no reviews. */
export function rateText(passes: Passes): string {
  return passes.rate === null || passes.reviews === 0 ? '—' : percentText(passes.rate);
}

export const PERIODS: Record<string, string> = {
  today: 'Today',
  yesterday: 'Yesterday',
  week: 'Last 7 days',
  month: 'Last 30 days',
  year: 'Last year',
};

export const RATINGS = ['Again', 'Hard', 'Good', 'Easy'] as const;

export type ButtonRow = {
  kind: 'learning' | 'young' | 'mature';
  label: string;
  counts: readonly number[];
  total: number;
  /** Each rating's share of the row, 0–1 (all 0 with no answers). */
  shares: number[];
  /** Answers other than Again, as a share; null with no answers. */
  correct: number | null;
};

/** The answer buttons pressed, by kind of card, with shares. */
export function buttonRows(buttons: Buttons): ButtonRow[] {
  const kinds = [
    ['learning', 'Learning'],
    ['young', 'Young'],
    ['mature', 'Mature'],
  ] as const;
  return kinds.map(([kind, label]) => {
    const counts = buttons[kind];
    const total = counts.reduce((a, b) => a + b, 0);
    return {
      kind,
      label,
      counts,
      total,
      shares: counts.map((c) => (total ? c / total : 0)),
      correct: total ? (total - counts[0]) / total : null,
    };
  });
}

/** A bin's share of all cards in its distribution, 0–1. */
export function binShares(bins: readonly Bin[]): number[] {
  const total = bins.reduce((a, b) => a + b.cards, 0);
  return bins.map((b) => (total ? b.cards / total : 0));
}
