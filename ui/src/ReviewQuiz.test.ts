import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import App from './App.svelte';
import type { StudyCard } from './lib/bindings';
import { choices, marks, picked } from './test/choices';
import { Scripted, answered, answeredAsAsked, makeCard, makeQuizCard, undone, type Args } from './test/scripted';

type User = ReturnType<typeof userEvent.setup>;

/** Quiz cards 1 (single, B right), 2 (multiple, A and C right), 3 (true/false, True), then term card 4. */
function deck(): StudyCard[] {
  return [
    makeQuizCard(1, [1], 'single'),
    makeQuizCard(2, [0, 2], 'multiple'),
    makeQuizCard(3, [0], 'true_false'),
    makeCard(4),
  ];
}

/** The picks check_quiz_card grades right, as card:chosen; any other is wrong. The core's
 *  grading itself: answers_are_checked_by_the_core_before_they_are_recorded (tests/lessons.rs). */
const RIGHT = new Set(['1:[1]', '2:[0,2]', '3:[0]']);

function grade(args: Args): boolean {
  return RIGHT.has(`${String(args.cardId)}:${JSON.stringify(args.chosen)}`);
}

/** The deck in turn, then none; answer_quiz_card replies as each test scripts them. How the
 *  core rates quiz answers (a wrong choice Again, a right one as picked): a_wrong_choice_on_a_quiz_card_is_rated_again
 *  and a_right_choice_is_good_unless_hard_or_easy_is_picked (tests/lessons.rs). */
function script(): Scripted {
  return new Scripted()
    .reply('next_card', ...deck(), null)
    .replyWith('check_quiz_card', grade)
    .replyWith('answer_card', answeredAsAsked);
}

async function start(backend: Scripted = script()) {
  const user = userEvent.setup();
  render(App);
  await waitFor(() => expect(screen.getByTestId<HTMLButtonElement>('start-review').disabled).toBe(false));
  await user.keyboard('{Enter}');
  await screen.findByTestId('prompt');
  return { user, backend };
}

function prompt() {
  return screen.getByTestId('prompt').textContent;
}

async function waitForPrompt(text: string) {
  await waitFor(() => expect(prompt()).toBe(text));
}

function quizAnswers(backend: Scripted) {
  return backend.callsTo('answer_quiz_card').map((c) => c.args);
}

async function press(user: User, keys: string) {
  await user.keyboard(keys);
}

describe('Review of quiz cards', () => {
  it('shows a quiz card with its lesson and options, and nothing is sent until it is checked', async () => {
    const { user, backend } = await start();

    expect(prompt()).toBe('Quiz question 1?');
    expect(screen.getByTestId('review').textContent).toContain('From the lesson Basics');
    expect(choices().map((c) => c.querySelector('span')?.textContent)).toEqual([
      'Option A',
      'Option B',
      'Option C',
      'Option D',
    ]);
    expect(screen.queryByTestId('reveal')).toBeNull();
    expect(screen.getByTestId<HTMLButtonElement>('check').disabled).toBe(true);

    await press(user, '{Enter}'); // nothing chosen: nothing to check
    await press(user, '3');
    await press(user, '1');
    expect(picked()).toEqual([true, false, false, false]);
    expect(screen.queryByTestId('quiz-verdict')).toBeNull();
    expect(backend.callsTo('check_quiz_card')).toHaveLength(0);
    expect(backend.callsTo('answer_quiz_card')).toHaveLength(0);
    expect(backend.callsTo('answer_card')).toHaveLength(0);
  });

  it('records a wrong answer as Again right away, shows the right options and moves on with Enter', async () => {
    const { user, backend } = await start(script().reply('answer_quiz_card', answered(1, 'again')));

    await press(user, '1{Enter}');
    const verdict = await screen.findByTestId('quiz-verdict');
    expect(verdict.textContent).toContain('Not quite — rated Again, back in 1m.');
    expect(verdict.classList.contains('right')).toBe(false);
    // The explanation is the card's detail, rendered as markup.
    expect(verdict.querySelector('em')?.textContent).toBe('1');
    expect(marks()).toEqual(['wrong', 'right', '', '']);
    expect(choices().every((c) => c.getAttribute('aria-disabled') === 'true')).toBe(true);

    // The core grades the choice, then records it.
    expect(backend.callsTo('check_quiz_card').map((c) => c.args)).toEqual([{ cardId: 1, chosen: [0] }]);
    expect(quizAnswers(backend)).toEqual([{ cardId: 1, chosen: [0], rating: null, durationMs: expect.any(Number) }]);
    expect(Number.isInteger(quizAnswers(backend)[0].durationMs)).toBe(true);
    expect(screen.getByTestId('progress').textContent).toContain('1 reviewed');
    // Rating keys mean nothing now: the answer is already recorded.
    await press(user, '24');
    expect(picked()).toEqual([true, false, false, false]);
    expect(screen.queryByTestId('rate-good')).toBeNull();
    expect(backend.callsTo('answer_quiz_card')).toHaveLength(1);

    await press(user, '{Enter}');
    await waitForPrompt('Quiz question 2?');
    expect(screen.queryByTestId('quiz-verdict')).toBeNull();
    expect(picked()).toEqual([false, false, false, false]);
    expect(backend.callsTo('answer_quiz_card')).toHaveLength(1);
    expect(backend.callsTo('answer_card')).toHaveLength(0);
  });

  it('asks how hard a right answer was: Enter rates Good, 2 Hard, 4 Easy, and 1 is not offered', async () => {
    const { user, backend } = await start(
      script().reply('answer_quiz_card', answered(1, 'good'), answered(2, 'easy'), answered(3, 'hard')),
    );

    // Card 1, right: nothing is sent until it is rated.
    await press(user, '2{Enter}');
    const verdict = await screen.findByTestId('quiz-verdict');
    expect(verdict.textContent).toContain('Right.');
    expect(verdict.classList.contains('right')).toBe(true);
    expect(marks()).toEqual(['', 'right', '', '']);
    expect(backend.callsTo('check_quiz_card').map((c) => c.args)).toEqual([{ cardId: 1, chosen: [1] }]);
    expect(backend.callsTo('answer_quiz_card')).toHaveLength(0);
    expect(screen.queryByTestId('rate-again')).toBeNull();
    expect(['rate-hard', 'rate-good', 'rate-easy'].map((id) => screen.getByTestId(id).textContent)).toEqual([
      expect.stringContaining('10m'),
      expect.stringContaining('1d'),
      expect.stringContaining('3d'),
    ]);

    await press(user, '1'); // Again is not for a right answer
    expect(backend.callsTo('answer_quiz_card')).toHaveLength(0);
    expect(prompt()).toBe('Quiz question 1?');

    await press(user, '{Enter}');
    await waitForPrompt('Quiz question 2?');
    expect(quizAnswers(backend)).toEqual([{ cardId: 1, chosen: [1], rating: 'good', durationMs: expect.any(Number) }]);

    // Card 2, multiple choice, right: 4 rates Easy.
    await press(user, '31{Enter}');
    await screen.findByTestId('rate-easy');
    await press(user, '4');
    await waitForPrompt('Quiz question 3?');
    expect(quizAnswers(backend)[1]).toEqual({ cardId: 2, chosen: [0, 2], rating: 'easy', durationMs: expect.any(Number) });

    // Card 3, true/false, right: 2 rates Hard.
    await press(user, '1{Enter}');
    await screen.findByTestId('rate-hard');
    await press(user, '2');
    await waitForPrompt('Prompt 4');
    expect(quizAnswers(backend)[2]).toMatchObject({ cardId: 3, chosen: [0], rating: 'hard' });

    // A term card still reveals with Space and rates with 1–4.
    expect(screen.queryAllByTestId('choice')).toHaveLength(0);
    expect(screen.queryByTestId('answer')).toBeNull();
    await press(user, ' ');
    expect(screen.getByTestId('answer').textContent).toContain('Answer 4');
    await press(user, '1');
    await screen.findByTestId('summary');
    expect(backend.callsTo('answer_card').map((c) => c.args)).toEqual([
      { cardId: 4, rating: 'again', durationMs: expect.any(Number) },
    ]);
    expect(backend.callsTo('answer_quiz_card')).toHaveLength(3);

    // The summary counts the ratings the core gave.
    expect(screen.getByTestId('summary-reviewed').textContent).toBe('4');
    expect(screen.getByTestId('summary-again').textContent).toBe('1');
    expect(screen.getByTestId('summary-hard').textContent).toBe('1');
    expect(screen.getByTestId('summary-good').textContent).toBe('1');
    expect(screen.getByTestId('summary-easy').textContent).toBe('1');
  });

  it('is answered with the mouse too: options, Check, Continue and the rating buttons', async () => {
    const { user, backend } = await start(
      script().reply('answer_quiz_card', answered(1, 'again'), answered(2, 'hard')),
    );

    await user.click(choices()[3]);
    await user.click(screen.getByTestId('check'));
    expect((await screen.findByTestId('quiz-verdict')).textContent).toContain('Not quite');
    expect(quizAnswers(backend)[0]).toMatchObject({ cardId: 1, chosen: [3], rating: null });
    await user.click(screen.getByTestId('continue'));
    await waitForPrompt('Quiz question 2?');

    // Multiple choice: a second click takes an option back.
    await user.click(choices()[0]);
    await user.click(choices()[1]);
    await user.click(choices()[2]);
    await user.click(choices()[1]);
    expect(picked()).toEqual([true, false, true, false]);
    await user.click(screen.getByTestId('check'));
    await user.click(await screen.findByTestId('rate-hard'));
    await waitForPrompt('Quiz question 3?');
    expect(quizAnswers(backend)[1]).toMatchObject({ cardId: 2, chosen: [0, 2], rating: 'hard' });
    expect(backend.callsTo('answer_quiz_card')).toHaveLength(2);
  });

  it('undoes a wrong answer with Ctrl+Z and asks the card again with nothing chosen', async () => {
    const backend = script()
      .reply('answer_quiz_card', answered(1, 'again'), answered(1, 'good'))
      .reply('undo', undone('answer', deck()[0]));
    const { user } = await start(backend);

    await press(user, '1{Enter}');
    await screen.findByTestId('quiz-verdict');
    expect(screen.getByTestId('progress').textContent).toContain('1 reviewed');

    await press(user, '{Control>}z{/Control}');
    await waitFor(() => expect(screen.queryByTestId('quiz-verdict')).toBeNull());
    expect(backend.callsTo('undo')).toHaveLength(1);
    expect(prompt()).toBe('Quiz question 1?');
    expect(picked()).toEqual([false, false, false, false]);
    expect(marks()).toEqual(['', '', '', '']);
    expect(choices().some((c) => c.getAttribute('aria-disabled') === 'true')).toBe(false);
    expect(screen.getByTestId<HTMLButtonElement>('check').disabled).toBe(true);
    expect(screen.getByTestId('progress').textContent).toContain('0 reviewed');

    // Answered again, right this time.
    await press(user, '2{Enter}');
    expect((await screen.findByTestId('quiz-verdict')).textContent).toContain('Right.');
    await press(user, '{Enter}');
    await waitFor(() => expect(backend.callsTo('answer_quiz_card')).toHaveLength(2));
    expect(quizAnswers(backend)[1]).toMatchObject({ cardId: 1, chosen: [1], rating: 'good' });
    // The UI showed the card undo returned, then the next.
    await waitForPrompt('Quiz question 2?');
    expect(backend.callsTo('next_card')).toHaveLength(2);
  });

  it('sends a quiz answer only once while it is in flight', async () => {
    const { user, backend } = await start(script().reply('answer_quiz_card', answered(1, 'again')));
    backend.held.add('answer_quiz_card');

    await press(user, '1{Enter}');
    await press(user, '{Enter}'); // would continue past the card if the answer were not awaited
    await press(user, '2');
    backend.held.delete('answer_quiz_card');
    backend.release();

    expect((await screen.findByTestId('quiz-verdict')).textContent).toContain('Not quite');
    expect(prompt()).toBe('Quiz question 1?');
    expect(picked()).toEqual([true, false, false, false]);
    expect(backend.callsTo('answer_quiz_card')).toHaveLength(1);
  });

  it('takes the verdict from the core, not from the options it shows', async () => {
    // The core's copy changed after the card was shown (say, a pack update): it is the authority.
    const backend = script().reply('check_quiz_card', true).reply('answer_quiz_card', answered(1, 'good'));
    const { user } = await start(backend);

    await press(user, '1{Enter}');
    expect((await screen.findByTestId('quiz-verdict')).textContent).toContain('Right.');
    await press(user, '{Enter}');
    await waitForPrompt('Quiz question 2?');
    expect(quizAnswers(backend)).toEqual([{ cardId: 1, chosen: [0], rating: 'good', durationMs: expect.any(Number) }]);
    expect(backend.callsTo('check_quiz_card').map((c) => c.args)).toEqual([{ cardId: 1, chosen: [0] }]);
  });

  it('checks a choice only once while the core grades it, and the choice stays as sent', async () => {
    const { user, backend } = await start(script().reply('answer_quiz_card', answered(1, 'good')));
    backend.held.add('check_quiz_card');

    await press(user, '2{Enter}');
    await press(user, ' 3');
    await user.click(choices()[0]);
    await user.click(screen.getByTestId('check'));
    expect(backend.callsTo('check_quiz_card')).toHaveLength(1);
    expect(picked()).toEqual([false, true, false, false]);
    backend.held.delete('check_quiz_card');
    backend.release();

    expect((await screen.findByTestId('quiz-verdict')).textContent).toContain('Right.');
    expect(backend.callsTo('check_quiz_card')).toHaveLength(1);
    expect(picked()).toEqual([false, true, false, false]);
    await press(user, '{Enter}');
    await waitForPrompt('Quiz question 2?');
    expect(quizAnswers(backend)).toEqual([{ cardId: 1, chosen: [1], rating: 'good', durationMs: expect.any(Number) }]);
  });

  it('keeps the card when checking it fails', async () => {
    const { user, backend } = await start();
    backend.failures.set('check_quiz_card', { code: 'database', message: 'database is locked' });

    await press(user, '2{Enter}');
    expect((await screen.findByTestId('error')).textContent).toContain('database is locked');
    expect(screen.queryByTestId('quiz-verdict')).toBeNull();
    expect(backend.callsTo('answer_quiz_card')).toHaveLength(0);

    backend.failures.clear();
    await press(user, '{Enter}');
    expect((await screen.findByTestId('quiz-verdict')).textContent).toContain('Right.');
  });

  it('keeps the card when recording a wrong answer fails', async () => {
    const { user, backend } = await start(script().reply('answer_quiz_card', answered(1, 'again')));
    backend.failures.set('answer_quiz_card', { code: 'database', message: 'disk I/O error' });

    await press(user, '1{Enter}');
    expect((await screen.findByTestId('error')).textContent).toContain('disk I/O error');
    // Not recorded, so not shown as rated Again: the learner can check again.
    expect(screen.queryByTestId('quiz-verdict')).toBeNull();
    expect(screen.getByTestId('progress').textContent).toContain('0 reviewed');

    backend.failures.clear();
    await press(user, '{Enter}');
    expect((await screen.findByTestId('quiz-verdict')).textContent).toContain('Not quite');
    expect(backend.callsTo('answer_quiz_card')).toHaveLength(2);
  });
});
