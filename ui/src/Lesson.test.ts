import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import App from './App.svelte';
import type {
  AppError,
  LessonPage,
  LessonQuestion,
  LibraryArea,
  QuizResult,
  SearchHit,
  TermPage,
} from './lib/bindings';
import { choices, marks, picked } from './test/choices';
import { recorded } from './test/recorded';
import { PACK, Scripted, makeQuizCard, makeTerm, optionsFor, type Args } from './test/scripted';

type User = ReturnType<typeof userEvent.setup>;

/** When the quizzes here are taken. */
const TAKEN_AT = '2025-03-01T09:30:00Z';

/** The answers check_lesson_answer grades right, as lesson:question:chosen; any other is wrong.
 *  The core's grading itself: answers_are_checked_by_the_core_before_they_are_recorded (tests/lessons.rs). */
const RIGHT = ['basics:0:[1]', 'basics:1:[0,2]', 'basics:2:[0]', 'networking:0:[3]'];

/** finish_lesson's reply (the recorded one's shape): these verdicts, and cards queued. */
function result(right: boolean[], queued: number): QuizResult {
  const score = { correct: right.filter(Boolean).length, total: right.length, taken_at: TAKEN_AT };
  return { ...recorded.finishLesson(), score, right, cards_queued: queued };
}

/** "basics" → "Basics", "rolling-updates" → "Rolling updates". */
function title(key: string): string {
  return key.charAt(0).toUpperCase() + key.slice(1).replace(/-/g, ' ');
}

/** A lesson question; `correct` are its right options (0-based). */
function makeQuestion(id: string, correct: number[], kind: LessonQuestion['kind'] = 'single'): LessonQuestion {
  const explanation_html = `<p>Explained: <em>${id}</em>.</p>`;
  return { id, kind, prompt: `Question ${id}?`, options: optionsFor(kind), correct, explanation_html };
}

/** A lesson page (the recorded one) in PACK, not yet finished, with these questions. */
function makeLesson(key: string, questions: LessonQuestion[]): LessonPage {
  const name = title(key);
  return {
    ...recorded.lesson(),
    summary: { key, title: name, summary: `What ${name} covers.`, level: 'beginner', tags: ['intro'], best: null },
    area: 'Testing',
    body_html: `<p>Read about <strong>${name}</strong>.</p>`,
    terms: [],
    questions,
    attempts: 0,
  };
}

/** A library area (the recorded one) in PACK listing these lessons and terms, in order. */
function makeArea(lessons: LessonPage[], terms: TermPage[] = []): LibraryArea {
  return {
    ...recorded.library()[0],
    pack: PACK,
    key: 'testing',
    name: 'Testing',
    description_html: '<p>All about <strong>tests</strong>.</p>',
    lessons: lessons.map((l) => structuredClone(l.summary)),
    terms: terms.map((t) => ({ pack: PACK, key: t.key, name: t.name, definition: t.definition, level: t.level })),
  };
}

/** A library of one area: "Basics" (3 questions, never finished) and "Networking" (finished
 *  before, best 2/3), with the terms Node and Pod; each page answered by its key. */
function setup() {
  const pod = makeTerm('pod', 'Pod');
  const node = makeTerm('node', 'Node');
  const terms: Record<string, TermPage> = { pod, node };

  const basics = makeLesson('basics', [
    makeQuestion('q1', [1], 'single'),
    makeQuestion('q2', [0, 2], 'multiple'),
    makeQuestion('q3', [0], 'true_false'),
  ]);
  basics.terms = [{ pack: PACK, key: 'pod', name: 'Pod', definition: 'Definition of Pod.', level: 'beginner' }];
  const networking = makeLesson('networking', [makeQuestion('n1', [3])]);
  networking.summary.level = 'intermediate';
  networking.summary.best = { correct: 2, total: 3, taken_at: TAKEN_AT };
  networking.attempts = 1;
  const lessons: Record<string, LessonPage> = { basics, networking };

  const hits: Record<string, SearchHit[]> = {
    no: [{ kind: 'term', pack: PACK, key: 'node', title: 'Node', snippet: node.definition }],
    bas: [{ kind: 'lesson', pack: PACK, key: 'basics', title: 'Basics', snippet: basics.summary.summary }],
  };
  const right = new Set(RIGHT);
  const backend = new Scripted()
    .reply('get_library', [makeArea([basics, networking], [node, pod])])
    .replyWith('search', (a) => hits[String(a.text)] ?? [])
    .replyWith('get_term', (a) => terms[String(a.key)])
    .replyWith('get_lesson', (a) => lessons[String(a.key)] ?? notFound(a))
    .replyWith('check_lesson_answer', (a) => right.has(answerOf(a)));
  const user = userEvent.setup();
  render(App);
  return { user, backend, lessons, right };
}

/** check_lesson_answer's args as lesson:question:chosen, the form RIGHT lists. */
function answerOf(args: Args): string {
  return `${String(args.key)}:${String(args.question)}:${JSON.stringify(args.chosen)}`;
}

/** get_lesson's refusal of a lesson it does not have, as the core words it
 *  (a_lesson_the_core_does_not_have_is_not_found in src-tauri/tests/ui_contract.rs). */
function notFound(args: Args): never {
  const message = `no lesson '${String(args.key)}' in pack '${String(args.pack)}'; the library lists the lessons`;
  throw { code: 'not_found', message } satisfies AppError;
}

async function openLibrary(user: User) {
  await screen.findByTestId('today');
  await user.keyboard('/');
  await screen.findAllByTestId('library-lesson');
}

async function openLesson(user: User, title: string) {
  await openLibrary(user);
  const button = screen.getAllByTestId('library-lesson').find((b) => b.textContent?.includes(title));
  if (!button) throw new Error(`no lesson ${title} in the library`);
  await user.click(button);
  await waitFor(() => expect(screen.getByTestId('lesson-title').textContent).toBe(title));
}

/** Starts the quiz from the lesson without the mouse: focus the button, press Enter. */
async function startQuizByKeyboard(user: User) {
  screen.getByTestId('take-quiz').focus();
  await user.keyboard('{Enter}');
  await screen.findByTestId('quiz');
}

describe('Library overview', () => {
  it('lists the lessons in order with their best score, and the terms, while the query is empty', async () => {
    const { user, backend } = setup();
    await openLibrary(user);

    expect(backend.callsTo('get_library')).toHaveLength(1);
    const area = screen.getByTestId('area');
    expect(within(area).getByRole('heading', { level: 2 }).textContent).toBe('Testing');
    // The description is sanitized HTML from the core, rendered as markup.
    expect(area.querySelector('.description strong')?.textContent).toBe('tests');

    const lessons = screen.getAllByTestId('library-lesson');
    expect(lessons.map((l) => l.querySelector('.title')?.textContent)).toEqual(['Basics', 'Networking']);
    // Not finished: its level shows; finished: its best score instead.
    expect(lessons[0].querySelector('.done')).toBeNull();
    expect(lessons[0].querySelector('.level')?.textContent).toBe('beginner');
    expect(lessons[1].querySelector('.done')?.textContent).toBe('✓ 2/3');
    expect(lessons[1].querySelector('.level')).toBeNull();
    expect(lessons[1].textContent).toContain('What Networking covers.');

    expect(screen.getAllByTestId('library-term').map((t) => t.textContent?.trim())).toEqual(['Node', 'Pod']);

    // Typing hides the overview in favour of the results, and clearing it brings it back.
    await user.keyboard('no');
    await waitFor(() => expect(screen.getAllByTestId('hit')).toHaveLength(1));
    expect(screen.queryByTestId('area')).toBeNull();
    await user.keyboard('{Backspace}{Backspace}');
    await screen.findByTestId('area');
    expect(screen.queryAllByTestId('hit')).toHaveLength(0);
  });

  it('says when an area is switched off, and only then', async () => {
    const on = { ...makeArea([]), key: 'on', name: 'On', enabled: true };
    const off = { ...makeArea([]), pack: 'other.pack', key: 'off', name: 'Off', enabled: false };
    new Scripted().reply('get_library', [on, off]);
    const user = userEvent.setup();
    render(App);
    await screen.findByTestId('today');
    await user.keyboard('/');
    await waitFor(() => expect(screen.getAllByTestId('area')).toHaveLength(2));
    const [first, second] = screen.getAllByTestId('area');
    expect(within(first).queryByTestId('area-off')).toBeNull();
    expect(within(second).getByTestId('area-off').textContent).toContain('its cards stay out of your reviews');
  });

  it('opens a term from the overview', async () => {
    const { user, backend } = setup();
    await openLibrary(user);

    await user.click(screen.getAllByTestId('library-term')[1]);
    expect((await screen.findByTestId('term-name')).textContent).toBe('Pod');
    expect(backend.callsTo('get_term').slice(-1)[0]?.args).toEqual({ pack: PACK, key: 'pod' });
  });

  it('opens the lesson reader when a lesson is clicked', async () => {
    const { user, backend } = setup();
    await openLesson(user, 'Networking');

    expect(backend.callsTo('get_lesson')).toEqual([{ cmd: 'get_lesson', args: { pack: PACK, key: 'networking' } }]);
    expect(screen.queryByTestId('library')).toBeNull();
    expect(screen.getByTestId('lesson-best').textContent).toContain('best quiz score 2/3');
    expect(screen.getByTestId('take-quiz').textContent?.trim()).toBe('Take the quiz again');
    expect(screen.getByTestId('nav-library').classList.contains('active')).toBe(true);
  });

  it('opens a lesson found by search with Enter', async () => {
    const { user, backend } = setup();
    await openLibrary(user);

    await user.keyboard('bas');
    await waitFor(() => expect(screen.getAllByTestId('hit')).toHaveLength(1));
    const hit = screen.getByTestId('hit');
    expect(hit.querySelector('.kind')?.textContent).toBe('lesson');
    expect(hit.querySelector('.title')?.textContent).toBe('Basics');

    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.getByTestId('lesson-title').textContent).toBe('Basics'));
    expect(backend.callsTo('get_lesson').slice(-1)[0]?.args).toEqual({ pack: PACK, key: 'basics' });
    expect(backend.callsTo('get_term')).toHaveLength(0);
    // Never finished: no best score, and the quiz is offered for the first time.
    expect(screen.queryByTestId('lesson-best')).toBeNull();
    expect(screen.getByTestId('take-quiz').textContent?.trim()).toBe('Take the quiz');
  });
});

const BODY = `
<h2>Diagram</h2>
<p><img alt="Flow diagram" src="data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4="></p>
<pre><code class="language-yaml">apiVersion: v1
kind: Pod
</code></pre>
<pre><code class="language-cobol">MOVE A TO B.</code></pre>
<p>Read <a href="https://example.com/docs">the docs</a>, <a href="media/x.svg">the diagram</a>,
<a href="#x">below</a>, <a href="http://example.com/plain">the plain page</a>
or <a href="https://example.com/cli"><code>kubectl</code></a>.</p>`;

/** Clicks a link and says whether the click's default action (navigating) was prevented. */
async function clickLink(user: User, target: Element): Promise<boolean> {
  let click: Event | null = null;
  const grab = (e: Event) => (click = e);
  document.addEventListener('click', grab, { capture: true });
  try {
    await user.click(target);
  } finally {
    document.removeEventListener('click', grab, { capture: true });
  }
  if (!click) throw new Error('no click reached the document');
  return (click as Event).defaultPrevented;
}

describe('Lesson reader', () => {
  function setupBody() {
    const env = setup();
    env.lessons.basics.body_html = BODY;
    return env;
  }

  it('shows the title, meta and the body rendered as markup, with code highlighted', async () => {
    const { user } = setupBody();
    await openLesson(user, 'Basics');

    const lesson = screen.getByTestId('lesson');
    expect(lesson.querySelector('.meta')?.textContent).toMatch(/Testing · beginner\s*· #intro/);
    expect(lesson.querySelector('.summary')?.textContent).toBe('What Basics covers.');
    expect(lesson.textContent).toContain('3 questions.');

    const body = screen.getByTestId('lesson-body');
    expect(body.textContent).not.toContain('<img');
    expect(within(body).getByRole('heading', { level: 2 }).textContent).toBe('Diagram');
    const img = within(body).getByAltText<HTMLImageElement>('Flow diagram');
    expect(img.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);

    const [yaml, cobol] = [...body.querySelectorAll<HTMLElement>('pre code')];
    await waitFor(() => expect(yaml.classList.contains('hljs')).toBe(true));
    expect(yaml.querySelectorAll('span').length).toBeGreaterThan(0);
    expect(yaml.querySelector('span.hljs-attr')?.textContent).toMatch(/^apiVersion/);
    // Highlighting only wraps the code in markup; the text reads the same.
    expect(yaml.textContent).toBe('apiVersion: v1\nkind: Pod\n');
    // A language that is not bundled is left as plain text.
    expect(cobol.classList.contains('hljs')).toBe(false);
    expect(cobol.querySelectorAll('span')).toHaveLength(0);
    expect(cobol.textContent).toBe('MOVE A TO B.');
  });

  it('keeps links from navigating, and opens only https links in the browser', async () => {
    const { user, backend } = setupBody();
    await openLesson(user, 'Basics');
    const body = screen.getByTestId('lesson-body');
    const hashBefore = window.location.hash;

    for (const name of ['the diagram', 'below', 'the plain page']) {
      expect(await clickLink(user, within(body).getByRole('link', { name }))).toBe(true);
    }
    expect(window.location.hash).toBe(hashBefore);
    expect(backend.callsTo('plugin:opener|open_url')).toHaveLength(0);

    expect(await clickLink(user, within(body).getByRole('link', { name: 'the docs' }))).toBe(true);
    await waitFor(() => expect(backend.callsTo('plugin:opener|open_url')).toHaveLength(1));
    expect(backend.callsTo('plugin:opener|open_url')[0].args).toEqual({ url: 'https://example.com/docs' });

    // A click on markup inside a link still opens that link.
    expect(await clickLink(user, within(body).getByText('kubectl'))).toBe(true);
    await waitFor(() => expect(backend.callsTo('plugin:opener|open_url')).toHaveLength(2));
    expect(backend.callsTo('plugin:opener|open_url')[1].args).toMatchObject({ url: 'https://example.com/cli' });

    // Still reading the lesson, with no error.
    expect(screen.getByTestId('lesson-title').textContent).toBe('Basics');
    expect(screen.queryByTestId('error')).toBeNull();
  });

  it('shows the error when the browser cannot be opened', async () => {
    const { user, backend } = setupBody();
    await openLesson(user, 'Basics');
    backend.failures.set('plugin:opener|open_url', { code: 'io', message: 'no browser found' });

    await clickLink(user, within(screen.getByTestId('lesson-body')).getByRole('link', { name: 'the docs' }));
    expect((await screen.findByTestId('error')).textContent).toContain('no browser found');
  });

  it("opens a term from the lesson's terms", async () => {
    const { user, backend } = setupBody();
    await openLesson(user, 'Basics');

    const terms = screen.getAllByTestId('lesson-term');
    expect(terms).toHaveLength(1);
    expect(terms[0].textContent).toContain('Definition of Pod.');
    await user.click(terms[0]);
    expect((await screen.findByTestId('term-name')).textContent).toBe('Pod');
    expect(backend.callsTo('get_term').slice(-1)[0]?.args).toEqual({ pack: PACK, key: 'pod' });
  });

  it('goes back to the library on Escape, and from there to Today', async () => {
    const { user } = setupBody();
    await openLesson(user, 'Basics');

    await user.keyboard('{Escape}');
    await screen.findByTestId('library');
    expect(screen.queryByTestId('lesson')).toBeNull();
    // One Escape steps back one screen only.
    expect(screen.queryByTestId('today')).toBeNull();

    await user.keyboard('{Escape}');
    await screen.findByTestId('today');
  });

  it('shows an error for a lesson the core does not have', async () => {
    const { user, lessons } = setup();
    await openLibrary(user);
    delete lessons.networking;

    await user.click(screen.getAllByTestId('library-lesson')[1]);
    expect((await screen.findByTestId('error')).textContent).toContain("no lesson 'networking'");
    expect(screen.queryByTestId('lesson-title')).toBeNull();
  });
});

describe('Quiz', () => {
  it('is taken with number keys and Enter, sends the answers and offers to review its cards', async () => {
    // The first finish queues the lesson's cards, its questions first: quiz_cards_wait_for_their_lesson_then_come_first
    // (tests/lessons.rs) and a_lesson_is_read_its_quiz_taken_and_its_questions_reviewed (src-tauri/tests/commands.rs).
    const { user, backend } = setup();
    backend
      .reply('finish_lesson', result([true, true, false], 3))
      .reply('next_card', makeQuizCard(101, [1], 'single'), makeQuizCard(102, [0, 2], 'multiple'));
    await openLesson(user, 'Basics');
    await startQuizByKeyboard(user);

    // Question 1, single choice: a second pick replaces the first; keys beyond the options do nothing.
    expect(screen.getByTestId('quiz-prompt').textContent).toBe('Question q1?');
    expect(screen.getByTestId('quiz-progress').textContent).toContain('Question 1 of 3 · 0 right so far');
    await user.keyboard('{Enter}'); // nothing chosen: nothing to check
    expect(screen.queryByTestId('quiz-feedback')).toBeNull();
    expect(screen.getByTestId<HTMLButtonElement>('quiz-check').disabled).toBe(true);
    await user.keyboard('1');
    expect(picked()).toEqual([true, false, false, false]);
    await user.keyboard('2');
    expect(picked()).toEqual([false, true, false, false]);
    await user.keyboard('5');
    expect(picked()).toEqual([false, true, false, false]);

    await user.keyboard('{Enter}');
    const feedback = screen.getByTestId('quiz-feedback');
    expect(feedback.classList.contains('right')).toBe(true);
    expect(feedback.textContent).toContain('Right.');
    expect(feedback.querySelector('em')?.textContent).toBe('q1');
    expect(marks()).toEqual(['', 'right', '', '']);
    await user.keyboard('3'); // checked: the answer is final
    expect(picked()).toEqual([false, true, false, false]);
    expect(screen.getByTestId('quiz-next').textContent).toContain('Next question');

    // Question 2, multiple choice: keys toggle.
    await user.keyboard('{Enter}');
    expect(screen.getByTestId('quiz-prompt').textContent).toBe('Question q2?');
    expect(screen.getByTestId('quiz-progress').textContent).toContain('Question 2 of 3 · 1 right so far');
    expect(screen.queryByTestId('quiz-feedback')).toBeNull();
    expect(picked()).toEqual([false, false, false, false]);
    expect(screen.getByRole('group', { name: 'Options' })).toBeTruthy();
    await user.keyboard('3');
    await user.keyboard('2');
    await user.keyboard('1');
    expect(picked()).toEqual([true, true, true, false]);
    await user.keyboard('2');
    expect(picked()).toEqual([true, false, true, false]);
    await user.keyboard('{Enter}');
    expect(screen.getByTestId('quiz-feedback').textContent).toContain('Right.');
    expect(marks()).toEqual(['right', '', 'right', '']);

    // Question 3, true or false, answered wrong.
    await user.keyboard('{Enter}');
    expect(screen.getByTestId('quiz-prompt').textContent).toBe('Question q3?');
    expect(choices().map((c) => c.textContent)).toEqual([expect.stringContaining('True'), expect.stringContaining('False')]);
    await user.keyboard('3');
    expect(picked()).toEqual([false, false]);
    await user.keyboard('2');
    await user.keyboard('{Enter}');
    const wrong = screen.getByTestId('quiz-feedback');
    expect(wrong.classList.contains('right')).toBe(false);
    expect(wrong.textContent).toContain('Not quite.');
    expect(wrong.querySelector('em')?.textContent).toBe('q3');
    expect(marks()).toEqual(['right', 'wrong']);
    expect(screen.getByTestId('quiz-progress').textContent).toContain('2 right so far');
    expect(screen.getByTestId('quiz-next').textContent).toContain('See my score');
    expect(backend.callsTo('finish_lesson')).toHaveLength(0);
    // Each answer was graded by the core as it was checked, recording nothing.
    expect(backend.callsTo('check_lesson_answer').map((c) => c.args)).toEqual([
      { pack: PACK, key: 'basics', question: 0, chosen: [1] },
      { pack: PACK, key: 'basics', question: 1, chosen: [0, 2] },
      { pack: PACK, key: 'basics', question: 2, chosen: [1] },
    ]);

    await user.keyboard('{Enter}');
    const score = await screen.findByTestId('quiz-score');
    expect(score.querySelector('strong')?.textContent).toBe('2');
    expect(score.textContent).toContain('of 3 right');
    expect(backend.callsTo('finish_lesson')).toEqual([
      { cmd: 'finish_lesson', args: { pack: PACK, key: 'basics', answers: [[1], [0, 2], [1]] } },
    ]);
    const recap = screen.getByTestId('quiz').querySelectorAll('.recap li span');
    expect([...recap].map((s) => s.getAttribute('aria-label'))).toEqual(['right', 'right', 'wrong']);
    expect(screen.getByTestId('quiz-queued').textContent).toContain('3 cards from this lesson');

    // Review now: the lesson's quiz cards come first.
    await user.keyboard('{Enter}');
    await screen.findByTestId('review');
    await waitFor(() => expect(screen.getByTestId('prompt').textContent).toBe('Quiz question 101?'));
    expect(screen.getByTestId('review').textContent).toContain('From the lesson Basics');
    expect(choices()).toHaveLength(4);
    expect(backend.callsTo('finish_lesson')).toHaveLength(1);
  });

  it('its options are one Tab stop; the arrow keys move between them and pick, as radios do', async () => {
    const { user } = setup();
    await openLesson(user, 'Basics');
    await startQuizByKeyboard(user);
    const options = screen.getAllByTestId('choice');
    expect(options.map((o) => o.tabIndex)).toEqual([0, -1, -1, -1]);
    options[0].focus();
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(options[1]);
    expect(picked()).toEqual([false, true, false, false]);
    expect(options.map((o) => o.tabIndex)).toEqual([-1, 0, -1, -1]);
    await user.keyboard('{ArrowUp}{ArrowUp}');
    expect(document.activeElement).toBe(options[3]);
    expect(picked()).toEqual([false, false, false, true]);
    // Enter on an option checks, as the hint says.
    await user.keyboard('{Enter}');
    await screen.findByTestId('quiz-feedback');
  });

  it('goes back to the lesson on Escape without finishing, and goes on where it was left next time', async () => {
    const { user, backend } = setup();
    backend.reply('finish_lesson', result([true, false, false], 3));
    await openLesson(user, 'Basics');
    await startQuizByKeyboard(user);
    await user.keyboard('2{Enter}{Enter}1');
    expect(screen.getByTestId('quiz-progress').textContent).toContain('Question 2 of 3');

    await user.keyboard('{Escape}');
    await screen.findByTestId('lesson');
    expect(screen.queryByTestId('quiz')).toBeNull();
    // Only the quiz closes: the lesson stays, it does not go on to the library.
    expect(screen.getByTestId('lesson-title').textContent).toBe('Basics');
    expect(screen.queryByTestId('library')).toBeNull();
    expect(backend.callsTo('finish_lesson')).toHaveLength(0);
    expect(backend.callsTo('check_lesson_answer')).toHaveLength(1);

    // Its answers were kept: question 2, the first answer counted, the choice made still made.
    await startQuizByKeyboard(user);
    expect(screen.getByTestId('quiz-progress').textContent).toContain('Question 2 of 3 · 1 right so far');
    expect(screen.getByTestId('quiz-resumed').textContent).toBe('Picking up where you left the quiz.');
    expect(picked()).toEqual([true, false, false, false]);
    await user.keyboard('{Enter}{Enter}1{Enter}{Enter}');
    await screen.findByTestId('quiz-score');
    expect(backend.callsTo('finish_lesson')).toHaveLength(1);

    // Finished: the next time starts over.
    await user.keyboard('{Escape}');
    await screen.findByTestId('lesson');
    await startQuizByKeyboard(user);
    expect(screen.getByTestId('quiz-progress').textContent).toContain('Question 1 of 3 · 0 right so far');
    expect(screen.queryByTestId('quiz-resumed')).toBeNull();
    expect(picked()).toEqual([false, false, false, false]);
  });

  it('keeps its answers when / is pressed, and / works again once the quiz is closed', async () => {
    const { user } = setup();
    await openLesson(user, 'Basics');
    await startQuizByKeyboard(user);
    await user.keyboard('2{Enter}{Enter}');
    await user.keyboard('/');
    expect(screen.queryByTestId('library')).toBeNull();
    expect(screen.getByTestId('quiz-progress').textContent).toContain('Question 2 of 3');

    await user.keyboard('{Escape}');
    await screen.findByTestId('lesson');
    await user.keyboard('/');
    await screen.findByTestId('library');
  });

  it('is taken with the mouse, shows the score the core gives and updates the lesson', async () => {
    // Once finished, the core's page has the best score: taking_a_quiz_is_graded_recorded_and_queues_cards_once
    // (tests/lessons.rs).
    const { user, backend, lessons } = setup();
    const best = { correct: 2, total: 3, taken_at: TAKEN_AT };
    const finished = { ...lessons.basics, summary: { ...lessons.basics.summary, best }, attempts: 1 };
    backend
      .reply('finish_lesson', result([true, false, true], 3))
      .replyWith('get_lesson', (a) => (backend.callsTo('finish_lesson').length ? finished : lessons[String(a.key)]));
    await openLesson(user, 'Basics');
    await user.click(screen.getByTestId('take-quiz'));
    await screen.findByTestId('quiz');

    // Question 1: right.
    expect(screen.getByTestId<HTMLButtonElement>('quiz-check').disabled).toBe(true);
    await user.click(choices()[1]);
    expect(picked()).toEqual([false, true, false, false]);
    await user.click(screen.getByTestId('quiz-check'));
    expect(screen.getByTestId('quiz-feedback').textContent).toContain('Right.');
    expect(choices().every((c) => c.getAttribute('aria-disabled') === 'true')).toBe(true);
    await user.click(screen.getByTestId('quiz-next'));

    // Question 2: a click toggles; one of the two right options is left out, so it is wrong.
    await user.click(choices()[0]);
    await user.click(choices()[2]);
    await user.click(choices()[2]);
    expect(picked()).toEqual([true, false, false, false]);
    await user.click(screen.getByTestId('quiz-check'));
    expect(screen.getByTestId('quiz-feedback').textContent).toContain('Not quite.');
    expect(marks()).toEqual(['right', '', 'right', '']);
    await user.click(screen.getByTestId('quiz-next'));

    // Question 3: right.
    await user.click(screen.getByRole('radio', { name: /True/ }));
    await user.click(screen.getByTestId('quiz-check'));
    expect(screen.getByTestId('quiz-progress').textContent).toContain('2 right so far');
    await user.click(screen.getByTestId('quiz-next'));

    const score = await screen.findByTestId('quiz-score');
    expect(backend.callsTo('finish_lesson')[0].args.answers).toEqual([[1], [0], [0]]);
    expect(score.querySelector('strong')?.textContent).toBe('2');
    expect(score.textContent).toContain('of 3 right');

    await user.click(screen.getByRole('button', { name: 'Back to the lesson' }));
    // The lesson is read again: it now shows the best score and offers the quiz again.
    await waitFor(() => expect(screen.getByTestId('lesson-best').textContent).toContain('best quiz score 2/3'));
    expect(backend.callsTo('get_lesson')).toHaveLength(2);
    expect(screen.getByTestId('take-quiz').textContent?.trim()).toBe('Take the quiz again');
  });

  it('shows the verdicts and the score the core graded, not its own', async () => {
    const { user, backend, right } = setup();
    backend.reply('finish_lesson', result([true, true, true], 3));
    await openLesson(user, 'Basics');
    // The core's copy changed after the page was read (say, a pack update): it is the authority.
    right.delete('basics:2:[0]');
    right.add('basics:2:[1]');
    await startQuizByKeyboard(user);
    await user.keyboard('2{Enter}{Enter}13{Enter}{Enter}2{Enter}');
    await waitFor(() => expect(screen.getByTestId('quiz-feedback').textContent).toContain('Right.'));
    expect(screen.getByTestId('quiz-feedback').classList.contains('right')).toBe(true);
    expect(screen.getByTestId('quiz-progress').textContent).toContain('3 right so far');

    await user.keyboard('{Enter}');
    expect((await screen.findByTestId('quiz-score')).querySelector('strong')?.textContent).toBe('3');
    const recap = screen.getByTestId('quiz').querySelectorAll('.recap li span');
    expect([...recap].map((s) => s.getAttribute('aria-label'))).toEqual(['right', 'right', 'right']);
    expect(backend.callsTo('finish_lesson')[0].args.answers).toEqual([[1], [0, 2], [1]]);
  });

  it('checks an answer once while the core grades it, keeping the choice it grades', async () => {
    const { user, backend } = setup();
    await openLesson(user, 'Basics');
    await startQuizByKeyboard(user);
    backend.held.add('check_lesson_answer');

    await user.keyboard('2{Enter}');
    // In flight: Enter again, Space and the Check button do not send it twice; keys do not
    // change the choice being graded.
    await user.keyboard('{Enter} 3');
    expect(screen.getByTestId<HTMLButtonElement>('quiz-check').disabled).toBe(true);
    expect(picked()).toEqual([false, true, false, false]);
    expect(screen.queryByTestId('quiz-feedback')).toBeNull();
    backend.held.delete('check_lesson_answer');
    backend.release();

    expect((await screen.findByTestId('quiz-feedback')).textContent).toContain('Right.');
    expect(backend.callsTo('check_lesson_answer')).toHaveLength(1);
    expect(screen.getByTestId('quiz-progress').textContent).toContain('Question 1 of 3 · 1 right so far');
    // Checked, Enter goes on as before.
    await user.keyboard('{Enter}');
    expect(screen.getByTestId('quiz-prompt').textContent).toBe('Question q2?');
  });

  it('shows a failure to check an answer and lets Enter check it again', async () => {
    const { user, backend } = setup();
    await openLesson(user, 'Basics');
    await startQuizByKeyboard(user);
    backend.failures.set('check_lesson_answer', { code: 'database', message: 'database is locked' });

    await user.keyboard('1{Enter}');
    expect((await screen.findByTestId('error')).textContent).toContain('database is locked');
    expect(screen.queryByTestId('quiz-feedback')).toBeNull();
    expect(picked()).toEqual([true, false, false, false]);

    backend.failures.clear();
    await user.keyboard('{Enter}');
    expect((await screen.findByTestId('quiz-feedback')).textContent).toContain('Not quite.');
    expect(screen.getByTestId('quiz-progress').textContent).toContain('0 right so far');
    expect(backend.callsTo('check_lesson_answer')).toHaveLength(2);
  });

  it('says the cards are already queued when the quiz was finished before', async () => {
    // The core queues a lesson's cards once: taking_a_quiz_is_graded_recorded_and_queues_cards_once (tests/lessons.rs).
    const { user, backend } = setup();
    backend.reply('finish_lesson', result([true], 0));
    await openLesson(user, 'Networking');
    await startQuizByKeyboard(user);
    await user.keyboard('4{Enter}{Enter}');

    expect((await screen.findByTestId('quiz-score')).textContent).toContain('1 of 1 right');
    expect(screen.queryByTestId('quiz-queued')).toBeNull();
    expect(screen.getByTestId('quiz').textContent).toContain("This lesson's cards are already in your reviews.");
  });

  it('shows a failure to record the quiz and lets Enter try again', async () => {
    const { user, backend } = setup();
    backend.reply('finish_lesson', result([true], 0));
    await openLesson(user, 'Networking');
    await startQuizByKeyboard(user);
    backend.failures.set('finish_lesson', { code: 'database', message: 'database is locked' });
    await user.keyboard('4{Enter}{Enter}');

    expect((await screen.findByTestId('error')).textContent).toContain('database is locked');
    expect(screen.queryByTestId('quiz-score')).toBeNull();
    expect(screen.getByTestId('quiz-prompt').textContent).toBe('Question n1?');

    backend.failures.clear();
    await user.keyboard('{Enter}');
    expect((await screen.findByTestId('quiz-score')).textContent).toContain('1 of 1 right');
    expect(backend.callsTo('finish_lesson').map((c) => c.args.answers)).toEqual([[[3]], [[3]]]);
  });
});
