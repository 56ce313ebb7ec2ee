import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import App from './App.svelte';
import type { Bin, Stats } from './lib/bindings';
import { recorded } from './test/recorded';
import { Scripted, TODAY } from './test/scripted';

/** Opens Statistics, get_stats answering the core's statistics of a fresh collection (recorded)
 *  as `configure` changed them, so a test changes only what it is about. What the core counts is
 *  tested against it: tests/stats.rs. */
async function openStats(configure: (stats: Stats) => void = () => {}) {
  const stats = recorded.stats();
  configure(stats);
  const backend = new Scripted().reply('get_stats', stats);
  const user = userEvent.setup();
  render(App);
  await screen.findByTestId('today');
  await user.click(screen.getByTestId('nav-stats'));
  await screen.findByTestId('heatmap');
  return { user, backend };
}

/** `date` (YYYY-MM-DD) plus `days`. */
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

/** A table's body rows as the text of their cells. */
function tableRows(testid: string): string[][] {
  return [...screen.getByTestId(testid).querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => text(c)));
}

/** A history of reviews: three today (10 min 16 s), one yesterday and one three days ago. */
function studied(stats: Stats) {
  const days = stats.heatmap.days;
  for (const [ago, reviews, seconds] of [
    [0, 3, 616],
    [1, 1, 8],
    [3, 1, 8],
  ]) {
    days[364 - ago] = { ...days[364 - ago], reviews, seconds };
  }
  stats.heatmap = { ...stats.heatmap, streak: 2, longest_streak: 2, days_studied: 3, total_reviews: 5 };
}

describe('Statistics: the heatmap', () => {
  it('draws a cell per day of the last year, labelled with its reviews and time', async () => {
    await openStats(studied);

    const cells = screen.getAllByTestId('heatmap-cell');
    expect(cells).toHaveLength(365);
    expect(cells[0].getAttribute('data-date')).toBe(addDays(TODAY, -364));
    expect(cells[364].getAttribute('data-date')).toBe(TODAY);
    const today = cells[364];
    expect(today.getAttribute('data-count')).toBe('3');
    expect(today.getAttribute('aria-label')).toBe(`${TODAY}: 3 reviews, 10 min`);
    expect(today.querySelector('title')?.textContent).toBe(`${TODAY}: 3 reviews, 10 min`);
    // The busiest day is the darkest; a day without reviews has no colour.
    expect(today.getAttribute('data-level')).toBe('4');
    expect(cells[363].getAttribute('data-count')).toBe('1');
    expect(cells[363].getAttribute('data-level')).toBe('2');
    expect(cells[362].getAttribute('data-count')).toBe('0');
    expect(cells[362].getAttribute('aria-label')).toBe(`${addDays(TODAY, -2)}: no reviews`);
    expect(cells.filter((c) => c.getAttribute('data-count') !== '0').map((c) => c.getAttribute('data-date'))).toEqual([
      addDays(TODAY, -3),
      addDays(TODAY, -1),
      TODAY,
    ]);
  });

  it('shows the streak, longest streak, days studied and reviews, and lists the days studied', async () => {
    await openStats(studied);

    expect(text(screen.getByTestId('streak'))).toBe('2 days');
    expect(text(screen.getByTestId('longest-streak'))).toBe('2 days');
    expect(text(screen.getByTestId('days-studied'))).toBe('3 of 365');
    expect(text(screen.getByTestId('total-reviews'))).toBe('5');
    expect(tableRows('heatmap-table')).toEqual([
      [TODAY, '3', '10 min'],
      [addDays(TODAY, -1), '1', 'under 1 min'],
      [addDays(TODAY, -3), '1', 'under 1 min'],
    ]);
  });

  it('says so when nothing was reviewed', async () => {
    await openStats();
    expect(text(screen.getByTestId('streak'))).toBe('0 days');
    expect(screen.getAllByTestId('heatmap-cell').every((c) => c.getAttribute('data-level') === '0')).toBe(true);
    expect(screen.queryByTestId('heatmap-table')).toBeNull();
  });
});

describe('Statistics: the forecast', () => {
  it('lists cards due each of the next 30 days, and each week of the next year on the toggle', async () => {
    // Cards due: one four days overdue (counted today), one in 2 days, one in 40 days.
    const { user } = await openStats(({ forecast }) => {
      forecast.days[0].cards = 1;
      forecast.days[2].cards = 1;
      forecast.weeks[0].cards = 2;
      forecast.weeks[5].cards = 1;
    });

    const forecast = screen.getByTestId('forecast');
    expect(within(forecast).getByTestId('forecast-days').getAttribute('aria-pressed')).toBe('true');
    let rows = within(forecast).getAllByTestId('forecast-row');
    expect(rows).toHaveLength(30);
    // Overdue cards count today.
    expect(rows.slice(0, 4).map((r) => [...r.children].map((c) => text(c)))).toEqual([
      [TODAY, '1'],
      [addDays(TODAY, 1), '0'],
      [addDays(TODAY, 2), '1'],
      [addDays(TODAY, 3), '0'],
    ]);
    expect(text(screen.getByTestId('forecast-total'))).toBe('2 cards due in the next 30 days, 1 card today (overdue included).');

    await user.click(within(forecast).getByTestId('forecast-weeks'));
    expect(within(forecast).getByTestId('forecast-weeks').getAttribute('aria-pressed')).toBe('true');
    rows = within(forecast).getAllByTestId('forecast-row');
    expect(rows).toHaveLength(53);
    expect([...rows[0].children].map((c) => text(c))).toEqual([TODAY, '2']);
    expect([...rows[5].children].map((c) => text(c))).toEqual([addDays(TODAY, 35), '1']);
    expect(text(screen.getByTestId('forecast-total'))).toBe('3 cards due in the next year, 2 cards this week (overdue included).');
  });
});

/** Counts one more card in the bin labelled `label`. */
function addTo(bins: Bin[], label: string) {
  const bin = bins.find((b) => b.label === label);
  if (!bin) throw new Error(`no bin ${label} in ${bins.map((b) => b.label).join(', ')}`);
  bin.cards += 1;
}

describe('Statistics: retention, counts, memory, time and buttons', () => {
  it('tabulates true retention by period for young, mature and all cards, beside the desired retention', async () => {
    await openStats((stats) => {
      stats.desired_retention = 0.88;
      const passes = (passed: number, reviews: number) => ({ passed, reviews, rate: reviews ? passed / reviews : null });
      Object.assign(stats, {
        retention: [
          { period: 'today', young: passes(9, 10), mature: passes(0, 0), all: passes(9, 10) },
          { period: 'yesterday', young: passes(2, 3), mature: passes(19, 20), all: passes(21, 23) },
          { period: 'week', young: passes(114, 125), mature: passes(500, 520), all: passes(614, 645) },
          { period: 'month', young: passes(0, 0), mature: passes(0, 0), all: passes(0, 0) },
          { period: 'year', young: passes(1000, 1100), mature: passes(3000, 3200), all: passes(4000, 4300) },
        ],
      });
    });

    expect(text(screen.getByTestId('desired-retention'))).toBe('88%');
    expect(tableRows('retention-table')).toEqual([
      ['Today', '90% 9/10', '— 0/0', '90% 9/10'],
      ['Yesterday', '66.7% 2/3', '95% 19/20', '91.3% 21/23'],
      ['Last 7 days', '91.2% 114/125', '96.2% 500/520', '95.2% 614/645'],
      ['Last 30 days', '— 0/0', '— 0/0', '— 0/0'],
      ['Last year', '90.9% 1,000/1,100', '93.8% 3,000/3,200', '93% 4,000/4,300'],
    ]);
    expect(screen.getAllByTestId('retention-row').map((r) => r.getAttribute('data-period'))).toEqual([
      'today',
      'yesterday',
      'week',
      'month',
      'year',
    ]);
  });

  it('counts cards by state, by pack and by area', async () => {
    await openStats((stats) => {
      stats.counts = { ...stats.counts, new: 2, learning: 1, review: 2, relearning: 1, total: 6 };
      stats.packs = [
        { pack: 'k8s', name: 'Kubernetes', cards: 4, new: 1 },
        { pack: 'net', name: 'Networking', cards: 2, new: 1 },
      ];
      stats.areas = [
        { area: 'Workloads', cards: 4 },
        { area: 'DNS', cards: 2 },
      ];
    });
    const counts = screen.getByTestId('counts');
    expect(tableRows('counts-states')).toEqual([
      ['New', '2'],
      ['Learning', '1'],
      ['Review', '2'],
      ['Relearning', '1'],
      ['Suspended', '0'],
      ['Buried', '0'],
    ]);
    expect(text(counts.querySelector('caption'))).toBe('6 cards in all.');
    expect(tableRows('counts-packs')).toEqual([
      ['Kubernetes', '4', '1'],
      ['Networking', '2', '1'],
    ]);
    expect(tableRows('counts-areas')).toEqual([
      ['Workloads', '4'],
      ['DNS', '2'],
    ]);
  });

  it('counts suspended and buried cards apart from their states', async () => {
    // One new card, one suspended and one buried review card.
    await openStats((stats) => {
      stats.counts = { ...stats.counts, new: 1, suspended: 1, buried: 1, total: 3 };
    });
    expect(tableRows('counts-states')).toEqual([
      ['New', '1'],
      ['Learning', '0'],
      ['Review', '0'],
      ['Relearning', '0'],
      ['Suspended', '1'],
      ['Buried', '1'],
    ]);
  });

  it('shows the average retrievability and the distributions as tables', async () => {
    // Three studied cards, each recalled at 87%: stability 0.5, 10 and 1,000 days; difficulty
    // 2.5, 7 and 10.
    await openStats((stats) => {
      for (const label of ['0–1 days', '7–14 days', '730+ days']) addTo(stats.stability, label);
      for (const label of ['2–3', '7–8', '9–10']) addTo(stats.difficulty, label);
      for (let i = 0; i < 3; i++) addTo(stats.retrievability, '80–90%');
      stats.average_retrievability = 0.87;
    });

    expect(text(screen.getByTestId('average-retrievability'))).toBe(
      'Average chance of recalling a studied card now: 87%.',
    );
    const stability = tableRows('stability-table');
    expect(stability).toHaveLength(11);
    expect(stability[0]).toEqual(['0–1 days', '1', '33.3%']);
    expect(stability[4]).toEqual(['7–14 days', '1', '33.3%']);
    expect(stability[10]).toEqual(['730+ days', '1', '33.3%']);
    expect(stability.filter((r) => r[1] === '0')).toHaveLength(8);
    const difficulty = tableRows('difficulty-table');
    expect(difficulty.map((r) => r[1])).toEqual(['0', '1', '0', '0', '0', '0', '1', '0', '1']);
    expect(difficulty[6][0]).toBe('7–8');
    const recall = tableRows('retrievability-table');
    expect(recall[8]).toEqual(['80–90%', '3', '100%']);
  });

  it('says when no card has been studied, so there is no retrievability to average', async () => {
    await openStats();
    expect(text(screen.getByTestId('average-retrievability'))).toBe('No card studied yet, so no chance of recall to average.');
  });

  it('lists the minutes of the last 30 days and the answer buttons with shares', async () => {
    await openStats((stats) => {
      stats.buttons = { learning: [5, 0, 15, 0], young: [1, 1, 6, 2], mature: [0, 0, 0, 0] };
      const days = stats.heatmap.days;
      days[364] = { date: TODAY, reviews: 40, seconds: 900 };
      days[335] = { ...days[335], reviews: 2, seconds: 30 };
    });

    const time = tableRows('time-table');
    expect(time).toHaveLength(30);
    expect(time[0]).toEqual([addDays(TODAY, -29), '2', '0.5']);
    expect(time[29]).toEqual([TODAY, '40', '15']);
    expect(text(screen.getByTestId('time-total'))).toBe('16 min over the last 30 days; 0.5 min a day on average.');

    expect(tableRows('buttons-table')).toEqual([
      ['Learning', '5 (25%)', '0 (0%)', '15 (75%)', '0 (0%)', '20', '75%'],
      ['Young', '1 (10%)', '1 (10%)', '6 (60%)', '2 (20%)', '10', '90%'],
      ['Mature', '0 (0%)', '0 (0%)', '0 (0%)', '0 (0%)', '0', '—'],
    ]);
  });

  it('puts every chart beside a "Show numbers" table, each chart with an accessible name', async () => {
    await openStats();
    const charts = screen.getAllByRole('img').filter((el) => el.classList.contains('chart'));
    // Forecast, stability, difficulty, retrievability, time, buttons.
    expect(charts).toHaveLength(6);
    for (const chart of charts) expect(chart.getAttribute('aria-label')).toMatch(/table below has the numbers/);
    const summaries = [...document.querySelectorAll('details.numbers > summary')].map((s) => text(s));
    expect(summaries.filter((s) => s === 'Show numbers')).toHaveLength(7);
  });

  it('reports a failure to load in the error banner', async () => {
    const backend = new Scripted();
    backend.failures.set('get_stats', { code: 'database', message: 'the collection is locked' });
    const user = userEvent.setup();
    render(App);
    await screen.findByTestId('today');
    await user.click(screen.getByTestId('nav-stats'));
    await waitFor(() => expect(text(screen.getByTestId('error'))).toContain('the collection is locked'));
    expect(screen.queryByTestId('heatmap')).toBeNull();
  });
});
