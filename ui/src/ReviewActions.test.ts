import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import App from './App.svelte';
import { FakeBackend, defaultSettings, makeCard, makeQuizCard, type FakeCard } from './test/fakeBackend';

type User = ReturnType<typeof userEvent.setup>;

async function start(cards: FakeCard[], configure: (backend: FakeBackend) => void = () => {}) {
  const backend = new FakeBackend(cards);
  configure(backend);
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

function actions(backend: FakeBackend) {
  return backend.callsTo('card_action').map((c) => c.args);
}

function notice() {
  return screen.getByTestId('notice').textContent?.replace(/\s+/g, ' ').trim();
}

describe('Card actions in review', () => {
  it('- buries the card shown and moves on, saying Ctrl+Z undoes it', async () => {
    const { user, backend } = await start([makeCard(1, 'review'), makeCard(2)]);

    await user.keyboard('-');
    await waitForPrompt('Prompt 2');
    expect(actions(backend)).toEqual([{ action: { kind: 'bury' }, cardIds: [1] }]);
    expect(backend.placeOf(1)).toBe('buried');
    expect(notice()).toBe('Card buried until tomorrow · Ctrl+Z undoes it');
    expect(backend.callsTo('answer_card')).toHaveLength(0);
    expect(screen.getByTestId('progress').textContent).toContain('0 reviewed');
  });

  it('@ suspends the card shown, revealed or not, and on a quiz card too', async () => {
    const { user, backend } = await start([makeCard(1), makeCard(2, 'review'), makeQuizCard(3, [0])]);

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
    expect([1, 2, 3].map((id) => backend.placeOf(id))).toEqual(['suspended', 'suspended', 'suspended']);
    expect(backend.callsTo('answer_card')).toHaveLength(0);
    expect(backend.callsTo('answer_quiz_card')).toHaveLength(0);
  });

  it('Ctrl+Z after an action brings the card back, and does not take back an answer', async () => {
    const { user, backend } = await start([makeCard(1), makeCard(2), makeCard(3)]);
    await user.keyboard(' 3');
    await waitForPrompt('Prompt 2');

    await user.keyboard('@');
    await waitForPrompt('Prompt 3');
    await user.keyboard('{Control>}z{/Control}');
    // The card undo returns is shown, though the fake queues it behind card 3.
    await waitForPrompt('Prompt 2');
    expect(backend.placeOf(2)).toBe('queue');
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
    const { user, backend } = await start([makeQuizCard(1, [0]), makeCard(2)]);
    // A wrong quiz answer is recorded at once; the card stays on screen with the verdict.
    await user.keyboard('2 ');
    await screen.findByTestId('quiz-verdict');
    expect(screen.getByTestId('progress').textContent).toContain('1 reviewed');

    await user.keyboard('-');
    await waitForPrompt('Prompt 2');
    expect(actions(backend)).toEqual([{ action: { kind: 'bury' }, cardIds: [1] }]);
    await user.keyboard('{Control>}z{/Control}');
    await waitFor(() => expect(notice()).toBe('Burying undone'));
    // The bury was undone, not the answer: it still counts.
    expect(backend.lastStep()).toBe('answer');
    expect(screen.getByTestId('progress').textContent).toContain('1 reviewed');
  });

  it('undo of a step about several cards (card null) loads the next card instead of ending the session', async () => {
    const backend = new FakeBackend([makeCard(1, 'review'), makeCard(2, 'review')]);
    backend.overdue = 30;
    const user = userEvent.setup();
    render(App);
    await screen.findByTestId('today');
    await user.click(screen.getByTestId('nav-settings'));
    await user.click(await screen.findByTestId('spread'));
    await screen.findByTestId('spread-result');
    expect(backend.overdue).toBe(0);
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
    expect(backend.overdue).toBe(30);
    expect(backend.settings.pause_new_until).toBeNull();
  });

  it('says so when there is nothing to undo', async () => {
    const { user, backend } = await start([makeCard(1)]);
    await user.keyboard('{Control>}z{/Control}');
    await waitFor(() => expect(notice()).toBe('Nothing to undo'));
    expect(backend.callsTo('undo')).toHaveLength(1);
    expect(prompt()).toBe('Prompt 1');
  });

  it('Bury, Suspend and Reset buttons act on the card shown', async () => {
    const { user, backend } = await start([makeCard(1, 'review'), makeCard(2, 'learning'), makeCard(3, 'review'), makeCard(4)]);

    await user.click(screen.getByTestId('action-reset'));
    await waitForPrompt('Prompt 2');
    expect(notice()).toBe('Card reset to new · Ctrl+Z undoes it');
    await user.click(screen.getByTestId('action-bury'));
    await waitForPrompt('Prompt 3');
    await user.click(screen.getByTestId('action-suspend'));
    // The reset card came back as a new card, behind the others.
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
    const { user, backend } = await start([makeCard(1, 'review'), makeCard(2, 'review')]);
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
    expect(backend.placeOf(1)).toBe('later');
    expect(notice()).toBe('Card due in 14 days · Ctrl+Z undoes it');
    expect(screen.queryByTestId('set-due')).toBeNull();
    expect(backend.callsTo('answer_card')).toHaveLength(0);
  });

  it('Set due refuses days out of range, and Escape closes it without leaving the review', async () => {
    const { user, backend } = await start([makeCard(1, 'review')]);
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
    const { user, backend } = await start([makeCard(1, 'review'), makeCard(2)]);
    backend.failures.set('card_action', { code: 'database', message: 'database is locked' });
    await user.keyboard('-');
    expect((await screen.findByTestId('error')).textContent).toContain('database is locked');
    expect(prompt()).toBe('Prompt 1');
    expect(screen.queryByTestId('notice')).toBeNull();
  });

  it('sends one action while one is in flight', async () => {
    const { user, backend } = await start([makeCard(1, 'review'), makeCard(2, 'review')]);
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
    const { user } = await start([makeCard(1, 'review'), makeCard(2)]);
    expect(screen.getByTestId('retrievability').textContent).toBe('Recall chance now 87%');
    await user.keyboard(' 3');
    await waitForPrompt('Prompt 2');
    expect(screen.queryByTestId('retrievability')).toBeNull();
  });

  it('the hints say Ctrl+Z undoes in general, and name the action keys', async () => {
    await start([makeCard(1)]);
    const hints = screen.getByTestId('review').querySelector('.hints')?.textContent?.replace(/\s+/g, ' ');
    expect(hints).toContain('Ctrl+Z undo ·');
    expect(hints).not.toContain('undo last answer');
    expect(hints).toContain('- bury · @ suspend');
  });

  it('says when an answer made the card a leech, as the settings treat leeches', async () => {
    const { user, backend } = await start([makeCard(1, 'review'), makeCard(2, 'review'), makeCard(3)], (b) => {
      b.leeches.add(1);
      b.leeches.add(2);
    });
    await user.keyboard(' 1');
    await waitForPrompt('Prompt 2');
    expect(notice()).toBe(
      'The card you just answered is a leech (forgotten 8 times): tagged leech. Rewording it or splitting it up usually helps.',
    );

    backend.settings = { ...defaultSettings(), leech_action: 'suspend', leech_threshold: 5 };
    await user.keyboard(' 1');
    await waitForPrompt('Prompt 3');
    expect(notice()).toBe(
      'The card you just answered is a leech (forgotten 5 times): tagged leech and suspended. Rewording it or splitting it up usually helps.',
    );
    expect(backend.placeOf(2)).toBe('suspended');

    // An answer that is no leech clears it.
    await user.keyboard(' 3');
    await screen.findByTestId('summary');
    expect(screen.queryByTestId('notice')).toBeNull();
  });

  it('says nothing of leeches for an ordinary Again', async () => {
    const { user, backend } = await start([makeCard(1, 'review'), makeCard(2)]);
    await user.keyboard(' 1');
    await waitForPrompt('Prompt 2');
    expect(screen.queryByTestId('notice')).toBeNull();
    expect(backend.callsTo('get_settings')).toHaveLength(0);
  });
});
