import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import App from './App.svelte';
import type { CardAction, StudyCard } from './lib/bindings';
import { recorded } from './test/recorded';
import { Scripted, answered, answeredAsAsked, makeCard, makeQuizCard, undone, type Args } from './test/scripted';

type User = ReturnType<typeof userEvent.setup>;

/** A review of these cards in turn, then none; answers and card actions done as asked. What
 *  the core does with them is tested against it: see each test. */
function script(...cards: StudyCard[]): Scripted {
  return new Scripted()
    .reply('next_card', ...cards, null)
    .replyWith('answer_card', answeredAsAsked)
    .replyWith('card_action', acted);
}

/** card_action's reply when every card named changed. */
function acted(args: Args) {
  return { action: (args.action as CardAction).kind, changed: (args.cardIds as number[]).length };
}

async function start(backend: Scripted) {
  const user = userEvent.setup();
  render(App);
  await startFromToday(user);
  return { user, backend };
}

async function startFromToday(user: User) {
  await waitFor(() => expect(screen.getByTestId<HTMLButtonElement>('start-review').disabled).toBe(false));
  await user.keyboard('{Enter}');
  await screen.findByTestId('prompt');
}

function prompt() {
  return screen.getByTestId('prompt').textContent;
}

async function waitForPrompt(text: string) {
  await waitFor(() => expect(prompt()).toBe(text));
}

function actions(backend: Scripted) {
  return backend.callsTo('card_action').map((c) => c.args);
}

function notice() {
  return screen.getByTestId('notice').textContent?.replace(/\s+/g, ' ').trim();
}

describe('Card actions in review', () => {
  it('- buries the card shown and moves on, saying Ctrl+Z undoes it', async () => {
    // That a buried card leaves today's queue: an_action_takes_the_card_shown_out_of_the_queue
    // (src-tauri/tests/ui_contract.rs).
    const { user, backend } = await start(script(makeCard(1, 'review'), makeCard(2)));

    await user.keyboard('-');
    await waitForPrompt('Prompt 2');
    expect(actions(backend)).toEqual([{ action: { kind: 'bury' }, cardIds: [1] }]);
    expect(notice()).toBe('Card buried until tomorrow · Ctrl+Z undoes it');
    expect(backend.callsTo('answer_card')).toHaveLength(0);
    expect(screen.getByTestId('progress').textContent).toContain('0 reviewed');
  });

  it('Space does what the big button says even with Bury focused, and focus returns to the answer', async () => {
    const { user, backend } = await start(script(makeCard(1, 'review'), makeCard(2)));
    // The card's main button takes focus, so Space and Enter act on it.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('reveal')));

    screen.getByTestId('action-bury').focus();
    await user.keyboard(' ');
    await screen.findByTestId('answer');
    expect(actions(backend)).toEqual([]);
    // Revealed: focus is on the rating buttons' group, not left on Bury.
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe('How well did you recall it?'));
    await user.keyboard(' ');
    expect(actions(backend)).toEqual([]);
    expect(backend.callsTo('answer_card')).toHaveLength(0);

    // Enter on a button the learner moved to presses that button.
    screen.getByTestId('action-bury').focus();
    await user.keyboard('{Enter}');
    await waitForPrompt('Prompt 2');
    expect(actions(backend)).toEqual([{ action: { kind: 'bury' }, cardIds: [1] }]);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('reveal')));
  });

  it('leaves with the mouse by the Today button, and focus lands on Today', async () => {
    const { user } = await start(script(makeCard(1, 'review'), makeCard(2)));
    await user.click(screen.getByTestId('review-close'));
    await screen.findByTestId('today');
    await waitFor(() => expect(document.activeElement?.id).toBe('today-title'));
    expect(document.title).toBe('Today · Reprise');
  });

  it('@ suspends the card shown, revealed or not, and on a quiz card too', async () => {
    // That a suspended card, a quiz card too, leaves the queue: an_action_takes_the_card_shown_out_of_the_queue.
    const { user, backend } = await start(script(makeCard(1), makeCard(2, 'review'), makeQuizCard(3, [0])));

    await user.keyboard('@');
    await waitForPrompt('Prompt 2');
    await user.keyboard(' ');
    await screen.findByTestId('answer');
    await user.keyboard('@');
    await waitForPrompt('Quiz question 3?');
    await user.keyboard('@');
    await screen.findByTestId('summary');

    expect(actions(backend)).toEqual([
      { action: { kind: 'suspend' }, cardIds: [1] },
      { action: { kind: 'suspend' }, cardIds: [2] },
      { action: { kind: 'suspend' }, cardIds: [3] },
    ]);
    expect(backend.callsTo('answer_card')).toHaveLength(0);
    expect(backend.callsTo('answer_quiz_card')).toHaveLength(0);
  });

  it('Ctrl+Z after an action brings the card back, and does not take back an answer', async () => {
    // The core takes back the last step first and brings its card back:
    // undo_takes_back_the_last_step_first_and_brings_its_card_back (src-tauri/tests/ui_contract.rs).
    const backend = script(makeCard(1), makeCard(2), makeCard(3)).reply(
      'undo',
      undone('suspend', makeCard(2)),
      // Its undo also put back the sibling the answer buried: still one answer undone.
      undone('answer', makeCard(1), { cards: 2 }),
    );
    const { user } = await start(backend);
    await user.keyboard(' 3');
    await waitForPrompt('Prompt 2');

    await user.keyboard('@');
    await waitForPrompt('Prompt 3');
    await user.keyboard('{Control>}z{/Control}');
    // The card undo returns is shown, not the next in the queue.
    await waitForPrompt('Prompt 2');
    expect(notice()).toBe('Suspension undone');
    expect(screen.getByTestId('progress').textContent).toContain('1 reviewed');
    expect(backend.callsTo('next_card')).toHaveLength(3);
    // The next undo is the answer's.
    await user.keyboard('{Control>}z{/Control}');
    await waitForPrompt('Prompt 1');
    expect(notice()).toBe('Answer undone');
    expect(screen.getByTestId('progress').textContent).toContain('0 reviewed');
  });

  it('undo of an action on a card just answered keeps the answer in the session', async () => {
    // Undo takes back the bury, the last step, and leaves the answer before it:
    // undo_takes_back_the_last_step_first_and_brings_its_card_back (src-tauri/tests/ui_contract.rs).
    const backend = script(makeQuizCard(1, [0]), makeCard(2))
      .reply('check_quiz_card', false)
      .reply('answer_quiz_card', answered(1, 'again'))
      .reply('undo', undone('bury', makeQuizCard(1, [0])));
    const { user } = await start(backend);
    // A wrong quiz answer is recorded at once; the card stays on screen with the verdict.
    await user.keyboard('2{Enter}');
    await screen.findByTestId('quiz-verdict');
    expect(screen.getByTestId('progress').textContent).toContain('1 reviewed');

    await user.keyboard('-');
    await waitForPrompt('Prompt 2');
    expect(actions(backend)).toEqual([{ action: { kind: 'bury' }, cardIds: [1] }]);
    await user.keyboard('{Control>}z{/Control}');
    await waitFor(() => expect(notice()).toBe('Burying undone'));
    expect(backend.callsTo('undo')).toHaveLength(1);
    // The bury was undone, not the answer: it still counts.
    expect(screen.getByTestId('progress').textContent).toContain('1 reviewed');
  });

  it('undo of a step about several cards (card null) loads the next card instead of ending the session', async () => {
    // What the spread and its undo do to the backlog: a_backlog_is_spread_over_days_and_undone
    // (src-tauri/tests/ui_contract.rs).
    const backend = new Scripted()
      .reply('get_backlog', { overdue: 30, new_paused_until: null })
      .reply('spread_backlog', { cards: 30, days: 7, new_paused_until: '2026-12-02' })
      .reply('next_card', makeCard(1, 'review'))
      .reply('undo', undone('spread_backlog', null, { cards: 30 }));
    const user = userEvent.setup();
    render(App);
    await screen.findByTestId('today');
    await user.click(screen.getByTestId('nav-settings'));
    await user.click(await screen.findByTestId('spread'));
    await screen.findByTestId('spread-result');
    expect(backend.callsTo('spread_backlog').map((c) => c.args)).toEqual([{ days: 7 }]);
    await user.click(screen.getByTestId('nav-today'));
    await waitFor(() => expect(screen.getByTestId<HTMLButtonElement>('start-review').disabled).toBe(false));
    await user.click(screen.getByTestId('start-review'));
    await screen.findByTestId('prompt');
    expect(backend.callsTo('next_card')).toHaveLength(1);

    await user.keyboard('{Control>}z{/Control}');
    await waitFor(() => expect(backend.callsTo('next_card')).toHaveLength(2));
    expect(prompt()).toBe('Prompt 1');
    expect(screen.queryByTestId('summary')).toBeNull();
    expect(notice()).toBe('Backlog spread undone (30 cards)');
    expect(backend.callsTo('undo')).toHaveLength(1);
  });

  it('says so when there is nothing to undo', async () => {
    // The core's undo on a fresh collection: null (commands_study_a_card_and_undo_it in commands.rs).
    const { user, backend } = await start(script(makeCard(1)));
    await user.keyboard('{Control>}z{/Control}');
    await waitFor(() => expect(notice()).toBe('Nothing to undo'));
    expect(backend.callsTo('undo')).toHaveLength(1);
    expect(prompt()).toBe('Prompt 1');
  });

  it('Bury, Suspend and Reset buttons act on the card shown', async () => {
    // What each action does to the card: card_actions_change_cards_and_undo_restores_them_exactly (tests/scheduling.rs).
    const { user, backend } = await start(
      script(makeCard(1, 'review'), makeCard(2, 'learning'), makeCard(3, 'review'), makeCard(4)),
    );

    await user.click(screen.getByTestId('action-reset'));
    await waitForPrompt('Prompt 2');
    expect(notice()).toBe('Card reset to new · Ctrl+Z undoes it');
    await user.click(screen.getByTestId('action-bury'));
    await waitForPrompt('Prompt 3');
    await user.click(screen.getByTestId('action-suspend'));
    await waitForPrompt('Prompt 4');

    expect(actions(backend)).toEqual([
      { action: { kind: 'reset' }, cardIds: [1] },
      { action: { kind: 'bury' }, cardIds: [2] },
      { action: { kind: 'suspend' }, cardIds: [3] },
    ]);
    // A new card has nothing to reset and no due date to move.
    expect(screen.getByTestId<HTMLButtonElement>('action-reset').disabled).toBe(true);
    expect(screen.getByTestId<HTMLButtonElement>('action-set-due').disabled).toBe(true);
    expect(screen.getByTestId<HTMLButtonElement>('action-bury').disabled).toBe(false);
  });

  it('Set due asks for the days inline, and its digits do not rate the card', async () => {
    // That the card is then due in 14 days, not today: card_actions_change_cards_and_undo_restores_them_exactly
    // (tests/scheduling.rs).
    const { user, backend } = await start(script(makeCard(1, 'review'), makeCard(2, 'review')));
    await user.keyboard(' ');
    await screen.findByTestId('rate-good');

    await user.click(screen.getByTestId('action-set-due'));
    const days = screen.getByLabelText<HTMLInputElement>('Due in');
    expect(document.activeElement).toBe(days);
    expect(days.value).toBe('1');
    await user.clear(days);
    await user.type(days, '3-@');
    expect(backend.callsTo('answer_card')).toHaveLength(0);
    expect(backend.callsTo('card_action')).toHaveLength(0);
    await user.clear(days);
    await user.type(days, '14{Enter}');

    await waitForPrompt('Prompt 2');
    expect(actions(backend)).toEqual([{ action: { kind: 'set_due', days: 14 }, cardIds: [1] }]);
    expect(notice()).toBe('Card due in 14 days · Ctrl+Z undoes it');
    expect(screen.queryByTestId('set-due')).toBeNull();
    expect(backend.callsTo('answer_card')).toHaveLength(0);
  });

  it('Set due refuses days out of range, and Escape closes it without leaving the review', async () => {
    const { user, backend } = await start(script(makeCard(1, 'review')));
    await user.click(screen.getByTestId('action-set-due'));
    const days = screen.getByLabelText<HTMLInputElement>('Due in');
    await user.clear(days);
    await user.type(days, '40000{Enter}');
    expect((await screen.findByTestId('due-error')).textContent).toBe('Choose a whole number of days from 0 (today) to 36500.');
    expect(days.getAttribute('aria-invalid')).toBe('true');
    expect(backend.callsTo('card_action')).toHaveLength(0);

    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('set-due')).toBeNull();
    expect(screen.getByTestId('review')).toBeTruthy();
    expect(prompt()).toBe('Prompt 1');
    // With the prompt closed, Escape leaves as before.
    await user.keyboard('{Escape}');
    await screen.findByTestId('today');
  });

  it('shows a failed action in the error banner and keeps the card', async () => {
    const { user, backend } = await start(script(makeCard(1, 'review'), makeCard(2)));
    backend.failures.set('card_action', { code: 'database', message: 'database is locked' });
    await user.keyboard('-');
    expect((await screen.findByTestId('error')).textContent).toContain('database is locked');
    expect(prompt()).toBe('Prompt 1');
    expect(screen.queryByTestId('notice')).toBeNull();
  });

  it('sends one action while one is in flight', async () => {
    const { user, backend } = await start(script(makeCard(1, 'review'), makeCard(2, 'review')));
    backend.held.add('card_action');
    await user.keyboard('-');
    await user.keyboard('@');
    await user.keyboard('-');
    backend.held.delete('card_action');
    backend.release();
    await waitForPrompt('Prompt 2');
    expect(actions(backend)).toEqual([{ action: { kind: 'bury' }, cardIds: [1] }]);
  });
});

describe('Review shows more about the card', () => {
  it("shows a studied card's chance of recall now, and none for a new card", async () => {
    const { user } = await start(script(makeCard(1, 'review'), makeCard(2)));
    expect(screen.getByTestId('retrievability').textContent).toBe('Recall chance now 87%');
    await user.keyboard(' 3');
    await waitForPrompt('Prompt 2');
    expect(screen.queryByTestId('retrievability')).toBeNull();
  });

  it('the hints say Ctrl+Z undoes in general, and name the action keys', async () => {
    await start(script(makeCard(1)));
    const hints = screen.getByTestId('review').querySelector('.hints')?.textContent?.replace(/\s+/g, ' ');
    expect(hints).toContain('Ctrl+Z undo ·');
    expect(hints).not.toContain('undo last answer');
    expect(hints).toContain('- bury · @ suspend');
  });

  it('says when an answer made the card a leech, as the settings treat leeches', async () => {
    // The core reports the leech and tags or suspends it as the settings say:
    // a_card_forgotten_leech_threshold_times_is_tagged_or_suspended (tests/scheduling.rs).
    const backend = script(makeCard(1, 'review'), makeCard(2, 'review'), makeCard(3))
      .reply(
        'answer_card',
        answered(1, 'again', { leech: true, lapses: 8 }),
        answered(2, 'again', { leech: true, lapses: 5 }),
        answered(3, 'good'),
      )
      .reply('get_settings', recorded.settings(), {
        ...recorded.settings(),
        leech_action: 'suspend',
        leech_threshold: 5,
      });
    const { user } = await start(backend);
    await user.keyboard(' 1');
    await waitForPrompt('Prompt 2');
    expect(notice()).toBe(
      'The card you just answered is a leech (forgotten 8 times): tagged leech. Rewording it or splitting it up usually helps.',
    );

    await user.keyboard(' 1');
    await waitForPrompt('Prompt 3');
    expect(notice()).toBe(
      'The card you just answered is a leech (forgotten 5 times): tagged leech and suspended. Rewording it or splitting it up usually helps.',
    );
    // The settings are read afresh for each leech, to word it as they now say.
    expect(backend.callsTo('get_settings')).toHaveLength(2);

    // An answer that is no leech clears it.
    await user.keyboard(' 3');
    await screen.findByTestId('summary');
    expect(screen.queryByTestId('notice')).toBeNull();
  });

  it('says nothing of leeches for an ordinary Again', async () => {
    const { user, backend } = await start(script(makeCard(1, 'review'), makeCard(2)));
    await user.keyboard(' 1');
    await waitForPrompt('Prompt 2');
    expect(screen.queryByTestId('notice')).toBeNull();
    expect(backend.callsTo('get_settings')).toHaveLength(0);
  });
});
