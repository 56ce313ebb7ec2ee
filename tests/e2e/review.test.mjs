import { execFileSync } from 'node:child_process';
// End-to-end test: review three new cards with the keyboard, check the Today
// counts, restart the app on the same data directory and check they persisted.
//
// Run through tests/e2e/run.sh (it starts Xvfb, D-Bus and tauri-driver).
// Environment: APP (absolute path of the app binary, required),
//              SCREENSHOT_DIR (default tests/e2e/artifacts),
//              E2E_PORT (tauri-driver port, default 4444),
//              E2E_KEEP_DATA=1 (keep the temporary data directory).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Key } from 'webdriverio';
import {
  COUNT,
  disableBuiltinPack,
  escaped,
  failureScreenshot,
  grouped,
  haveCounts,
  makeDataDir,
  quitApp,
  readTodayCounts,
  recordImportProgress,
  removeDataDir,
  snapshot,
  startApp,
  waitFor,
  watchImport,
  withApp,
} from './app.mjs';
import { STEP_TIMEOUT, screenshot, sleep } from './support.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const APP = process.env.APP;

// ---------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------

test('review three new cards with the keyboard; Today counts update and persist across restart', { timeout: 300_000 }, async (t) => {
  const dataDir = await makeDataDir();
  let browser;
  let stage = 'startup';
  try {
    // 1. Fresh data dir -> Today screen with new cards.
    browser = await startApp(dataDir);
    stage = 'today-initial';
    let before = await readTodayCounts(browser, 'the initial Today counts');
    if (!(before.new > 0)) {
      // Counts may be filled in asynchronously; give them a moment before failing.
      const s = await waitFor(browser, (x) => haveCounts(x) && x.counts.new > 0, {
        what: 'a new-card count > 0 on the Today screen of a fresh data dir',
      });
      before = s.counts;
    }
    t.diagnostic(`counts before review: ${JSON.stringify(before)}`);
    assert.ok(before.new >= 3, `need at least 3 new cards to review, Today shows new=${before.new}`);

    // 2. Start the review with the keyboard.
    stage = 'start-review';
    await browser.keys([Key.Enter]);
    const inReview = (s) => s.review && s.prompt !== null;
    try {
      await waitFor(browser, inReview, { what: 'the Review screen after pressing Enter on Today', timeout: 5_000 });
    } catch (err) {
      if (/error banner/.test(err.message)) throw err;
      // Enter did not start the review (e.g. nothing focused): use the button.
      t.diagnostic('WARNING: Enter on Today did not open the Review screen within 5 s; clicking [data-testid=start-review]');
      const button = await browser.$('[data-testid=start-review]');
      await button.waitForDisplayed({ timeout: STEP_TIMEOUT, timeoutMsg: '[data-testid=start-review] is not displayed on the Today screen' });
      await button.click();
      await waitFor(browser, inReview, {
        what: 'the Review screen ([data-testid=review]) with a prompt after clicking [data-testid=start-review]',
      });
    }

    // 3. Review three cards: Space (reveal), then 3 (Good).
    let prev = null;
    for (let i = 1; i <= 3; i++) {
      stage = `card-${i}`;
      const shown = await waitFor(
        browser,
        (s) =>
          s.review &&
          s.prompt !== null &&
          s.answer === null &&
          (prev === null || s.prompt !== prev.prompt || s.progress !== prev.progress),
        {
          what:
            i === 1
              ? 'the first card prompt ([data-testid=prompt]) with the answer hidden'
              : `card ${i}: a new prompt or an advanced [data-testid=progress] (previous prompt ${JSON.stringify(prev?.prompt)}, progress ${JSON.stringify(prev?.progress)})`,
        },
      );
      t.diagnostic(`card ${i}: state=${JSON.stringify(shown.cardState)} progress=${JSON.stringify(shown.progress)} prompt=${JSON.stringify(shown.prompt)}`);

      await browser.keys([Key.Space]);
      await waitFor(browser, (s) => s.review && s.answer !== null, {
        what: `card ${i}: the answer ([data-testid=answer]) after pressing Space`,
      });

      if (i === 1) {
        const file = await screenshot(browser, 'review.png');
        t.diagnostic(`screenshot: ${file}`);
      }

      await browser.keys(['3']);
      // The rating is processed once the revealed answer is gone (next card or summary).
      await waitFor(browser, (s) => s.answer === null || s.summary, {
        what: `card ${i}: the answer to disappear after pressing 3 (Good)`,
      });
      prev = shown;
    }

    // 4. Back to Today: new -3, learning +3, review unchanged.
    stage = 'back-to-today';
    await browser.keys([Key.Escape]);
    const expected = { new: before.new - 3, learning: before.learning + 3, review: before.review };
    let afterSnap;
    try {
      afterSnap = await waitFor(
        browser,
        (s) => haveCounts(s) && s.counts.new === expected.new && s.counts.learning === expected.learning,
        { what: `the Today screen after Escape with new=${expected.new} and learning=${expected.learning}` },
      );
    } catch (err) {
      const s = await snapshot(browser).catch(() => null);
      if (s && haveCounts(s)) {
        // Turn the timeout into a readable assertion failure.
        assert.deepEqual(
          { new: s.counts.new, learning: s.counts.learning },
          { new: expected.new, learning: expected.learning },
          `after reviewing 3 new cards with Good: new should drop by 3 and learning rise by 3 (before: ${JSON.stringify(before)})`,
        );
      }
      throw err;
    }
    const after = afterSnap.counts;
    t.diagnostic(`counts after review: ${JSON.stringify(after)}`);
    assert.equal(after.review, expected.review, `review count changed although only new cards were reviewed (before ${JSON.stringify(before)}, after ${JSON.stringify(after)})`);

    // 5. Restart on the same data dir: counts must be identical.
    stage = 'restart';
    await quitApp(browser, dataDir);
    browser = undefined;
    browser = await startApp(dataDir);
    stage = 'today-after-restart';
    let persisted;
    try {
      persisted = (
        await waitFor(
          browser,
          (s) =>
            haveCounts(s) &&
            s.counts.new === after.new &&
            s.counts.learning === after.learning &&
            s.counts.review === after.review,
          { what: `the Today counts after restart to equal ${JSON.stringify(after)}` },
        )
      ).counts;
    } catch (err) {
      const s = await snapshot(browser).catch(() => null);
      if (s && haveCounts(s)) {
        assert.deepEqual(s.counts, after, 'Today counts after restarting the app differ from the ones before quitting (not persisted?)');
      }
      throw err;
    }
    t.diagnostic(`counts after restart: ${JSON.stringify(persisted)}`);
    // The daily backup starts once the first page has loaded: one, compressed, from the first
    // start (the restart, within the day, makes none).
    stage = 'daily-backup';
    let backups = [];
    for (let waited = 0; waited < 30_000; waited += 250) {
      backups = (await fs.readdir(path.join(dataDir, 'backups')).catch(() => [])).filter((f) => f.endsWith('.sqlite3.zst'));
      if (backups.length > 0) break;
      await sleep(250);
    }
    assert.equal(backups.length, 1, `the daily backups: ${JSON.stringify(backups)}`);
    const file = await screenshot(browser, 'today.png');
    t.diagnostic(`screenshot: ${file}`);
  } catch (err) {
    if (browser) await failureScreenshot(browser, stage);
    throw err;
  } finally {
    if (browser) await quitApp(browser, dataDir).catch((e) => console.error(`[e2e] quit failed: ${e.message}`));
    await removeDataDir(dataDir);
  }
});

test('the content security policy blocks inline script in the real webview', { timeout: 120_000 }, async () => {
  await withApp(async (app) => {
    const { browser } = app;
    // What a hostile pack might smuggle into rendered HTML: an inline event handler. The CSP
    // (script-src 'self', no 'unsafe-inline') must refuse to run it and report the violation.
    const result = await browser.executeAsync((done) => {
      let violation = null;
      document.addEventListener('securitypolicyviolation', (e) => {
        violation = e.violatedDirective;
      });
      const probe = document.createElement('div');
      probe.innerHTML = '<img src="data:," onerror="window.__inlineRan = true">';
      document.body.appendChild(probe);
      setTimeout(() => {
        probe.remove();
        done({ ran: window.__inlineRan === true, violation });
      }, 1000);
    });
    assert.equal(result.ran, false, 'an inline event handler ran: the CSP is not enforced');
    assert.match(String(result.violation), /script-src/, 'the CSP violation was not reported');
  });
});

test('the library finds a term as you type and its page links onward', { timeout: 120_000 }, async () => {
  await withApp(async (app) => {
    const { browser } = app;
    await browser.keys(['/']);
    const input = await browser.$('[data-testid=search]');
    await input.waitForDisplayed({ timeout: STEP_TIMEOUT, timeoutMsg: 'the library search box after pressing /' });
    await browser.keys(['k', '8', 's']);
    await browser.waitUntil(async () => (await browser.$$('[data-testid=hit]')).length > 0, {
      timeout: STEP_TIMEOUT,
      timeoutMsg: 'search results for "k8s"',
    });
    await browser.keys([Key.Enter]);
    const name = await browser.$('[data-testid=term-name]');
    await name.waitForDisplayed({ timeout: STEP_TIMEOUT, timeoutMsg: 'the term page after Enter' });
    assert.equal(await name.getText(), 'Kubernetes');
    const lessons = await browser.$('[data-testid=term-lessons]');
    assert.match(await lessons.getText(), /Kubernetes/);
    await screenshot(browser, 'term.png');

    const first = await browser.$('[data-testid=see-also]');
    const target = (await first.$('strong').getText()).trim();
    await first.click();
    await browser.waitUntil(async () => (await name.getText()) === target, {
      timeout: STEP_TIMEOUT,
      timeoutMsg: `the see-also link to open ${target}`,
    });
  });
});

/** The `reprise` CLI built next to the app, to read the collection the app wrote. */
function cli(dataDir, args, { now } = {}) {
  const bin = process.env.REPRISE_CLI || path.join(path.dirname(APP), 'reprise');
  const at = now ? ['--now', now] : [];
  return JSON.parse(execFileSync(bin, ['--data-dir', dataDir, ...at, ...args], { encoding: 'utf8' }));
}

/** What the lesson, quiz and quiz-card screens show, read in one call. */
async function learnSnapshot(browser) {
  return browser.execute(() => {
    const q = (id) => document.querySelector(`[data-testid="${id}"]`);
    const text = (id) => q(id)?.textContent?.trim() ?? null;
    const choices = [...document.querySelectorAll('[data-testid=choice]')];
    return {
      lessonTitle: text('lesson-title'),
      quizPrompt: text('quiz-prompt'),
      quizProgress: text('quiz-progress'),
      quizFeedback: text('quiz-feedback'),
      quizScore: text('quiz-score'),
      review: !!q('review'),
      prompt: text('prompt'),
      cardId: q('review')?.querySelector('[data-card-id]')?.getAttribute('data-card-id') ?? null,
      verdict: text('quiz-verdict'),
      right: choices.map((c, i) => (c.classList.contains('right') ? i : -1)).filter((i) => i >= 0),
      optionCount: choices.length,
    };
  });
}

async function until(browser, cond, what) {
  let last;
  await browser.waitUntil(
    async () => {
      last = await learnSnapshot(browser);
      return cond(last);
    },
    { timeout: STEP_TIMEOUT, timeoutMsg: `${what}; last state ${JSON.stringify(last)}` },
  );
  return last;
}

test('read a lesson, take its quiz, then meet its questions in review; a wrong choice is rated Again', { timeout: 300_000 }, async (t) => {
  await withApp(async (app) => {
    const { browser, dataDir } = app;
    // 1. The library lists the lessons; open one.
    app.stage = 'library';
    await browser.keys(['/']);
    let lessonLink;
    await browser.waitUntil(
      async () => {
        for (const el of await browser.$$('[data-testid=library-lesson]')) {
          if ((await el.getText()).includes('Jobs and CronJobs')) lessonLink = el;
        }
        return lessonLink !== undefined;
      },
      { timeout: STEP_TIMEOUT, timeoutMsg: 'the Jobs and CronJobs lesson in the library' },
    );
    await lessonLink.click();
    await until(browser, (s) => s.lessonTitle === 'Jobs and CronJobs', 'the lesson reader');

    // 2. The diagram is drawn (an inline SVG that really decoded) and code is highlighted.
    app.stage = 'lesson';
    const rendered = await browser.execute(() => {
      const body = document.querySelector('[data-testid=lesson-body]');
      const img = body.querySelector('img');
      img.scrollIntoView({ block: 'center' });
      return {
        src: img.getAttribute('src').slice(0, 26),
        width: img.naturalWidth,
        highlighted: body.querySelectorAll('code.hljs span').length,
      };
    });
    assert.equal(rendered.src, 'data:image/svg+xml;base64,');
    assert.ok(rendered.width > 0, 'the diagram did not decode');
    assert.ok(rendered.highlighted > 0, 'no highlighted code in the lesson');
    await screenshot(browser, 'lesson.png');
    // Scrolled by keyboard, as a reader would: a scroll by script alone is not repainted under Xvfb.
    const code = await browser.$('[data-testid=lesson-body] pre');
    while ((await browser.execute((el) => el.getBoundingClientRect().top, code)) > 360) {
      await browser.keys([Key.ArrowDown]);
    }
    await screenshot(browser, 'lesson-code.png');

    // 3. Take the quiz with the keyboard: pick option 1, check, note the right options, go on.
    app.stage = 'quiz';
    await (await browser.$('[data-testid=take-quiz]')).click();
    const rightOptions = new Map();
    let prompts = [];
    for (let i = 0; ; i++) {
      const shown = await until(browser, (s) => s.quizPrompt && !s.quizFeedback && !prompts.includes(s.quizPrompt), `question ${i + 1}`);
      prompts.push(shown.quizPrompt);
      await browser.keys(['1']);
      await browser.keys([Key.Enter]);
      const checked = await until(browser, (s) => s.quizFeedback, `the explanation of question ${i + 1}`);
      rightOptions.set(shown.quizPrompt, checked.right);
      if (i === 0) {
        await screenshot(browser, 'quiz.png');
        // Escape mid-quiz loses nothing: reopened, it shows the same question, checked.
        await browser.keys([Key.Escape]);
        await until(browser, (s) => s.lessonTitle && !s.quizPrompt, 'the lesson after Escape');
        await (await browser.$('[data-testid=take-quiz]')).click();
        const back = await until(browser, (s) => s.quizPrompt && s.quizFeedback, 'the quiz picked up again');
        assert.equal(back.quizPrompt, shown.quizPrompt);
        assert.match(back.quizProgress, /^Question 1 of \d+/);
        assert.ok(await (await browser.$('[data-testid=quiz-resumed]')).isExisting(), 'says it picked up');
      }
      await browser.keys([Key.Enter]);
      const after = await until(browser, (s) => s.quizScore || (s.quizPrompt && s.quizPrompt !== shown.quizPrompt), 'the next question or the score');
      if (after.quizScore) break;
    }
    const done = await learnSnapshot(browser);
    t.diagnostic(`quiz: ${prompts.length} questions, ${done.quizScore}`);
    assert.ok(prompts.length >= 8, `only ${prompts.length} questions`);
    assert.match(done.quizScore, new RegExp(`of ${prompts.length} right`));

    // 4. Review now: the lesson's questions come first.
    app.stage = 'review';
    await browser.keys([Key.Enter]);
    const first = await until(browser, (s) => s.review && s.prompt && s.optionCount > 0, 'a quiz card in the review');
    assert.equal(first.prompt, prompts[0], 'the first card is the lesson\'s first question');
    const correct = rightOptions.get(first.prompt);
    const wrong = [...Array(first.optionCount).keys()].find((o) => !correct.includes(o));
    // A quiz checks with Enter, as the lesson's quiz does; Space would pick the focused option.
    await browser.keys([String(wrong + 1)]);
    await browser.keys([Key.Enter]);
    const rated = await until(browser, (s) => s.verdict, 'the verdict on a wrong choice');
    assert.match(rated.verdict, /rated Again/);
    await screenshot(browser, 'review-quiz.png');
    await browser.keys([Key.Enter]);

    // The next question answered right, then Good with Enter.
    const second = await until(browser, (s) => s.prompt && s.prompt !== first.prompt && s.optionCount > 0, 'the second quiz card');
    assert.equal(second.prompt, prompts[1]);
    for (const o of rightOptions.get(second.prompt)) await browser.keys([String(o + 1)]);
    await browser.keys([Key.Enter]);
    await until(browser, (s) => s.verdict && s.verdict.startsWith('Right'), 'the verdict on a right choice');
    await browser.keys([Key.Enter]);
    await until(browser, (s) => s.prompt !== second.prompt, 'the card after rating Good');

    // 5. What the app stored, read back with the CLI once the app is closed.
    app.stage = 'stored';
    await app.quit();
    const wrongCard = cli(dataDir, ['show', first.cardId, '--json']);
    assert.deepEqual(wrongCard.reviews.map((r) => r.rating), ['again']);
    const rightCard = cli(dataDir, ['show', second.cardId, '--json']);
    assert.deepEqual(rightCard.reviews.map((r) => r.rating), ['good']);
  });
});

test('import a table through the app with progress, then review one of its cards', { timeout: 300_000 }, async (t) => {
  await withApp(async (app) => {
    const { browser, dataDir } = app;
    const table = path.join(dataDir, 'table.csv');
    const rows = 20_000;
    await fs.writeFile(table, Array.from({ length: rows }, (_, i) => `word ${i},meaning ${i}`).join('\n'));

    app.stage = 'import';
    await (await browser.$('[data-testid=nav-packs]')).click();
    const input = await browser.$('[data-testid=import-path]');
    await input.waitForDisplayed({ timeout: STEP_TIMEOUT, timeoutMsg: 'the import path field on the Packs screen' });
    await input.setValue(table);
    await browser.keys([Key.Enter]);
    // A table is previewed first: how it was read, and how many terms it gives.
    const preview = await browser.$('[data-testid=import-preview]');
    await preview.waitForDisplayed({ timeout: 60_000, timeoutMsg: 'the preview of the table' });
    assert.match(await preview.getText(), new RegExp(`${rows} terms, fields separated by ,`));
    await screenshot(browser, 'import-preview.png');
    await recordImportProgress(browser);
    await (await browser.$('[data-testid=import-confirm]')).click();
    // The progress bar shows counts while the terms are saved.
    const { progress, report } = await watchImport(browser, 120_000);
    t.diagnostic(`progress seen: ${JSON.stringify(progress)}; report: ${report}`);
    // Counts are grouped as the webview's locale writes them ("20,000").
    const total = escaped(await grouped(browser, rows));
    assert.ok(
      progress.some((p) => new RegExp(`Saving ${COUNT} of ${total} terms`).test(p)),
      'no progress with counts was shown',
    );
    assert.match(report, new RegExp(`${total} added`));
    await screenshot(browser, 'packs.png');

    // Study only the new pack: disable the built-in one.
    app.stage = 'disable-builtin';
    await disableBuiltinPack(browser);

    app.stage = 'review';
    await (await browser.$('[data-testid=nav-today]')).click();
    const counts = await readTodayCounts(browser);
    assert.equal(counts.new, 20, 'a full day of new cards from the imported table');
    await (await browser.$('[data-testid=start-review]')).click();
    const shown = await waitFor(browser, (s) => s.review && s.prompt !== null, { what: 'a card of the imported table' });
    assert.match(shown.prompt, /^word \d+$/);
    await browser.keys([Key.Space]);
    const answered = await waitFor(browser, (s) => s.answer !== null, { what: 'its answer' });
    assert.match(answered.answer, /^meaning \d+$/);
    await browser.keys(['3']);
    await waitFor(browser, (s) => s.answer === null, { what: 'the next card after rating Good' });
  });
});

test('import an Anki package with its history through the app, then review one of its cards', { timeout: 300_000 }, async (t) => {
  await withApp(async (app) => {
    const { browser, dataDir } = app;
    const apkg = path.resolve(HERE, '../fixtures/anki_history_200.apkg');

    app.stage = 'import';
    await (await browser.$('[data-testid=nav-packs]')).click();
    const input = await browser.$('[data-testid=import-path]');
    await input.waitForDisplayed({ timeout: STEP_TIMEOUT, timeoutMsg: 'the import path field on the Packs screen' });
    await input.setValue(apkg);
    await recordImportProgress(browser);
    await browser.keys([Key.Enter]);
    const { progress, report } = await watchImport(browser, 60_000);
    t.diagnostic(`progress seen: ${JSON.stringify(progress)}; report: ${report}`);
    assert.ok(progress.some((p) => /Opening the file|Reading \d+ of 200 notes/.test(p)), 'the import showed no reading progress');
    assert.ok(progress.some((p) => /Saving \d+ of 200 notes/.test(p)), 'no progress with counts was shown');
    assert.match(report, /Anki History: 200 added/);
    assert.match(report, new RegExp(`${escaped(await grouped(browser, 1986))} reviews of history taken in`));
    assert.match(report, /233 new cards/);

    app.stage = 'disable-builtin';
    await disableBuiltinPack(browser);

    app.stage = 'review';
    await (await browser.$('[data-testid=nav-today]')).click();
    const counts = await readTodayCounts(browser);
    t.diagnostic(`today: ${JSON.stringify(counts)}`);
    assert.ok(counts.review + counts.learning > 0, 'cards reviewed in Anki are due here too');
    await (await browser.$('[data-testid=start-review]')).click();
    const shown = await waitFor(browser, (s) => s.review && s.prompt !== null, { what: 'a card of the Anki package' });
    await browser.keys([Key.Space]);
    const answered = await waitFor(browser, (s) => s.answer !== null, { what: 'its answer' });
    t.diagnostic(`reviewed: ${shown.prompt} → ${answered.answer}`);
    await screenshot(browser, 'review-anki.png');
    const cardId = await browser.execute(() => document.querySelector('[data-card-id]')?.getAttribute('data-card-id'));
    await browser.keys(['3']);
    await waitFor(browser, (s) => s.answer === null, { what: 'the next card after rating Good' });

    // The card kept its Anki history, and the answer given here follows it.
    app.stage = 'stored';
    await app.quit();
    const info = cli(dataDir, ['show', cardId, '--json']);
    assert.ok(info.reviews.length >= 2, `history from Anki kept: ${info.reviews.length} reviews`);
    assert.equal(info.reviews.at(-1).rating, 'good');
  });
});

/** Text of the element with this test id, once it is displayed. */
async function textOf(browser, id, what, timeout = STEP_TIMEOUT) {
  const el = await browser.$(`[data-testid=${id}]`);
  await el.waitForDisplayed({ timeout, timeoutMsg: what });
  return el.getText();
}

test('settings: save a retention, optimize on real history, simulate the workload, spread the backlog; suspend a card in review and undo', { timeout: 300_000 }, async (t) => {
  const apkg = path.resolve(HERE, '../fixtures/anki_history_200.apkg');
  const prepare = async (dir) => {
    // A learner with history (1,986 Anki reviews) and a backlog: imported before the app starts.
    const imported = cli(dir, ['import', apkg, '--json']);
    assert.equal(imported.reviews, 1986);
  };
  await withApp(async (app) => {
    const { browser, dataDir } = app;

    app.stage = 'settings';
    await (await browser.$('[data-testid=nav-settings]')).click();
    const retention = await browser.$('#setting-desired_retention');
    await retention.waitForDisplayed({ timeout: STEP_TIMEOUT, timeoutMsg: 'the desired retention field' });
    await screenshot(browser, 'settings.png');
    await retention.setValue('0.85');
    await (await browser.$('[data-testid=settings-save]')).click();
    const saved = await textOf(browser, 'settings-saved', 'the saved message');
    t.diagnostic(`saved: ${saved}`);
    assert.match(saved, /Saved; \d+ review cards? rescheduled/);

    app.stage = 'optimize';
    await (await browser.$('[data-testid=optimize]')).click();
    const verdict = await textOf(browser, 'optimize-verdict', 'the optimizer verdict', 60_000);
    const table = await textOf(browser, 'optimize-report', 'the optimizer report');
    t.diagnostic(`optimize: ${table.replace(/\s+/g, ' ')}`);
    assert.match(table, /Log loss/);
    assert.match(verdict, /now in use/);
    await (await browser.$('[data-testid=optimize-report]')).scrollIntoView();
    await screenshot(browser, 'settings-optimize.png');

    app.stage = 'simulate';
    await (await browser.$('[data-testid=simulate]')).click();
    await browser.waitUntil(async () => (await browser.$$('[data-testid=workload-row]')).length === 16, {
      timeout: 60_000,
      timeoutMsg: 'the workload table with 16 retention values',
    });
    const summary = await textOf(browser, 'workload-summary', 'the workload summary');
    t.diagnostic(`workload: ${summary}`);
    await (await browser.$('[data-testid=workload]')).scrollIntoView();
    await screenshot(browser, 'workload.png');

    app.stage = 'backlog';
    const backlog = await textOf(browser, 'backlog-status', 'the backlog');
    t.diagnostic(`backlog: ${backlog}`);
    assert.match(backlog, /\d+ review cards? (is|are) overdue/);
    await (await browser.$('[data-testid=spread]')).click();
    const spread = await textOf(browser, 'spread-result', 'the spread result');
    t.diagnostic(`spread: ${spread}`);
    assert.match(spread, /over 7 days/);

    app.stage = 'review-actions';
    await (await browser.$('[data-testid=nav-today]')).click();
    await readTodayCounts(browser);
    await (await browser.$('[data-testid=start-review]')).click();
    await waitFor(browser, (s) => s.review && s.prompt !== null, { what: 'a card to review' });
    const cardId = () => browser.execute(() => document.querySelector('[data-card-id]')?.getAttribute('data-card-id'));
    const first = await cardId();
    const chance = await textOf(browser, 'retrievability', 'the recall chance of the card');
    t.diagnostic(`card ${first}: ${chance}`);
    assert.match(chance, /\d+%/);
    await browser.keys(['@']);
    const notice = await textOf(browser, 'notice', 'the notice after suspending');
    assert.match(notice, /Card suspended/);
    await browser.waitUntil(async () => (await cardId()) !== first, { timeout: STEP_TIMEOUT, timeoutMsg: 'the next card after suspending' });
    await screenshot(browser, 'review-suspended.png');
    await browser.keys([Key.Control, 'z']);
    await browser.keys([Key.Control]);
    await browser.waitUntil(async () => (await cardId()) === first, { timeout: STEP_TIMEOUT, timeoutMsg: 'the suspended card back after Ctrl+Z' });

    app.stage = 'stored';
    await app.quit();
    const config = cli(dataDir, ['config', 'get', '--json']);
    assert.equal(config.desired_retention, 0.85);
    assert.equal(config.fsrs_parameters.length, 21);
    assert.ok(config.pause_new_until, 'new cards paused by the spread');
  }, { prepare });
});

test('after some reviews the statistics show them in the heatmap and forecast; the browser finds a card and suspends it', { timeout: 300_000 }, async (t) => {
  const apkg = path.resolve(HERE, '../fixtures/anki_history_200.apkg');
  // The fixture's history runs from 2026-10-26 to 2026-11-24: the app lives a few days later,
  // whatever the date the test runs, so the last year's heatmap always holds that history.
  const now = '2026-12-05T10:00:00+01:00';
  // A learner with a history: 1,986 answers imported from Anki before the app starts.
  const prepare = async (dir) => assert.equal(cli(dir, ['import', apkg, '--json'], { now }).reviews, 1986);
  await withApp(async (app) => {
    const { browser, dataDir } = app;

    app.stage = 'review';
    await (await browser.$('[data-testid=start-review]')).click();
    for (let i = 0; i < 3; i++) {
      const shown = await waitFor(browser, (s) => s.review && s.prompt !== null && s.answer === null, { what: `card ${i + 1}` });
      await browser.keys([Key.Space]);
      await waitFor(browser, (s) => s.answer !== null, { what: `the answer of card ${i + 1}` });
      await browser.keys(['3']);
      await waitFor(browser, (s) => s.answer === null && (s.prompt !== shown.prompt || s.summary), { what: `the next card after ${i + 1}` });
    }

    app.stage = 'stats';
    await browser.keys([Key.Escape]);
    await readTodayCounts(browser, 'Today after leaving the review');
    await (await browser.$('[data-testid=nav-stats]')).click();
    await (await browser.$('[data-testid=heatmap]')).waitForDisplayed({ timeout: STEP_TIMEOUT, timeoutMsg: 'the heatmap' });
    const cells = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid=heatmap-cell]')].map((c) => [c.getAttribute('data-date'), Number(c.getAttribute('data-count'))]),
    );
    t.diagnostic(`heatmap: ${cells.length} days, ${cells.filter(([, n]) => n > 0).length} with reviews`);
    assert.ok(cells.length >= 365, `a year of days: ${cells.length}`);
    const today = cells.at(-1);
    assert.ok(today[1] >= 3, `today's cell counts the 3 answers given: ${JSON.stringify(today)}`);
    assert.ok(cells.filter(([, n]) => n > 0).length > 1, 'the imported history shows on earlier days');
    const streak = await textOf(browser, 'streak', 'the streak');
    assert.match(streak, /[1-9]/);
    const forecastRows = await browser.$$('[data-testid=forecast-row]');
    assert.equal(forecastRows.length, 30, 'a forecast row per day for 30 days');
    const forecastTotal = await textOf(browser, 'forecast-total', 'the forecast total');
    t.diagnostic(`streak: ${streak}; forecast: ${forecastTotal}`);
    await screenshot(browser, 'stats.png');
    await (await browser.$('[data-testid=forecast]')).scrollIntoView();
    await screenshot(browser, 'stats-forecast.png');

    app.stage = 'browse';
    await (await browser.$('[data-testid=nav-browse]')).click();
    const search = await browser.$('[data-testid=browse-search]');
    await search.waitForDisplayed({ timeout: STEP_TIMEOUT, timeoutMsg: 'the browser search box' });
    await search.setValue('kubelet');
    await browser.waitUntil(async () => /^[2-9]\d* cards?$|^\d{2,} cards$/.test((await textOf(browser, 'browse-count', 'the count')).trim()), {
      timeout: STEP_TIMEOUT,
      timeoutMsg: 'the browser to count the cards found for "kubelet"',
    });
    // The list shows the search's rows once they arrive: wait for the term's own card.
    await browser.waitUntil(
      async () => browser.execute(() => [...document.querySelectorAll('[data-testid=browse-row]')].some((r) => /^kubelet/m.test(r.textContent.trim()))),
      { timeout: STEP_TIMEOUT, timeoutMsg: 'the kubelet card among the rows found' },
    );
    const cardId = await browser.execute(() => {
      const row = [...document.querySelectorAll('[data-testid=browse-row]')].find((r) => /^kubelet/m.test(r.textContent.trim()));
      return row.getAttribute('data-card-id');
    });
    await (await browser.$(`[data-testid=browse-row][data-card-id="${cardId}"]`)).click();
    await browser.waitUntil(async () => /^1 card selected/.test(await textOf(browser, 'browse-selected', 'the selection')), {
      timeout: STEP_TIMEOUT,
      timeoutMsg: 'one card selected',
    });
    await (await browser.$('[data-testid=card-detail]')).waitForDisplayed({ timeout: STEP_TIMEOUT, timeoutMsg: 'the card detail' });
    await (await browser.$('[data-testid=browse-action-suspend]')).click();
    let notice = '';
    await browser.waitUntil(async () => /1 card/.test((notice = await textOf(browser, 'browse-notice', 'the notice after suspending'))), {
      timeout: STEP_TIMEOUT,
      timeoutMsg: 'the notice that 1 card was suspended',
    });
    t.diagnostic(`card ${cardId}: ${notice}`);
    await screenshot(browser, 'browse.png');

    app.stage = 'stored';
    await app.quit();
    const suspended = cli(dataDir, ['browse', '--suspended', '--json'], { now });
    assert.ok(
      suspended.rows.some((r) => String(r.card_id) === cardId),
      `card ${cardId} is suspended in the collection`,
    );
  }, { prepare, now });
});
