import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import App from './App.svelte';
import type { Status, StudyCard } from './lib/bindings';
import { now, setClock } from './lib/clock';
import { recorded } from './test/recorded';
import { NOW, Scripted, answeredAsAsked, makeCard, undone } from './test/scripted';

function setup(backend: Scripted) {
  const user = userEvent.setup();
  render(App);
  return { user, backend };
}

/** get_status's reply with these counts. */
function status(fields: Partial<Status>): Status {
  return { ...recorded.status(), ...fields };
}

/** The cards of a review, each with the counts next_card gives with it (new, learning, review),
 *  then null: nothing left. Answers are recorded as asked. That an answer moves the core on and
 *  its counts down: an_answer_moves_on_and_the_next_card_counts_it (src-tauri/tests/ui_contract.rs). */
function review(...cards: [StudyCard, number, number, number][]): Scripted {
  const shown = cards.map(([card, n, learning, r]) => ({ ...card, counts: { new: n, learning, review: r } }));
  return new Scripted().reply('next_card', ...shown, null).replyWith('answer_card', answeredAsAsked);
}

/** From Today, press Enter and wait until the first prompt is on screen. */
async function startReview(user: ReturnType<typeof userEvent.setup>) {
  await waitFor(() => expect(screen.getByTestId<HTMLButtonElement>('start-review').disabled).toBe(false));
  await user.keyboard('{Enter}');
  await screen.findByTestId('prompt');
}

describe('Welcome', () => {
  it('greets a newcomer on Today with what the counts mean, the keys, and two ways in', async () => {
    // A fresh collection: cards to learn, none studied, so none has a due date.
    const { user } = setup(new Scripted().reply('get_status', status({ new: 20, learning: 0, review: 0, next_due: null })));
    const welcome = await screen.findByTestId('welcome');
    expect(welcome.textContent).toContain('New');
    expect(welcome.textContent).toContain('Learning');
    expect(welcome.textContent).toContain('Review');
    expect(welcome.querySelectorAll('kbd').length).toBeGreaterThan(3);
    await user.click(screen.getByTestId('welcome-lesson'));
    await screen.findByTestId('library');
    await user.click(screen.getByTestId('nav-today'));
    // Still a newcomer: it is offered again until closed.
    await user.click(await screen.findByTestId('welcome-close'));
    expect(screen.queryByTestId('welcome')).toBeNull();
    await user.click(screen.getByTestId('nav-stats'));
    await user.click(screen.getByTestId('nav-today'));
    await screen.findByTestId('today');
    expect(screen.queryByTestId('welcome')).toBeNull();
  });

  it('asks which areas to learn and switches one off and on, saying what was studied in it', async () => {
    const areas = recorded.curriculum();
    expect(areas.length).toBeGreaterThan(1);
    const [first, second] = areas;
    let enabled = Object.fromEntries(areas.map((a) => [a.pack, true]));
    const backend = new Scripted()
      .reply('get_status', status({ new: 20, learning: 0, review: 0, next_due: null }))
      .replyWith('get_curriculum', () =>
        areas.map((a) => ({ ...a, enabled: enabled[a.pack], studied: a.pack === second.pack ? 4 : 0 })),
      )
      .replyWith('set_pack_enabled', (a) => {
        enabled = { ...enabled, [String(a.id)]: Boolean(a.enabled) };
        return null;
      });
    const { user } = setup(backend);
    const picker = await screen.findByTestId('area-picker');
    expect(picker.querySelector('legend')?.textContent).toBe('What do you want to learn?');
    await waitFor(() => expect(screen.getAllByTestId('area-choice')).toHaveLength(areas.length));
    const box = (pack: string) =>
      screen.getAllByTestId('area-choice').find((a) => a.dataset.packId === pack)!.querySelector('input')!;
    expect(screen.getAllByTestId('area-choice')[0].textContent).toContain(first.name);
    expect(screen.getAllByTestId('area-choice')[0].textContent).toContain(`${first.lessons} lessons · ${first.terms} terms`);
    expect(screen.getAllByTestId('area-choice')[1].textContent).toContain('4 studied');
    expect(areas.every((a) => box(a.pack).checked)).toBe(true);

    await user.click(box(second.pack));
    expect(backend.callsTo('set_pack_enabled').slice(-1)[0]?.args).toEqual({ id: second.pack, enabled: false });
    await waitFor(() => expect(box(second.pack).checked).toBe(false));
    expect(box(first.pack).checked).toBe(true);
    // Enter on a checkbox does not start the review behind the welcome.
    box(first.pack).focus();
    await user.keyboard('{Enter}');
    expect(screen.queryByTestId('prompt')).toBeNull();
    await user.click(box(second.pack));
    await waitFor(() => expect(box(second.pack).checked).toBe(true));
    expect(backend.callsTo('set_pack_enabled').slice(-1)[0]?.args).toEqual({ id: second.pack, enabled: true });
  });

  it('says so when every area is switched off', async () => {
    const areas = recorded.curriculum().map((a) => ({ ...a, enabled: false }));
    setup(new Scripted().reply('get_status', status({ new: 0, next_due: null })).reply('get_curriculum', areas));
    await screen.findByTestId('area-picker');
    expect(await screen.findByText(/Choose at least one area/)).toBeTruthy();
  });

  it('goes straight to review, and is not shown once a card has been studied', async () => {
    const backend = review([makeCard(1), 1, 0, 0]).reply(
      'get_status',
      status({ new: 1, next_due: null }),
      status({ new: 0, learning: 1, next_due: '2026-12-05T12:10:00Z' }),
    );
    const { user } = setup(backend);
    await user.click(await screen.findByTestId('welcome-review'));
    await screen.findByTestId('prompt');
    await user.keyboard('{Escape}');
    await screen.findByTestId('today');
    await waitFor(() => expect(screen.queryByTestId('welcome')).toBeNull());
  });
});

describe('Today', () => {
  it("writes a big collection's total as the learner's locale groups digits", async () => {
    setup(new Scripted().reply('get_status', status({ total_cards: 101084 })));
    const total = await screen.findByTestId('total-cards');
    expect(total.textContent).toBe((101084).toLocaleString());
  });

  it('shows the due counts and total, and Enter starts a review', async () => {
    const { user } = setup(
      new Scripted()
        .reply('get_status', status({ new: 2, learning: 1, review: 1, total_cards: 4 }))
        .reply('next_card', makeCard(1)),
    );

    expect((await screen.findByTestId('count-new')).textContent).toBe('2');
    expect(screen.getByTestId('count-learning').textContent).toBe('1');
    expect(screen.getByTestId('count-review').textContent).toBe('1');
    expect(screen.getByTestId('total-cards').textContent).toBe('4');
    expect(screen.queryByText(/all caught up/i)).toBeNull();

    await startReview(user);
    expect(screen.getByTestId('review')).toBeTruthy();
    expect(screen.queryByTestId('today')).toBeNull();
  });

  it('disables Start review and says all caught up when nothing is due', async () => {
    const backend = new Scripted().reply('get_status', status({ new: 0, total_cards: 0, next_due: 'in a while' }));
    const { user } = setup(backend);

    expect((await screen.findByTestId('count-new')).textContent).toBe('0');
    const start = screen.getByTestId<HTMLButtonElement>('start-review');
    expect(start.disabled).toBe(true);
    expect(screen.getByText(/all caught up/i).textContent).toContain('in a while');

    await user.keyboard('{Enter}');
    expect(screen.getByTestId('today')).toBeTruthy();
    expect(backend.callsTo('next_card')).toHaveLength(0);
  });

  it('refreshes the counts when the window regains focus', async () => {
    // A learning card falls due while the window was in the background.
    const backend = new Scripted().reply('get_status', status({ learning: 0 }), status({ learning: 1 }));
    setup(backend);
    expect((await screen.findByTestId('count-learning')).textContent).toBe('0');

    window.dispatchEvent(new FocusEvent('focus'));
    await waitFor(() => expect(screen.getByTestId('count-learning').textContent).toBe('1'));
    expect(backend.callsTo('get_status')).toHaveLength(2);
  });
});

describe('The clock', () => {
  it("takes the backend's now at start, so dates agree with the day the core schedules by", async () => {
    const backend = new Scripted();
    setClock(null);
    setup(backend);
    await waitFor(() => expect(backend.callsTo('get_clock')).toHaveLength(1));
    await waitFor(() => expect(now().toISOString()).toBe(new Date(NOW).toISOString()));
  });
});

describe('The window at start', () => {
  it('is shown once Today is drawn with its counts, then the other screens load', async () => {
    // What the page shows when it asks for the window.
    let shownCount: string | null | undefined;
    const backend = new Scripted().replyWith('show_window', () => {
      shownCount = screen.queryByTestId('count-new')?.textContent;
      return null;
    });
    setup(backend);
    await waitFor(() => expect(backend.callsTo('show_window')).toHaveLength(1));
    expect(shownCount).toBe(String(recorded.status().new));
    const order = backend.calls.map((c) => c.cmd);
    expect(order.indexOf('show_window')).toBeGreaterThan(order.indexOf('get_status'));
  });

  it('is shown at once while the collection is upgraded, saying so, and Today follows when it is done', async () => {
    const upgrade = { from: 22, to: 23 };
    let shownWith: string | null | undefined;
    let upgraded = false;
    let asked = 0;
    const backend = new Scripted()
      .replyWith('get_upgrade', () => {
        // Done at the third question.
        asked += 1;
        upgraded = asked >= 3;
        return upgraded ? null : upgrade;
      })
      .replyWith('get_status', () => {
        if (!upgraded) throw { code: 'database', message: 'the collection is being upgraded' };
        return recorded.status();
      })
      .replyWith('show_window', () => {
        shownWith = screen.queryByTestId('upgrading')?.textContent;
        return null;
      });
    setup(backend);
    await waitFor(() => expect(backend.callsTo('show_window')).toHaveLength(1));
    expect(shownWith).toContain('Upgrading your collection');
    // The refusal of the counts while it is upgraded is no error shown; no section can be opened.
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByTestId('nav-browse')).toBeNull();
    const count = await screen.findByTestId('count-new', {}, { timeout: 3000 });
    expect(count.textContent).toBe(String(recorded.status().new));
    expect(backend.callsTo('get_upgrade')).toHaveLength(3);
    expect(screen.queryByTestId('upgrading')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByTestId('nav-browse')).toBeTruthy();
  });

  it('is shown even when the counts cannot be read, with the error on it', async () => {
    const backend = new Scripted().replyWith('get_status', () => {
      throw { code: 'database', message: 'disk on fire' };
    });
    setup(backend);
    await waitFor(() => expect(backend.callsTo('show_window')).toHaveLength(1));
    expect((await screen.findByRole('alert')).textContent).toContain('disk on fire');
  });
});

describe('Backlog on Today', () => {
  it('says how many cards are overdue and leads to catching up in Settings', async () => {
    // What the core says before and after the spread (a_backlog_is_spread_over_days_and_undone in
    // src-tauri/tests/ui_contract.rs): nothing overdue any more, and new cards paused.
    const backend: Scripted = new Scripted()
      .replyWith('get_backlog', () =>
        backend.callsTo('spread_backlog').length === 0
          ? { overdue: 40, new_paused_until: null }
          : { overdue: 0, new_paused_until: '2026-12-02' },
      )
      .reply('spread_backlog', { cards: 40, days: 7, new_paused_until: '2026-12-02' });
    const { user } = setup(backend);

    const hint = await screen.findByTestId('backlog-hint');
    expect(hint.textContent?.replace(/\s+/g, ' ').trim()).toBe('40 review cards are overdue from missed days. Catch up…');
    expect(screen.queryByTestId('new-paused')).toBeNull();
    await user.click(screen.getByTestId('catch-up'));
    const days = await screen.findByLabelText('Spread over');
    await waitFor(() => expect(document.activeElement).toBe(days));
    await user.click(screen.getByTestId('spread'));
    await screen.findByTestId('spread-result');
    expect(backend.callsTo('spread_backlog').map((c) => c.args)).toEqual([{ days: 7 }]);

    // Back on Today: nothing overdue any more, and new cards wait.
    await user.click(screen.getByTestId('nav-today'));
    const paused = await screen.findByTestId('new-paused');
    expect(paused.textContent).toMatch(/New cards are paused until 2026-12-02 while you catch up\./);
    expect(screen.queryByTestId('backlog-hint')).toBeNull();
  });
});

describe('Review', () => {
  it('reveals on Space and rates Good with key 3, sending the answer and moving on', async () => {
    const { user, backend } = setup(review([makeCard(1), 1, 0, 1], [makeCard(2, 'review'), 0, 0, 1]));
    await startReview(user);

    expect(screen.getByTestId('prompt').textContent).toBe('Prompt 1');
    expect(screen.getByTestId('card-state').textContent).toBe('new');
    expect(screen.getByTestId('progress').textContent).toContain('0 reviewed · 1 new · 0 learning · 1 review');
    expect(screen.queryByTestId('answer')).toBeNull();

    await user.keyboard(' ');
    const answer = screen.getByTestId('answer');
    expect(answer.textContent).toContain('Answer 1');
    expect(answer.textContent).toContain('Detail 1');
    // The detail arrives as sanitized HTML and is rendered as markup, not shown as text.
    expect(screen.getByTestId('detail').querySelector('code')?.textContent).toBe('1');
    expect(screen.getByTestId('interval-again').textContent).toBe('1m');
    expect(screen.getByTestId('interval-hard').textContent).toBe('10m');
    expect(screen.getByTestId('interval-good').textContent).toBe('1d');
    expect(screen.getByTestId('interval-easy').textContent).toBe('3d');

    await user.keyboard('3');
    await waitFor(() => expect(screen.getByTestId('prompt').textContent).toBe('Prompt 2'));

    const answers = backend.callsTo('answer_card');
    expect(answers).toHaveLength(1);
    expect(answers[0].args).toEqual({ cardId: 1, rating: 'good', durationMs: expect.any(Number) });
    expect(Number.isInteger(answers[0].args.durationMs)).toBe(true);
    // The new card starts hidden again.
    expect(screen.queryByTestId('answer')).toBeNull();
    expect(screen.getByTestId('card-state').textContent).toBe('review');
    expect(screen.getByTestId('progress').textContent).toContain('1 reviewed · 0 new · 0 learning · 1 review');
  });

  it('ignores rating keys before the answer is revealed', async () => {
    const { user, backend } = setup(review([makeCard(1), 1, 0, 0]));
    await startReview(user);

    await user.keyboard('1234');
    expect(backend.callsTo('answer_card')).toHaveLength(0);
    expect(screen.getByTestId('prompt').textContent).toBe('Prompt 1');
    expect(screen.queryByTestId('rate-good')).toBeNull();
  });

  it('rates through the buttons after revealing with the Show answer button', async () => {
    const { user, backend } = setup(review([makeCard(1), 2, 0, 0], [makeCard(2), 1, 0, 0]));
    await startReview(user);

    await user.click(screen.getByTestId('reveal'));
    await user.click(screen.getByTestId('rate-easy'));
    await waitFor(() => expect(screen.getByTestId('prompt').textContent).toBe('Prompt 2'));
    expect(backend.callsTo('answer_card')[0].args).toMatchObject({ cardId: 1, rating: 'easy' });
  });

  it('sends only one answer while a request is in flight', async () => {
    const backend = review([makeCard(1), 2, 0, 0], [makeCard(2), 1, 0, 0]);
    const { user } = setup(backend);
    await startReview(user);
    await user.keyboard(' ');

    backend.held.add('answer_card');
    await user.keyboard('3');
    await user.keyboard('4');
    await user.keyboard('{Control>}z{/Control}');
    backend.held.delete('answer_card');
    backend.release();

    await waitFor(() => expect(screen.getByTestId('prompt').textContent).toBe('Prompt 2'));
    expect(backend.callsTo('answer_card')).toHaveLength(1);
    expect(backend.callsTo('answer_card')[0].args.rating).toBe('good');
    expect(backend.callsTo('undo')).toHaveLength(0);
  });

  it('undoes the last answer with Ctrl+Z and shows that card again', async () => {
    const backend = review([makeCard(1), 2, 0, 0], [makeCard(2), 1, 0, 0]);
    // The core brings the answered card back with the counts as before the answer
    // (commands_study_a_card_and_undo_it in src-tauri/tests/commands.rs).
    backend.reply('undo', undone('answer', { ...makeCard(1), counts: { new: 2, learning: 0, review: 0 } }));
    const { user } = setup(backend);
    await startReview(user);
    await user.keyboard(' 3');
    await waitFor(() => expect(screen.getByTestId('prompt').textContent).toBe('Prompt 2'));

    await user.keyboard('{Control>}z{/Control}');
    await waitFor(() => expect(screen.getByTestId('prompt').textContent).toBe('Prompt 1'));
    expect(backend.callsTo('undo')).toHaveLength(1);
    expect(screen.getByTestId('progress').textContent).toContain('0 reviewed · 2 new · 0 learning · 0 review');
  });

  it('shows the summary with per-rating counts when no card is left, then goes back to today', async () => {
    const backend = review([makeCard(1), 3, 0, 0], [makeCard(2), 2, 1, 0], [makeCard(3), 1, 1, 0]);
    backend.reply('get_status', status({ new: 3 }), status({ new: 0 }));
    const { user } = setup(backend);
    await startReview(user);

    await user.keyboard(' 1');
    await waitFor(() => expect(screen.getByTestId('prompt').textContent).toBe('Prompt 2'));
    await user.keyboard(' 3');
    await waitFor(() => expect(screen.getByTestId('prompt').textContent).toBe('Prompt 3'));
    await user.keyboard(' 3');

    expect((await screen.findByTestId('summary-reviewed')).textContent).toBe('3');
    expect(screen.queryByTestId('review')).toBeNull();
    expect(screen.getByTestId('summary-again').textContent).toBe('1');
    expect(screen.getByTestId('summary-good').textContent).toBe('2');
    expect(screen.getByTestId('summary-easy').textContent).toBe('0');

    await user.click(screen.getByTestId('back-to-today'));
    await screen.findByTestId('today');
    // Status is re-read so Today reflects the finished session.
    await waitFor(() => expect(screen.getByTestId('count-new').textContent).toBe('0'));
    expect(backend.callsTo('get_status').length).toBeGreaterThanOrEqual(2);
  });

  it('brings the last card back from the summary with Ctrl+Z', async () => {
    const { user } = setup(review([makeCard(1), 1, 0, 0]).reply('undo', undone('answer', makeCard(1))));
    await startReview(user);
    await user.keyboard(' 4');
    await screen.findByTestId('summary');

    await user.keyboard('{Control>}z{/Control}');
    await waitFor(() => expect(screen.getByTestId('prompt').textContent).toBe('Prompt 1'));
    expect(screen.queryByTestId('summary')).toBeNull();
  });

  it('returns to today on Escape', async () => {
    const { user } = setup(review([makeCard(1), 1, 0, 0]));
    await startReview(user);
    await user.keyboard('{Escape}');
    await screen.findByTestId('today');
    expect(screen.queryByTestId('review')).toBeNull();
  });
});

describe('errors', () => {
  it('shows a backend error in a dismissible alert banner', async () => {
    const backend = review([makeCard(1), 1, 0, 0]);
    const { user } = setup(backend);
    await startReview(user);
    await user.keyboard(' ');

    backend.failures.set('answer_card', { code: 'not_found', message: 'Card 1 no longer exists' });
    await user.keyboard('3');

    const banner = await screen.findByRole('alert');
    expect(banner.dataset.testid).toBe('error');
    expect(banner.textContent).toContain('Card 1 no longer exists');
    // The card is still there to retry or leave.
    expect(screen.getByTestId('prompt').textContent).toBe('Prompt 1');

    await user.click(screen.getByRole('button', { name: /dismiss/i }));
    expect(screen.queryByTestId('error')).toBeNull();
  });

  it('does not let an answered card be rated again when the next card fails to load', async () => {
    const backend = review([makeCard(1), 2, 0, 0], [makeCard(2), 1, 0, 0]);
    const { user } = setup(backend);
    await startReview(user);
    await user.keyboard(' ');

    backend.failures.set('next_card', { code: 'database', message: 'disk I/O error' });
    await user.keyboard('3');
    expect((await screen.findByTestId('error')).textContent).toContain('disk I/O error');
    await user.keyboard('3');
    expect(backend.callsTo('answer_card')).toHaveLength(1);

    backend.failures.clear();
    await user.click(screen.getByRole('button', { name: /try again/i }));
    await waitFor(() => expect(screen.getByTestId('prompt').textContent).toBe('Prompt 2'));
  });

  it('shows a failure to load the status and lets the user retry', async () => {
    const backend = new Scripted().reply('get_status', status({ new: 1 }));
    backend.failures.set('get_status', { code: 'database', message: 'database is locked' });
    const { user } = setup(backend);

    expect((await screen.findByTestId('error')).textContent).toContain('database is locked');
    backend.failures.clear();
    await user.click(screen.getByRole('button', { name: /try again/i }));
    expect((await screen.findByTestId('count-new')).textContent).toBe('1');
  });
});

describe('Cards from Anki', () => {
  it('show their prompt and answer as HTML, with images, and reveal and rate like any card', async () => {
    const card = {
      ...makeCard(7),
      prompt: 'el gato',
      prompt_html: '<b>el</b> gato',
      answer: 'the cat',
      answer_html: 'the cat<br><img src="data:image/png;base64,iVBORw0KGgo=" alt="">',
      detail: '',
      detail_html: '',
    };
    const backend = review([card, 1, 0, 0]);
    const { user } = setup(backend);
    await startReview(user);

    const prompt = screen.getByTestId('prompt');
    expect(prompt.innerHTML).toBe('<b>el</b> gato');
    expect(screen.queryByTestId('answer')).toBeNull();
    await user.keyboard(' ');
    const answer = await screen.findByTestId('answer');
    expect(answer.querySelector('img')?.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(answer.textContent).toContain('the cat');
    await user.keyboard('3');
    await waitFor(() => expect(backend.callsTo('answer_card')).toHaveLength(1));
    expect(backend.callsTo('answer_card')[0].args).toMatchObject({ cardId: 7, rating: 'good' });
  });
});

describe('Changes to the collection', () => {
  it("update Today's counts when the backend says cards changed, with no other call", async () => {
    // A write the screen did not make (say, the CLI) adds a review card.
    const backend = new Scripted().reply(
      'get_status',
      status({ new: 1, review: 0, total_cards: 1 }),
      status({ new: 1, review: 1, total_cards: 2 }),
    );
    setup(backend);
    expect((await screen.findByTestId('count-review')).textContent).toBe('0');
    await waitFor(() => expect(backend.listenersOf('collection-changed')).toBe(1));

    // The backend says what it changed.
    backend.emitChanges({ cards: true });
    await waitFor(() => expect(screen.getByTestId('count-review').textContent).toBe('1'));
    expect(screen.getByTestId('total-cards').textContent).toBe('2');
    expect(backend.callsTo('get_status')).toHaveLength(2);
  });

  it('leave the counts alone for changes that cannot touch them, and stop being heard when the app closes', async () => {
    const backend = new Scripted();
    const { unmount } = render(App);
    await screen.findByTestId('count-new');
    await waitFor(() => expect(backend.listenersOf('collection-changed')).toBe(1));

    backend.emitChanges({ notes: true, lessons: true });
    await new Promise((go) => setTimeout(go, 20));
    expect(backend.callsTo('get_status')).toHaveLength(1);

    unmount();
    expect(backend.listenersOf('collection-changed')).toBe(0);
  });

  it('are said by the backend after an answer: Today shows the new counts on return', async () => {
    const backend = review([makeCard(1), 2, 0, 0], [makeCard(2), 1, 0, 0]);
    backend.reply('get_status', status({ new: 2 }), status({ new: 1 }));
    const user = userEvent.setup();
    render(App);
    await startReview(user);
    const before = backend.callsTo('get_status').length;
    await user.keyboard(' 3');
    // The answer's change is heard while reviewing: the counts are read again straight away.
    await waitFor(() => expect(backend.callsTo('get_status').length).toBe(before + 1));
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.getByTestId('count-new').textContent).toBe('1'));
  });
});
