import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import App from './App.svelte';
import type { BrowseQuery } from './lib/bindings';
import { FakeBackend, PACK, TODAY, addDays, makeCard, makePack, makeReview, type FakeCard } from './test/fakeBackend';

type User = ReturnType<typeof userEvent.setup>;

/** Opens the browser over these cards (after `configure`), once its first rows are shown. */
async function openBrowse(cards: FakeCard[], configure: (backend: FakeBackend) => void = () => {}) {
  const backend = new FakeBackend(cards);
  configure(backend);
  const user = userEvent.setup();
  render(App);
  await screen.findByTestId('today');
  await user.click(screen.getByTestId('nav-browse'));
  await screen.findByTestId('browse');
  if (backend.queue.length + backend.history.length + backend.aside.size > 0) await rowsLoaded();
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

function queries(backend: FakeBackend): BrowseQuery[] {
  return backend.callsTo('browse_cards').map((c) => c.args.query as BrowseQuery);
}

function lastQuery(backend: FakeBackend): BrowseQuery {
  const all = queries(backend);
  return all[all.length - 1];
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

/** Five cards: two new, three in review with different schedules. */
function fiveCards(): FakeCard[] {
  return [
    { ...makeCard(1), prompt: 'What is a Pod?', answer: 'The smallest deployable unit' },
    { ...makeCard(2), prompt: 'What is a Service?', answer: 'A stable address for Pods' },
    { ...makeCard(3, 'review'), prompt: 'What does kube-proxy do?', answer: 'Programs Service routing' },
    { ...makeCard(4, 'review'), prompt: 'What is DNS?', answer: 'Names to addresses' },
    { ...makeCard(5, 'review'), prompt: 'What is a Deployment?', answer: 'Manages ReplicaSets' },
  ];
}

function schedules(b: FakeBackend) {
  b.setMeta(3, { due: `${addDays(TODAY, 5)}T09:00:00Z`, interval_days: 5, stability: 6, difficulty: 7, lapses: 2 });
  b.setMeta(4, { due: `${addDays(TODAY, -3)}T09:00:00Z`, interval_days: 12, stability: 14, difficulty: 3, lapses: 0 });
  b.setMeta(5, { due: `${addDays(TODAY, 1)}T09:00:00Z`, interval_days: 2, stability: 2, difficulty: 5, lapses: 5 });
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
    expect(text(row(1))).toContain('What is a Pod?');
    expect(text(row(1))).toContain('The smallest deployable unit');
    expect(document.activeElement).toBe(screen.getByTestId('browse-search'));
  });

  it('searches as you type, once typing pauses, and counts what it found', async () => {
    const { user, backend } = await openBrowse(fiveCards());

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
    const { user } = await openBrowse(fiveCards());
    await user.type(screen.getByTestId('browse-search'), 'zzz');
    await waitFor(() => expect(text(screen.getByTestId('browse-count'))).toBe('0 cards'));
    expect(text(screen.getByTestId('browse-empty'))).toBe('No cards match; try fewer words or filters.');
    expect(screen.queryAllByTestId('browse-row')).toHaveLength(0);
  });
});

describe('Browse: sorting and filters', () => {
  it('a column header sorts by it, ascending then descending on a second click, and shows which', async () => {
    const { user, backend } = await openBrowse(fiveCards(), schedules);
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
    // New cards have no due date: last either way.
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
    const { user, backend } = await openBrowse(fiveCards(), (b) => {
      schedules(b);
      b.packs = [makePack(PACK, 'Test pack', 3, 3), makePack('net', 'Networking', 2, 2)];
      b.setMeta(4, { due: `${addDays(TODAY, -3)}T09:00:00Z`, pack: 'net', area: 'DNS', tags: ['leech', 'tricky'], lessons: ['dns-basics'] });
      b.setMeta(2, { pack: 'net', area: 'Services', tags: ['tricky'] });
    });
    await waitFor(() => expect(screen.getByTestId<HTMLSelectElement>('filter-pack').options).toHaveLength(3));

    await user.selectOptions(screen.getByTestId('filter-state'), 'review');
    // In the packs' order: "net" before "test.pack".
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
    await user.selectOptions(screen.getByTestId('filter-lesson'), 'Dns basics');
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

  it('due today takes studied cards due by the end of today, overdue ones included', async () => {
    const { user, backend } = await openBrowse(fiveCards(), schedules);
    await user.selectOptions(screen.getByTestId('filter-due'), 'today');
    await waitFor(() => expect(rowIds()).toEqual([4]));
    expect(lastQuery(backend).due).toBe('today');
    await user.selectOptions(screen.getByTestId('filter-suspended'), 'Suspended');
    await waitFor(() => expect(text(screen.getByTestId('browse-count'))).toBe('0 cards'));
    expect(lastQuery(backend)).toEqual({ ...DEFAULT_QUERY, due: 'today', suspended: true });
  });
});

describe('Browse: a virtualized list', () => {
  it('over 100k cards, reads only the pages in view and renders a bounded number of rows', async () => {
    const { backend } = await openBrowse([], (b) => b.addCards(100_000));
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
    const { user, backend } = await openBrowse(fiveCards());
    expect(screen.getByTestId<HTMLButtonElement>('browse-action-suspend').disabled).toBe(true);
    await user.selectOptions(screen.getByTestId('filter-suspended'), 'Not suspended');
    await waitFor(() => expect(lastQuery(backend).suspended).toBe(false));

    await user.click(row(2));
    await ctrlClick(user, row(4));
    const before = backend.callsTo('browse_cards').length;
    await user.click(screen.getByTestId('browse-action-suspend'));

    await waitFor(() => expect(text(screen.getByTestId('browse-notice'))).toBe('2 cards changed · Ctrl+Z undoes it'));
    expect(backend.callsTo('card_action').map((c) => c.args)).toEqual([{ action: { kind: 'suspend' }, cardIds: [2, 4] }]);
    expect([backend.placeOf(2), backend.placeOf(4)]).toEqual(['suspended', 'suspended']);
    // Suspended, they leave the filter.
    await waitFor(() => expect(rowIds()).toEqual([1, 3, 5]));
    expect(backend.callsTo('browse_cards').length).toBe(before + 1);
    expect(text(screen.getByTestId('browse-count'))).toBe('3 cards');
    expect(text(screen.getByTestId('browse-selected'))).toBe('0 cards selected');
  });

  it('re-reads the rows in view after an action, showing what changed', async () => {
    const { user, backend } = await openBrowse(fiveCards());
    await user.click(row(1));
    await shiftClick(user, row(3));
    await user.click(screen.getByTestId('browse-action-bury'));
    await waitFor(() => expect(text(row(3))).toContain('buried'));
    expect(backend.callsTo('card_action').map((c) => c.args)).toEqual([{ action: { kind: 'bury' }, cardIds: [1, 2, 3] }]);
    expect(text(row(1))).toContain('buried');
    expect(text(row(4))).not.toContain('buried');
    expect(text(screen.getByTestId('browse-notice'))).toBe('3 cards changed · Ctrl+Z undoes it');

    // Unsuspend of cards not suspended changes nothing, and says so.
    await user.click(screen.getByTestId('browse-action-unsuspend'));
    await waitFor(() => expect(text(screen.getByTestId('browse-notice'))).toBe('No card changed: they were already that way'));
  });

  it('Ctrl+A selects every card found; reset and set due act on all of them', async () => {
    const { user, backend } = await openBrowse(fiveCards());
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
    expect(backend.callsTo('card_action')[0].args).toEqual({ action: { kind: 'set_due', days: 7 }, cardIds: [3, 4, 5] });
    await waitFor(() => expect(text(screen.getByTestId('browse-notice'))).toBe('3 cards changed · Ctrl+Z undoes it'));

    await user.click(screen.getByTestId('browse-action-reset'));
    await waitFor(() => expect(backend.callsTo('card_action')).toHaveLength(2));
    expect(backend.callsTo('card_action')[1].args).toEqual({ action: { kind: 'reset' }, cardIds: [3, 4, 5] });
    // Reset to new, they leave the "review" filter.
    await waitFor(() => expect(text(screen.getByTestId('browse-count'))).toBe('0 cards'));
  });

  it("shows the backend's refusal beside the actions, and checks the days before sending", async () => {
    const { user, backend } = await openBrowse(fiveCards());
    await user.click(row(1));
    await user.click(screen.getByTestId('browse-action-set-due'));
    const error = await screen.findByTestId('browse-action-error');
    expect(text(error)).toMatch(/^card 1 is new and has no schedule to move/);
    expect(screen.queryByTestId('error')).toBeNull();

    await user.clear(screen.getByTestId('browse-due-days'));
    await user.type(screen.getByTestId('browse-due-days'), '1.5');
    await user.click(screen.getByTestId('browse-action-set-due'));
    await waitFor(() => expect(text(screen.getByTestId('browse-action-error'))).toBe('Choose a whole number of days from 0 (today) to 36,500.'));
    expect(backend.callsTo('card_action')).toHaveLength(1);
  });

  it('tags the selected cards, and the new tag becomes a filter choice', async () => {
    const { user, backend } = await openBrowse(fiveCards());
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
    expect(backend.callsTo('card_action')[0].args).toEqual({ action: { kind: 'tag', tag: 'k8s/tricky' }, cardIds: [3, 4] });
    await waitFor(() => expect(text(screen.getByTestId('browse-notice'))).toBe('Tagged 2 cards “k8s/tricky” · Ctrl+Z undoes it'));
    expect(screen.queryByTestId('browse-action-error')).toBeNull();
    expect(backend.metaOf(backend.queue.find((c) => c.card_id === 3)!).tags).toEqual(['k8s/tricky']);
    await waitFor(() => expect(within(screen.getByTestId('filter-tag')).getByRole('option', { name: 'k8s/tricky' })).toBeTruthy());
    // The detail pane shows the focused card's new tag.
    await waitFor(() => expect(text(screen.getByTestId('detail-tags'))).toBe('k8s/tricky'));

    // The same tag comes off again with Remove tag.
    await user.click(screen.getByTestId('browse-action-untag'));
    await waitFor(() => expect(backend.callsTo('card_action')).toHaveLength(2));
    expect(backend.callsTo('card_action')[1].args).toEqual({ action: { kind: 'untag', tag: 'k8s/tricky' }, cardIds: [3, 4] });
    await waitFor(() =>
      expect(text(screen.getByTestId('browse-notice'))).toBe('Removed “k8s/tricky” from 2 cards · Ctrl+Z undoes it'),
    );
    expect(backend.metaOf(backend.queue.find((c) => c.card_id === 3)!).tags).toEqual([]);
  });

  it('Ctrl+Z undoes the last action and refreshes the list', async () => {
    const { user, backend } = await openBrowse(fiveCards());
    await user.click(row(1));
    await ctrlClick(user, row(5));
    await user.click(screen.getByTestId('browse-action-suspend'));
    await waitFor(() => expect(text(row(5))).toContain('suspended'));

    // The focus is on the button just pressed, not in a text field: Ctrl+Z is the browser's.
    await user.keyboard('{Control>}z{/Control}');
    await waitFor(() => expect(text(screen.getByTestId('browse-notice'))).toBe('Suspension undone (2 cards)'));
    expect(backend.callsTo('undo')).toHaveLength(1);
    expect([backend.placeOf(1), backend.placeOf(5)]).toEqual(['queue', 'queue']);
    await waitFor(() => expect(text(row(5))).not.toContain('suspended'));
    expect(text(row(1))).not.toContain('suspended');

    await user.keyboard('{Control>}z{/Control}');
    await waitFor(() => expect(text(screen.getByTestId('browse-notice'))).toBe('Nothing to undo'));
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
    const { user } = await openBrowse([], (b) => b.addCards(500));
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
    const { user, backend } = await openBrowse(fiveCards(), (b) => {
      b.queue[3] = { ...b.queue[3], prompt_html: '<p>What is <b>DNS</b>?</p>', answer_html: '<p>Names → <i>addresses</i></p>' };
      b.setMeta(4, {
        tags: ['network', 'leech'],
        stability: 14.2,
        difficulty: 3.4,
        due: `${addDays(TODAY, 12)}T09:00:00Z`,
        interval_days: 12,
        lapses: 1,
        reviews: [
          makeReview('2026-10-01', 'good', { state_before: 'new', interval_days: 1, elapsed_days: 0, stability_after: 2.3 }),
          makeReview('2026-10-02', 'again', { interval_days: 10 / 1440, elapsed_days: 1, stability_after: 0.8 }),
          makeReview('2026-10-03', 'hard', { interval_days: 2, elapsed_days: 1, stability_after: 1.9 }),
          makeReview('2026-10-05', 'easy', { interval_days: 12, elapsed_days: 2, stability_after: 14.2 }),
        ],
      });
    });
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
