import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import App from './App.svelte';
import type { BrowseFacets, BrowseQuery, BrowseRow, CardAction, CardDetail, Rating, ReviewEntry, StudyCard } from './lib/bindings';
import { recorded } from './test/recorded';
import { NOW, PACK, Scripted, undone, type Args } from './test/scripted';

// The browser against a scripted core: each test says which ids browse_cards finds for the
// queries it sends, and what browse_rows, get_card_detail, card_action and undo answer, then
// checks what the page shows and which commands it sends. What the core finds, in which order,
// and what its actions do is tested against the core: tests/browse.rs, tests/scheduling.rs and
// src-tauri/tests/ui_contract.rs.

type User = ReturnType<typeof userEvent.setup>;

/** Opens the browser, once its first rows are shown. */
async function openBrowse(backend: Scripted) {
  const user = userEvent.setup();
  render(App);
  await screen.findByTestId('today');
  await user.click(screen.getByTestId('nav-browse'));
  await screen.findByTestId('browse');
  await rowsLoaded();
  return { user, backend };
}

const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

/** Waits until every row rendered has its data (none "Loading…"). */
async function rowsLoaded() {
  await waitFor(() => {
    const rows = screen.getAllByTestId('browse-row');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.textContent?.includes('Loading…'))).toBe(false);
  });
}

/** The card ids of the rows rendered, top to bottom. */
function rowIds(): number[] {
  return screen
    .queryAllByTestId('browse-row')
    .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
    .map((r) => Number(r.getAttribute('data-card-id')));
}

function row(id: number): HTMLElement {
  const found = screen.getAllByTestId('browse-row').find((r) => r.getAttribute('data-card-id') === String(id));
  if (!found) throw new Error(`no row for card ${id}`);
  return found;
}

function selectedIds(): number[] {
  return screen
    .getAllByTestId('browse-row')
    .filter((r) => r.getAttribute('aria-selected') === 'true')
    .map((r) => Number(r.getAttribute('data-card-id')));
}

function queries(backend: Scripted): BrowseQuery[] {
  return backend.callsTo('browse_cards').map((c) => c.args.query as BrowseQuery);
}

function lastQuery(backend: Scripted): BrowseQuery {
  const all = queries(backend);
  return all[all.length - 1];
}

function actions(backend: Scripted): Args[] {
  return backend.callsTo('card_action').map((c) => c.args);
}

const DEFAULT_QUERY: BrowseQuery = {
  text: '',
  state: null,
  due: null,
  suspended: null,
  leech: false,
  area: null,
  pack: null,
  tag: null,
  lesson: null,
  sort: 'added',
  descending: false,
};

/** Whether `query` is the default one but for `fields`. */
function is(query: BrowseQuery, fields: Partial<BrowseQuery> = {}): boolean {
  const wanted: BrowseQuery = { ...DEFAULT_QUERY, ...fields };
  const keys = new Set([...Object.keys(wanted), ...Object.keys(query)]) as Set<keyof BrowseQuery>;
  return [...keys].every((k) => query[k] === wanted[k]);
}

/** Queries browse_cards was sent that the test scripted no ids for: they fail the test. */
const unscriptedQueries: BrowseQuery[] = [];
afterEach(() => {
  const missing = unscriptedQueries.splice(0);
  if (missing.length) throw new Error(`no ids scripted for browse_cards of ${JSON.stringify(missing)}`);
});

/** RFC 3339 for `days` days from NOW, at its time of day: noon UTC, the same local day in every
 *  zone from UTC−11 to UTC+11, so the days counted do not depend on the zone. */
function inDays(days: number): string {
  return new Date(Date.parse(NOW) + days * 86_400_000).toISOString().replace('.000Z', 'Z');
}

/** A row as browse_rows answers it (the recorded ones: a studied card's, a new card's), with
 *  made-up, checkable text; in PACK, area "Testing". */
function makeRow(id: number, fields: Partial<BrowseRow> = {}): BrowseRow {
  const [studied, fresh] = recorded.browseRows();
  const base = fields.state && fields.state !== 'new' ? studied : fresh;
  return {
    ...base,
    card_id: id,
    note_id: 1_000 + id,
    prompt: `Prompt ${id}`,
    answer: `Answer ${id}`,
    direction: 'forward',
    pack: PACK,
    area: 'Testing',
    ...fields,
  };
}

/** A review card's schedule and memory: due in `due` days (negative: overdue). */
function inReview(due: number, interval: number, stability: number, difficulty: number, lapses: number): Partial<BrowseRow> {
  return {
    state: 'review',
    due: inDays(due),
    interval_days: interval,
    stability,
    difficulty,
    retrievability: 0.87,
    lapses,
    reviews: lapses + 3,
  };
}

/** Five cards: two new, three in review with different schedules. */
function fiveRows(): BrowseRow[] {
  return [
    makeRow(1, { prompt: 'What is a Pod?', answer: 'The smallest deployable unit' }),
    makeRow(2, { prompt: 'What is a Service?', answer: 'A stable address for Pods' }),
    makeRow(3, { ...inReview(5, 5, 6, 7, 2), prompt: 'What does kube-proxy do?', answer: 'Programs Service routing' }),
    makeRow(4, { ...inReview(-3, 12, 14, 3, 0), prompt: 'What is DNS?', answer: 'Names to addresses' }),
    makeRow(5, { ...inReview(1, 2, 2, 5, 5), prompt: 'What is a Deployment?', answer: 'Manages ReplicaSets' }),
  ];
}

const ALL = [1, 2, 3, 4, 5];

/** A review of the review timeline (the recorded one's shape): on `date` (YYYY-MM-DD), the rest
 *  as a typical review of a review card. */
function makeReview(date: string, rating: Rating, fields: Partial<ReviewEntry> = {}): ReviewEntry {
  const [recordedReview] = recorded.cardDetail().info.reviews;
  return {
    ...recordedReview,
    id: `review-${date}-${rating}`,
    reviewed_at: `${date}T10:00:00Z`,
    rating,
    elapsed_days: 3,
    interval_days: rating === 'again' ? 0.007 : 7,
    duration_ms: 8_000,
    state_before: 'review',
    state_after: rating === 'again' ? 'relearning' : 'review',
    stability_before: 3,
    difficulty_before: 5,
    stability_after: rating === 'again' ? 1.2 : 7.5,
    difficulty_after: 5,
    ...fields,
  };
}

/** get_card_detail's reply (the recorded one) for the card of `row`: its text, memory and
 *  schedule; no tags and no history unless given. */
function detailOf(
  r: BrowseRow,
  extra: { tags?: string[]; reviews?: ReviewEntry[]; prompt_html?: string; answer_html?: string } = {},
): CardDetail {
  const { card, info } = recorded.cardDetail();
  const reviews = extra.reviews ?? [];
  return {
    card: {
      ...card,
      card_id: r.card_id,
      direction: r.direction as StudyCard['direction'],
      prompt: r.prompt,
      prompt_html: extra.prompt_html ?? null,
      answer: r.answer,
      answer_html: extra.answer_html ?? null,
      detail: `Detail ${r.card_id}`,
      detail_html: `<p>Detail <code>${r.card_id}</code></p>`,
      state: r.state,
      retrievability: r.retrievability,
    },
    info: {
      ...info,
      card_id: r.card_id,
      note_id: r.note_id,
      direction: r.direction,
      prompt: r.prompt,
      answer: r.answer,
      state: r.state,
      stability: r.stability,
      difficulty: r.difficulty,
      retrievability: r.retrievability,
      due: r.due,
      interval_days: r.interval_days,
      reps: reviews.length,
      lapses: r.lapses,
      last_review: reviews.length ? reviews[reviews.length - 1].reviewed_at : null,
      reviews,
    },
    tags: extra.tags ?? [],
  };
}

/** The browser's backend: browse_cards answers the ids `found` gives for the query sent
 *  (undefined: none scripted, which fails the test), browse_rows and get_card_detail the rows
 *  `rows()` has now for the ids asked, in that order. */
function browser(rows: () => BrowseRow[], found: (query: BrowseQuery) => number[] | undefined): Scripted {
  const rowOf = (id: number) => rows().find((r) => r.card_id === id);
  return new Scripted()
    .replyWith('browse_cards', (args) => {
      const query = args.query as BrowseQuery;
      const ids = found(query);
      if (ids === undefined) unscriptedQueries.push(query);
      return ids ?? [];
    })
    .replyWith('browse_rows', (args) => (args.ids as number[]).flatMap((id) => rowOf(id) ?? []))
    .replyWith('get_card_detail', (args) => detailOf(rowOf(Number(args.cardId))!));
}

/** The browser over fiveRows(), every query finding all five in the order added. */
function fiveCards(): Scripted {
  const rows = fiveRows();
  return browser(() => rows, (q) => (is(q) ? ALL : undefined));
}

/** card_action's reply: `changed` cards changed by the action sent. */
function acted(args: Args, changed: number) {
  return { action: (args.action as CardAction).kind, changed };
}

/** `rows` with `fields` set on the rows of `ids`. */
function withRows(rows: BrowseRow[], ids: number[], fields: Partial<BrowseRow>): BrowseRow[] {
  return rows.map((r) => (ids.includes(r.card_id) ? { ...r, ...fields } : r));
}

async function ctrlClick(user: User, el: Element) {
  await user.keyboard('{Control>}');
  await user.click(el);
  await user.keyboard('{/Control}');
}

async function shiftClick(user: User, el: Element) {
  await user.keyboard('{Shift>}');
  await user.click(el);
  await user.keyboard('{/Shift}');
}

describe('Browse: searching', () => {
  it('lists every card at first and counts them', async () => {
    const { backend } = await openBrowse(fiveCards());
    expect(text(screen.getByTestId('browse-count'))).toBe('5 cards');
    expect(rowIds()).toEqual([1, 2, 3, 4, 5]);
    expect(queries(backend)).toEqual([DEFAULT_QUERY]);
    expect(backend.callsTo('browse_rows').map((c) => c.args)).toEqual([{ ids: [1, 2, 3, 4, 5] }]);
    expect(text(row(1))).toContain('What is a Pod?');
    expect(text(row(1))).toContain('The smallest deployable unit');
    expect(document.activeElement).toBe(screen.getByTestId('browse-search'));
  });

  it('searches as you type, once typing pauses, and counts what it found', async () => {
    // Which cards the words find (prefixes of prompt, answer or context):
    // search_finds_cards_by_prompt_answer_and_context_as_prefixes (tests/browse.rs).
    const found: Record<string, number[]> = { '': ALL, serv: [2, 3], 'deployable unit': [1] };
    const rows = fiveRows();
    const backend = browser(
      () => rows,
      (q) => (is(q, { text: q.text }) ? found[q.text] : undefined),
    );
    const { user } = await openBrowse(backend);

    await user.type(screen.getByTestId('browse-search'), 'serv');
    await waitFor(() => expect(text(screen.getByTestId('browse-count'))).toBe('2 cards'));
    // One search for the word typed, none for each keystroke.
    expect(queries(backend).map((q) => q.text)).toEqual(['', 'serv']);
    await waitFor(() => expect(rowIds()).toEqual([2, 3]));

    await user.clear(screen.getByTestId('browse-search'));
    await user.type(screen.getByTestId('browse-search'), 'deployable unit');
    await waitFor(() => expect(rowIds()).toEqual([1]));
    expect(text(screen.getByTestId('browse-count'))).toBe('1 card');
    expect(queries(backend).map((q) => q.text)).toEqual(['', 'serv', 'deployable unit']);
  });

  it('says when nothing matches', async () => {
    // That words in no card find nothing: search_finds_cards_by_prompt_answer_and_context_as_prefixes.
    const rows = fiveRows();
    const found = (q: BrowseQuery) => (is(q) ? ALL : is(q, { text: 'zzz' }) ? [] : undefined);
    const { user } = await openBrowse(browser(() => rows, found));
    await user.type(screen.getByTestId('browse-search'), 'zzz');
    await waitFor(() => expect(text(screen.getByTestId('browse-count'))).toBe('0 cards'));
    expect(text(screen.getByTestId('browse-empty'))).toBe('No cards match; try fewer words or filters.');
    expect(screen.queryAllByTestId('browse-row')).toHaveLength(0);
  });
});

describe('Browse: sorting and filters', () => {
  it('a column header sorts by it, ascending then descending on a second click, and shows which', async () => {
    // The order of each column either way, new cards last:
    // sorting_orders_by_the_column_either_way_with_new_cards_last (tests/browse.rs).
    const rows = fiveRows();
    const found = (q: BrowseQuery) => {
      if (!is(q, { sort: q.sort, descending: q.descending })) return undefined;
      if (q.sort === 'due') return q.descending ? [3, 5, 4, 1, 2] : [4, 5, 3, 1, 2];
      return ALL;
    };
    const { user, backend } = await openBrowse(browser(() => rows, found));
    const header = (key: string) => screen.getByTestId(`browse-sort-${key}`).closest('[role="columnheader"]');
    expect(header('added')?.getAttribute('aria-sort')).toBe('ascending');
    expect(header('due')?.getAttribute('aria-sort')).toBe('none');

    await user.click(screen.getByTestId('browse-sort-due'));
    await waitFor(() => expect(rowIds()).toEqual([4, 5, 3, 1, 2]));
    expect(lastQuery(backend)).toEqual({ ...DEFAULT_QUERY, sort: 'due', descending: false });
    expect(header('due')?.getAttribute('aria-sort')).toBe('ascending');
    expect(header('added')?.getAttribute('aria-sort')).toBe('none');
    expect(text(screen.getByTestId('browse-sort-due'))).toBe('Due▲');

    await user.click(screen.getByTestId('browse-sort-due'));
    // The rows in the order the core answers the second click.
    await waitFor(() => expect(rowIds()).toEqual([3, 5, 4, 1, 2]));
    expect(lastQuery(backend)).toEqual({ ...DEFAULT_QUERY, sort: 'due', descending: true });
    expect(header('due')?.getAttribute('aria-sort')).toBe('descending');
    expect(text(screen.getByTestId('browse-sort-due'))).toBe('Due▼');

    // Another column starts ascending.
    await user.click(screen.getByTestId('browse-sort-lapses'));
    await waitFor(() => expect(lastQuery(backend)).toEqual({ ...DEFAULT_QUERY, sort: 'lapses', descending: false }));
    for (const key of ['interval', 'stability', 'difficulty', 'retrievability', 'reviews'] as const) {
      await user.click(screen.getByTestId(`browse-sort-${key}`));
      await waitFor(() => expect(lastQuery(backend).sort).toBe(key));
      expect(lastQuery(backend).descending).toBe(false);
    }
  });

  it('each filter narrows the query, with choices from the facets', async () => {
    // Which cards each filter takes, and filters combined:
    // filters_narrow_the_list_and_combine (tests/browse.rs).
    const rows = withRows(withRows(fiveRows(), [2], { pack: 'net', area: 'Services' }), [4], { pack: 'net', area: 'DNS', leech: true });
    const facets: BrowseFacets = {
      packs: [
        ['net', 'Networking'],
        [PACK, 'Test pack'],
      ],
      areas: ['DNS', 'Services', 'Testing'],
      tags: ['leech', 'tricky'],
      lessons: [['dns-basics', 'DNS basics']],
    };
    const found = (q: BrowseQuery) => {
      if (q.due === 'overdue') return [4];
      if (is(q, { state: 'review' })) return [4, 3, 5];
      // In the packs' order: "net" before "test.pack".
      return is(q) ? [2, 4, 1, 3, 5] : undefined;
    };
    const backend: Scripted = browser(() => rows, found).reply('browse_facets', facets);
    const { user } = await openBrowse(backend);
    await waitFor(() => expect(screen.getByTestId<HTMLSelectElement>('filter-pack').options).toHaveLength(3));
    expect(rowIds()).toEqual([2, 4, 1, 3, 5]);

    await user.selectOptions(screen.getByTestId('filter-state'), 'review');
    await waitFor(() => expect(rowIds()).toEqual([4, 3, 5]));
    expect(lastQuery(backend)).toEqual({ ...DEFAULT_QUERY, state: 'review' });

    await user.selectOptions(screen.getByTestId('filter-due'), 'overdue');
    await waitFor(() => expect(rowIds()).toEqual([4]));
    expect(lastQuery(backend)).toEqual({ ...DEFAULT_QUERY, state: 'review', due: 'overdue' });

    await user.selectOptions(screen.getByTestId('filter-suspended'), 'Not suspended');
    await user.click(screen.getByTestId('filter-leech'));
    await user.selectOptions(screen.getByTestId('filter-pack'), 'Networking');
    await user.selectOptions(screen.getByTestId('filter-area'), 'DNS');
    await user.selectOptions(screen.getByTestId('filter-tag'), 'tricky');
    await user.selectOptions(screen.getByTestId('filter-lesson'), 'DNS basics');
    await waitFor(() =>
      expect(lastQuery(backend)).toEqual({
        ...DEFAULT_QUERY,
        state: 'review',
        due: 'overdue',
        suspended: false,
        leech: true,
        pack: 'net',
        area: 'DNS',
        tag: 'tricky',
        lesson: 'dns-basics',
      }),
    );
    await waitFor(() => expect(rowIds()).toEqual([4]));

    await user.click(screen.getByTestId('filter-clear'));
    await waitFor(() => expect(lastQuery(backend)).toEqual(DEFAULT_QUERY));
    await waitFor(() => expect(rowIds()).toEqual([2, 4, 1, 3, 5]));
    expect(screen.queryByTestId('filter-clear')).toBeNull();
  });

  it('the due filter asks for cards due today, and combines with the suspended filter', async () => {
    // That "today" takes studied cards due by the end of today, overdue ones included:
    // filters_narrow_the_list_and_combine (tests/browse.rs).
    const rows = fiveRows();
    const found = (q: BrowseQuery) =>
      is(q) ? ALL : is(q, { due: 'today' }) ? [4] : is(q, { due: 'today', suspended: true }) ? [] : undefined;
    const { user, backend } = await openBrowse(browser(() => rows, found));
    await user.selectOptions(screen.getByTestId('filter-due'), 'today');
    await waitFor(() => expect(rowIds()).toEqual([4]));
    expect(lastQuery(backend).due).toBe('today');
    await user.selectOptions(screen.getByTestId('filter-suspended'), 'Suspended');
    await waitFor(() => expect(text(screen.getByTestId('browse-count'))).toBe('0 cards'));
    expect(lastQuery(backend)).toEqual({ ...DEFAULT_QUERY, due: 'today', suspended: true });
  });
});

/** A browser over `count` new cards with ids 1…count; rows made as asked. */
function manyCards(count: number): Scripted {
  const ids = Array.from({ length: count }, (_, i) => i + 1);
  return new Scripted()
    .replyWith('browse_cards', (args) => {
      if (!is(args.query as BrowseQuery)) unscriptedQueries.push(args.query as BrowseQuery);
      return ids;
    })
    .replyWith('browse_rows', (args) => (args.ids as number[]).map((id) => makeRow(id)));
}

describe('Browse: a virtualized list', () => {
  it('over 100k cards, reads only the pages in view and renders a bounded number of rows', async () => {
    const { backend } = await openBrowse(manyCards(100_000));
    await waitFor(() => expect(text(screen.getByTestId('browse-count'))).toMatch(/^100.000 cards$/));
    await rowsLoaded();

    const grid = screen.getByTestId('browse-grid');
    expect(grid.getAttribute('aria-rowcount')).toBe('100001');
    // The spacer stands for every row.
    expect((grid.querySelector('.rows') as HTMLElement).style.height).toBe(`${100_000 * 44}px`);
    const first = rowIds();
    expect(first[0]).toBe(1);
    expect(first.length).toBeGreaterThan(5);
    expect(first.length).toBeLessThanOrEqual(30);
    // One page: the first 100 ids.
    let reads = backend.callsTo('browse_rows').map((c) => c.args.ids as number[]);
    expect(reads).toEqual([Array.from({ length: 100 }, (_, i) => i + 1)]);

    // Scrolled to the middle: the pages there, nothing in between.
    grid.scrollTop = 50_000 * 44;
    await fireEvent.scroll(grid);
    await waitFor(() => expect(rowIds()).toContain(50_001));
    await rowsLoaded();
    const middle = rowIds();
    expect(middle.length).toBeLessThanOrEqual(30);
    expect(Math.min(...middle)).toBeGreaterThanOrEqual(49_990);
    expect(Math.max(...middle)).toBeLessThanOrEqual(50_030);
    expect(text(row(50_001))).toContain('Prompt 50001');
    expect(row(50_001).getAttribute('aria-rowindex')).toBe('50002');
    reads = backend.callsTo('browse_rows').map((c) => c.args.ids as number[]);
    expect(reads.slice(1).map((ids) => [ids[0], ids[ids.length - 1], ids.length])).toEqual([
      [49_901, 50_000, 100],
      [50_001, 50_100, 100],
    ]);

    // Back to the top: its rows are cached, not read again.
    grid.scrollTop = 0;
    await fireEvent.scroll(grid);
    await waitFor(() => expect(rowIds()[0]).toBe(1));
    await new Promise((go) => setTimeout(go, 80));
    expect(backend.callsTo('browse_rows')).toHaveLength(3);
    expect(screen.getAllByTestId('browse-row').length).toBeLessThanOrEqual(30);
  });
});

describe('Browse: a million cards', () => {
  it('the list scrolls through every row within the tallest spacer a webview lays out', async () => {
    await openBrowse(manyCards(1_000_000));
    await waitFor(() => expect(text(screen.getByTestId('browse-count'))).toMatch(/^1.000.000 cards$/));
    await rowsLoaded();
    const grid = screen.getByTestId('browse-grid');
    const spacer = grid.querySelector('.rows') as HTMLElement;
    // 44M px of rows would pass WebKit's 33.5M: the spacer stays at 16M.
    expect(spacer.style.height).toBe('16000000px');
    const top = (id: number) => Number(/translateY\((-?\d+)px\)/.exec(row(id).style.transform)?.[1]);

    // Scrolled to the very bottom: the last row is there, its bottom at the viewport's.
    grid.scrollTop = 16_000_000 - (480 - 36);
    await fireEvent.scroll(grid);
    await waitFor(() => expect(rowIds()).toContain(1_000_000));
    expect(top(1_000_000) + 44).toBe(16_000_000);
    expect(screen.getAllByTestId('browse-row').length).toBeLessThanOrEqual(30);

    // Halfway down the scroll is halfway down the list, its rows in view.
    grid.scrollTop = (16_000_000 - (480 - 36)) / 2;
    await fireEvent.scroll(grid);
    await waitFor(() => expect(rowIds()).toContain(500_001));
    expect(top(500_001) - grid.scrollTop).toBeGreaterThan(-44);
    expect(top(500_001) - grid.scrollTop).toBeLessThan(480);

    // End selects the last card and brings it into view; Home goes back to the first.
    grid.focus();
    await fireEvent.keyDown(grid, { key: 'End' });
    expect(selectedIds()).toEqual([1_000_000]);
    await waitFor(() => expect(rowIds()).toContain(1_000_000));
    expect(top(1_000_000) + 44 - grid.scrollTop).toBe(480 - 36);
    await fireEvent.keyDown(grid, { key: 'Home' });
    expect(selectedIds()).toEqual([1]);
    expect(grid.scrollTop).toBe(0);
    await waitFor(() => expect(rowIds()[0]).toBe(1));
  });
});

describe('Browse: selection and actions', () => {
  it('click selects one, Ctrl+click toggles, Shift+click selects a range', async () => {
    const { user } = await openBrowse(fiveCards());

    await user.click(row(2));
    expect(selectedIds()).toEqual([2]);
    await ctrlClick(user, row(4));
    expect(selectedIds()).toEqual([2, 4]);
    // From the row last clicked.
    await shiftClick(user, row(1));
    expect(selectedIds()).toEqual([1, 2, 3, 4]);
    expect(text(screen.getByTestId('browse-selected'))).toBe('4 cards selected');
    await ctrlClick(user, row(2));
    expect(selectedIds()).toEqual([1, 3, 4]);
    await user.click(row(5));
    expect(selectedIds()).toEqual([5]);
    expect(text(screen.getByTestId('browse-selected'))).toBe('1 card selected');
  });

  it('suspends the selected cards in one action, says how many changed, and re-runs the query', async () => {
    // What suspending does, and that suspended cards leave the "not suspended" filter:
    // card_actions_change_cards_and_undo_restores_them_exactly (tests/scheduling.rs),
    // browser_actions_show_in_rows_filters_facets_and_details (src-tauri/tests/ui_contract.rs).
    const rows = fiveRows();
    const done = (): boolean => backend.callsTo('card_action').length > 0;
    const found = (q: BrowseQuery): number[] | undefined =>
      is(q) ? ALL : is(q, { suspended: false }) ? (done() ? [1, 3, 5] : ALL) : undefined;
    const backend: Scripted = browser(() => (done() ? withRows(rows, [2, 4], { suspended: true }) : rows), found).replyWith(
      'card_action',
      (args) => acted(args, 2),
    );
    const { user } = await openBrowse(backend);
    expect(screen.getByTestId<HTMLButtonElement>('browse-action-suspend').disabled).toBe(true);
    await user.selectOptions(screen.getByTestId('filter-suspended'), 'Not suspended');
    await waitFor(() => expect(lastQuery(backend).suspended).toBe(false));

    await user.click(row(2));
    await ctrlClick(user, row(4));
    const before = backend.callsTo('browse_cards').length;
    await user.click(screen.getByTestId('browse-action-suspend'));

    await waitFor(() => expect(text(screen.getByTestId('browse-notice'))).toBe('2 cards changed · Ctrl+Z undoes it'));
    expect(actions(backend)).toEqual([{ action: { kind: 'suspend' }, cardIds: [2, 4] }]);
    // The same query again: what the core finds now, without the suspended cards.
    await waitFor(() => expect(rowIds()).toEqual([1, 3, 5]));
    expect(backend.callsTo('browse_cards').length).toBe(before + 1);
    expect(lastQuery(backend)).toEqual({ ...DEFAULT_QUERY, suspended: false });
    expect(text(screen.getByTestId('browse-count'))).toBe('3 cards');
    expect(text(screen.getByTestId('browse-selected'))).toBe('0 cards selected');
  });

  it('re-reads the rows in view after an action, showing what changed', async () => {
    // That buried cards' rows say so, and unsuspending cards not suspended changes none:
    // browser_actions_show_in_rows_filters_facets_and_details (src-tauri/tests/ui_contract.rs).
    const rows = fiveRows();
    const done = (): boolean => backend.callsTo('card_action').length > 0;
    const backend: Scripted = browser(
      () => (done() ? withRows(rows, [1, 2, 3], { buried: true }) : rows),
      (q) => (is(q) ? ALL : undefined),
    ).reply('card_action', { action: 'bury', changed: 3 }, { action: 'unsuspend', changed: 0 });
    const { user } = await openBrowse(backend);
    await user.click(row(1));
    await shiftClick(user, row(3));
    const reads = backend.callsTo('browse_rows').length;
    await user.click(screen.getByTestId('browse-action-bury'));
    await waitFor(() => expect(text(row(3))).toContain('buried'));
    expect(actions(backend)).toEqual([{ action: { kind: 'bury' }, cardIds: [1, 2, 3] }]);
    expect(backend.callsTo('browse_rows').length).toBeGreaterThan(reads);
    expect(text(row(1))).toContain('buried');
    expect(text(row(4))).not.toContain('buried');
    expect(text(screen.getByTestId('browse-notice'))).toBe('3 cards changed · Ctrl+Z undoes it');

    // An action that changed no card says so.
    await user.click(screen.getByTestId('browse-action-unsuspend'));
    await waitFor(() => expect(text(screen.getByTestId('browse-notice'))).toBe('No card changed: they were already that way'));
    expect(actions(backend)[1]).toEqual({ action: { kind: 'unsuspend' }, cardIds: [1, 2, 3] });
  });

  it('Ctrl+A selects every card found; reset and set due act on all of them', async () => {
    // What set due and reset do (reset cards are new again, so they leave the "review" filter):
    // card_actions_change_cards_and_undo_restores_them_exactly (tests/scheduling.rs),
    // browser_actions_show_in_rows_filters_facets_and_details (src-tauri/tests/ui_contract.rs).
    const rows = fiveRows();
    const reset = (): boolean => backend.callsTo('card_action').length >= 2;
    const found = (q: BrowseQuery): number[] | undefined =>
      is(q) ? ALL : is(q, { state: 'review' }) ? (reset() ? [] : [3, 4, 5]) : undefined;
    const backend: Scripted = browser(() => rows, found).replyWith('card_action', (args) => acted(args, 3));
    const { user } = await openBrowse(backend);
    await user.selectOptions(screen.getByTestId('filter-state'), 'review');
    await waitFor(() => expect(rowIds()).toEqual([3, 4, 5]));
    await user.click(row(4));
    await user.keyboard('{Control>}a{/Control}');
    expect(selectedIds()).toEqual([3, 4, 5]);
    expect(text(screen.getByTestId('browse-selected'))).toBe('3 cards selected');

    await user.clear(screen.getByTestId('browse-due-days'));
    await user.type(screen.getByTestId('browse-due-days'), '7');
    await user.click(screen.getByTestId('browse-action-set-due'));
    await waitFor(() => expect(backend.callsTo('card_action')).toHaveLength(1));
    expect(actions(backend)[0]).toEqual({ action: { kind: 'set_due', days: 7 }, cardIds: [3, 4, 5] });
    await waitFor(() => expect(text(screen.getByTestId('browse-notice'))).toBe('3 cards changed · Ctrl+Z undoes it'));

    await user.click(screen.getByTestId('browse-action-reset'));
    await waitFor(() => expect(backend.callsTo('card_action')).toHaveLength(2));
    expect(actions(backend)[1]).toEqual({ action: { kind: 'reset' }, cardIds: [3, 4, 5] });
    // The query again, and what the core finds now.
    await waitFor(() => expect(text(screen.getByTestId('browse-count'))).toBe('0 cards'));
    expect(lastQuery(backend)).toEqual({ ...DEFAULT_QUERY, state: 'review' });
  });

  it("shows the backend's refusal beside the actions, and checks the days before sending", async () => {
    // A card gone meanwhile (its pack removed) is refused by name: a_bad_card_action_is_refused_whole_and_says_why
    // (tests/scheduling.rs); the core's words recorded by src-tauri/tests/recorded_replies.rs.
    const backend: Scripted = fiveCards().replyWith('card_action', () => {
      throw recorded.cardActionNotFound();
    });
    const { user } = await openBrowse(backend);
    await user.click(row(1));
    await user.click(screen.getByTestId('browse-action-suspend'));
    const error = await screen.findByTestId('browse-action-error');
    expect(text(error)).toBe(recorded.cardActionNotFound().message);
    expect(actions(backend)).toEqual([{ action: { kind: 'suspend' }, cardIds: [1] }]);
    expect(screen.queryByTestId('error')).toBeNull();

    await user.clear(screen.getByTestId('browse-due-days'));
    await user.type(screen.getByTestId('browse-due-days'), '1.5');
    await user.click(screen.getByTestId('browse-action-set-due'));
    await waitFor(() => expect(text(screen.getByTestId('browse-action-error'))).toBe('Choose a whole number of days from 0 (today) to 36,500.'));
    expect(backend.callsTo('card_action')).toHaveLength(1);
  });

  // The rule: a_bad_card_action_is_refused_whole_and_says_why (tests/scheduling.rs); the words are
  // the core's, recorded by src-tauri/tests/recorded_replies.rs.
  it("shows the core's refusal of a due date for a new card beside the actions, not as an error", async () => {
    const backend: Scripted = fiveCards().replyWith('card_action', () => {
      throw recorded.cardActionRefusal();
    });
    const { user } = await openBrowse(backend);
    await user.click(row(1));
    await user.click(screen.getByTestId('browse-action-set-due'));
    await waitFor(() => expect(actions(backend)).toEqual([{ action: { kind: 'set_due', days: 1 }, cardIds: [1] }]));
    const error = await screen.findByTestId('browse-action-error', {}, { timeout: 300 });
    expect(text(error)).toBe(recorded.cardActionRefusal().message);
    expect(text(error)).toMatch(/is new and has no schedule to move/);
    expect(screen.queryByTestId('error')).toBeNull();

    await user.clear(screen.getByTestId('browse-due-days'));
    await user.type(screen.getByTestId('browse-due-days'), '1.5');
    await user.click(screen.getByTestId('browse-action-set-due'));
    await waitFor(() => expect(text(screen.getByTestId('browse-action-error'))).toBe('Choose a whole number of days from 0 (today) to 36,500.'));
    expect(backend.callsTo('card_action')).toHaveLength(1);
  });

  it('tags the selected cards, and the new tag becomes a filter choice', async () => {
    // What tagging and untagging do to the cards' notes, in the facets and the card detail:
    // card_actions_change_cards_and_undo_restores_them_exactly (tests/scheduling.rs),
    // browser_actions_show_in_rows_filters_facets_and_details (src-tauri/tests/ui_contract.rs).
    const rows = fiveRows();
    const tagged = () => {
      const last = actions(backend).pop()?.action as CardAction | undefined;
      return last?.kind === 'tag' ? [last.tag] : [];
    };
    const backend: Scripted = fiveCards()
      .replyWith('card_action', (args) => acted(args, 2))
      .replyWith('browse_facets', () => ({ ...recorded.facets(), tags: tagged() }))
      .replyWith('get_card_detail', (args) => {
        const id = Number(args.cardId);
        return detailOf(rows.find((r) => r.card_id === id)!, { tags: [3, 4].includes(id) ? tagged() : [] });
      });
    const { user } = await openBrowse(backend);
    await user.click(row(3));
    await shiftClick(user, row(4));

    await user.type(screen.getByTestId('browse-tag-input'), 'two words');
    await user.click(screen.getByTestId('browse-action-tag'));
    expect(text(await screen.findByTestId('browse-action-error'))).toBe(
      '“two words” is not a tag: use one word of letters, digits, -, _, : or / (at most 60).',
    );
    expect(backend.callsTo('card_action')).toHaveLength(0);

    await user.clear(screen.getByTestId('browse-tag-input'));
    await user.type(screen.getByTestId('browse-tag-input'), 'k8s/tricky{Enter}');
    await waitFor(() => expect(backend.callsTo('card_action')).toHaveLength(1));
    expect(actions(backend)[0]).toEqual({ action: { kind: 'tag', tag: 'k8s/tricky' }, cardIds: [3, 4] });
    await waitFor(() => expect(text(screen.getByTestId('browse-notice'))).toBe('Tagged 2 cards “k8s/tricky” · Ctrl+Z undoes it'));
    expect(screen.queryByTestId('browse-action-error')).toBeNull();
    await waitFor(() => expect(within(screen.getByTestId('filter-tag')).getByRole('option', { name: 'k8s/tricky' })).toBeTruthy());
    // The detail pane shows the focused card's new tag, read again after the action.
    await waitFor(() => expect(text(screen.getByTestId('detail-tags'))).toBe('k8s/tricky'));
    expect(backend.callsTo('get_card_detail').pop()?.args).toEqual({ cardId: 4 });

    // The same tag comes off again with Remove tag.
    await user.click(screen.getByTestId('browse-action-untag'));
    await waitFor(() => expect(backend.callsTo('card_action')).toHaveLength(2));
    expect(actions(backend)[1]).toEqual({ action: { kind: 'untag', tag: 'k8s/tricky' }, cardIds: [3, 4] });
    await waitFor(() =>
      expect(text(screen.getByTestId('browse-notice'))).toBe('Removed “k8s/tricky” from 2 cards · Ctrl+Z undoes it'),
    );
    await waitFor(() => expect(text(screen.getByTestId('detail-tags'))).toBe('No tags'));
    expect(within(screen.getByTestId('filter-tag')).queryByRole('option', { name: 'k8s/tricky' })).toBeNull();
  });

  it('Ctrl+Z undoes the last action and refreshes the list', async () => {
    // Undo of an action on several cards is one step, and restores them:
    // card_actions_change_cards_and_undo_restores_them_exactly (tests/scheduling.rs).
    const rows = fiveRows();
    const suspended = (): boolean => backend.callsTo('card_action').length > 0 && backend.callsTo('undo').length === 0;
    const backend: Scripted = browser(
      () => (suspended() ? withRows(rows, [1, 5], { suspended: true }) : rows),
      (q) => (is(q) ? ALL : undefined),
    )
      .replyWith('card_action', (args) => acted(args, 2))
      .reply('undo', undone('suspend', null, { cards: 2 }), null);
    const { user } = await openBrowse(backend);
    await user.click(row(1));
    await ctrlClick(user, row(5));
    await user.click(screen.getByTestId('browse-action-suspend'));
    await waitFor(() => expect(text(row(5))).toContain('suspended'));
    expect(actions(backend)).toEqual([{ action: { kind: 'suspend' }, cardIds: [1, 5] }]);

    // The focus is on the button just pressed, not in a text field: Ctrl+Z is the browser's.
    const queried = backend.callsTo('browse_cards').length;
    await user.keyboard('{Control>}z{/Control}');
    await waitFor(() => expect(text(screen.getByTestId('browse-notice'))).toBe('Suspension undone (2 cards)'));
    expect(backend.callsTo('undo')).toHaveLength(1);
    await waitFor(() => expect(text(row(5))).not.toContain('suspended'));
    expect(text(row(1))).not.toContain('suspended');
    expect(backend.callsTo('browse_cards').length).toBe(queried + 1);

    await user.keyboard('{Control>}z{/Control}');
    await waitFor(() => expect(text(screen.getByTestId('browse-notice'))).toBe('Nothing to undo'));
    expect(backend.callsTo('undo')).toHaveLength(2);
  });

  it('Ctrl+Z in the search box is the text field’s own undo', async () => {
    const { user, backend } = await openBrowse(fiveCards());
    await user.click(screen.getByTestId('browse-search'));
    await user.keyboard('{Control>}z{/Control}');
    await new Promise((go) => setTimeout(go, 50));
    expect(backend.callsTo('undo')).toHaveLength(0);
  });
});

describe('Browse: keyboard', () => {
  it('↑ and ↓ move the selection, Shift extends it, and the detail pane follows', async () => {
    const { user, backend } = await openBrowse(fiveCards());
    screen.getByTestId('browse-grid').focus();

    await user.keyboard('{ArrowDown}');
    expect(selectedIds()).toEqual([1]);
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(selectedIds()).toEqual([3]);
    await waitFor(() => expect(text(screen.getByTestId('detail-prompt'))).toBe('What does kube-proxy do?'));
    await user.keyboard('{ArrowUp}');
    expect(selectedIds()).toEqual([2]);
    await user.keyboard('{Shift>}{ArrowDown}{ArrowDown}{/Shift}');
    expect(selectedIds()).toEqual([2, 3, 4]);
    expect(screen.getByTestId('browse-grid').getAttribute('aria-activedescendant')).toBe('browse-row-4');
    await user.keyboard('{End}');
    expect(selectedIds()).toEqual([5]);
    await user.keyboard('{Home}');
    expect(selectedIds()).toEqual([1]);
    await waitFor(() => expect(text(screen.getByTestId('detail-prompt'))).toBe('What is a Pod?'));
    const details = backend.callsTo('get_card_detail');
    expect(details[details.length - 1].args).toEqual({ cardId: 1 });

    // `/` goes back to the search box, and ↓ from there into the list.
    await user.keyboard('/');
    expect(document.activeElement).toBe(screen.getByTestId('browse-search'));
    expect(screen.getByTestId('browse')).toBeTruthy();
  });

  it('Escape goes back to Today, from the browser as from statistics', async () => {
    const { user } = await openBrowse(fiveCards());
    expect(screen.getByTestId('nav-browse').classList.contains('active')).toBe(true);
    await user.keyboard('{Escape}');
    await screen.findByTestId('today');
    await user.click(screen.getByTestId('nav-stats'));
    await screen.findByTestId('stats');
    await user.keyboard('{Escape}');
    await screen.findByTestId('today');
    expect(screen.queryByTestId('stats')).toBeNull();
  });

  it('moving down past the rows in view scrolls the list to keep the selection in sight', async () => {
    const { user } = await openBrowse(manyCards(500));
    const grid = screen.getByTestId('browse-grid');
    grid.focus();
    await user.keyboard('{ArrowDown}');
    await user.keyboard('{PageDown}{PageDown}{PageDown}');
    // 480px less the header is 10 rows a page: row 31 is selected, and scrolled to.
    expect(selectedIds()).toEqual([31]);
    expect(grid.scrollTop).toBe(31 * 44 - (480 - 36));
    await waitFor(() => expect(rowIds()).toContain(31));
  });
});

/** The detail pane's memory state, term by term. */
function memoryOf(pane: HTMLElement): Record<string, string> {
  const pairs = [...within(pane).getByTestId('detail-memory').querySelectorAll('div')].map((d) => [
    text(d.querySelector('dt')),
    text(d.querySelector('dd')),
  ]);
  return Object.fromEntries(pairs);
}

describe('Browse: the card detail pane', () => {
  it("shows the focused card's content, tags, memory and its review history as a timeline", async () => {
    const rows = fiveRows();
    rows[3] = { ...rows[3], stability: 14.2, difficulty: 3.4, due: inDays(12), interval_days: 12, lapses: 1, reviews: 4 };
    const reviews = [
      makeReview('2026-10-01', 'good', { state_before: 'new', interval_days: 1, elapsed_days: 0, stability_after: 2.3 }),
      makeReview('2026-10-02', 'again', { interval_days: 10 / 1440, elapsed_days: 1, stability_after: 0.8 }),
      makeReview('2026-10-03', 'hard', { interval_days: 2, elapsed_days: 1, stability_after: 1.9 }),
      makeReview('2026-10-05', 'easy', { interval_days: 12, elapsed_days: 2, stability_after: 14.2 }),
    ];
    // The core sends a note's tags sorted: browser_actions_show_in_rows_filters_facets_and_details
    // (src-tauri/tests/ui_contract.rs).
    const dns = detailOf(rows[3], {
      tags: ['leech', 'network'],
      reviews,
      prompt_html: '<p>What is <b>DNS</b>?</p>',
      answer_html: '<p>Names → <i>addresses</i></p>',
    });
    const backend: Scripted = browser(
      () => rows,
      (q) => (is(q) ? ALL : undefined),
    ).replyWith('get_card_detail', (args) => (args.cardId === 4 ? dns : detailOf(rows.find((r) => r.card_id === args.cardId)!)));
    const { user } = await openBrowse(backend);
    expect(text(screen.getByTestId('card-detail'))).toMatch(/Select a card/);

    await user.click(row(4));
    const pane = screen.getByTestId('card-detail');
    await waitFor(() => expect(text(within(pane).getByTestId('detail-prompt'))).toBe('What is DNS?'));
    expect(within(pane).getByTestId('detail-prompt').querySelector('b')?.textContent).toBe('DNS');
    expect(within(pane).getByTestId('detail-answer').querySelector('i')?.textContent).toBe('addresses');
    expect([...within(pane).getByTestId('detail-tags').querySelectorAll('li')].map((li) => text(li))).toEqual(['leech', 'network']);
    const memory = memoryOf(pane);
    expect(memory).toMatchObject({
      State: 'Review',
      Stability: '14.2d',
      Difficulty: '3.4 / 10',
      Retrievability: '87%',
      Interval: '12d',
      Reviews: '4',
      Lapses: '1',
    });
    expect(memory.Due).toMatch(/\(in 12d\)$/);

    const timeline = within(pane).getByTestId('review-timeline');
    const entries = within(timeline).getAllByTestId('timeline-entry');
    expect(entries.map((e) => e.getAttribute('data-rating'))).toEqual(['good', 'again', 'hard', 'easy']);
    expect(entries.map((e) => text(e.querySelector('.rating')))).toEqual(['Good', 'Again', 'Hard', 'Easy']);
    expect(entries[1].classList.contains('again')).toBe(true);
    expect(text(entries[1].querySelector('.facts'))).toBe('interval 10m · after 1 day · stability 19h');
    expect(text(entries[3].querySelector('.facts'))).toBe('interval 12d · after 2 days · stability 14.2d');
    expect(entries[0].querySelector('time')?.getAttribute('datetime')).toBe('2026-10-01T10:00:00Z');
    expect(backend.callsTo('get_card_detail').map((c) => c.args)).toEqual([{ cardId: 4 }]);

    // A new card: no memory yet, no history.
    await user.click(row(1));
    await waitFor(() => expect(text(within(pane).getByTestId('detail-prompt'))).toBe('What is a Pod?'));
    expect(memoryOf(pane)).toMatchObject({ State: 'New', Stability: '—', Difficulty: '—', Retrievability: '—', Due: '—', Reviews: '0' });
    expect(text(within(pane).getByTestId('review-timeline-empty'))).toBe('Not reviewed yet.');
    expect(within(pane).queryByTestId('timeline-entry')).toBeNull();
  });
});
