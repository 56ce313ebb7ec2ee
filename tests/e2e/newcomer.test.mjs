// A newcomer's first session in the real app: keys do what the screen says, nothing typed is lost
// to a stray key, and a review can be done with the mouse alone.
//
// Run through tests/e2e/run.sh (it starts Xvfb, D-Bus and tauri-driver).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Key } from 'webdriverio';
import { click, shown, waitFor, withApp } from './app.mjs';
import { STEP_TIMEOUT, screenshot } from './support.mjs';

/** The CLI beside the app, on the same data directory, answering JSON. */
function cli(dataDir, args) {
  const bin = process.env.REPRISE_CLI || path.join(path.dirname(process.env.APP), 'reprise');
  return JSON.parse(execFileSync(bin, ['--data-dir', dataDir, ...args], { encoding: 'utf8' }));
}

/** What has focus: its test id, id, or tag. */
function focused(browser) {
  return browser.execute(() => {
    const el = document.activeElement;
    return el?.getAttribute('data-testid') ?? (el?.id || el?.tagName.toLowerCase());
  });
}

test('keys act on what the screen says, and focus follows each screen', { timeout: 300_000 }, async () => {
  await withApp(async (app) => {
    const { browser, dataDir } = app;
    app.stage = 'welcome';
    await shown(browser, 'welcome');
    await screenshot(browser, 'welcome.png');

    // After clicking a menu item, Escape then Enter starts the review ("Start review [Enter]"),
    // not the screen of the menu item clicked.
    app.stage = 'menu-escape-enter';
    await click(browser, 'nav-stats');
    await shown(browser, 'stats');
    assert.equal(await focused(browser), 'stats-title', 'focus moves to the new screen');
    assert.equal(await browser.getTitle(), 'Statistics · Reprise');
    await browser.keys([Key.Escape]);
    await shown(browser, 'today');
    assert.equal(await focused(browser), 'today-title');
    await browser.keys([Key.Enter]);
    await shown(browser, 'review');
    await shown(browser, 'reveal');

    // With Bury focused (two Tabs away), Space shows the answer as the big button says; it buries
    // nothing.
    app.stage = 'space-on-bury';
    await browser.waitUntil(async () => (await focused(browser)) === 'reveal', { timeout: STEP_TIMEOUT, timeoutMsg: 'focus on Show answer' });
    const first = await browser.$('[data-card-id]').getAttribute('data-card-id');
    await browser.execute(() => document.querySelector('[data-testid=action-bury]').focus());
    await browser.keys([Key.Space]);
    await shown(browser, 'answer');
    await browser.keys([Key.Space]); // means nothing once shown: still buries nothing
    await browser.keys(['3']);
    await waitFor(browser, (s) => s.review && s.answer === null, { what: 'the next card' });
    await browser.keys([Key.Escape]);
    await shown(browser, 'today');
    app.stage = 'stored';
    await app.quit();
    // Had Space buried it, "3" would have rated the card after it.
    const card = cli(dataDir, ['show', first, '--json']);
    assert.deepEqual(card.reviews.map((r) => r.rating), ['good']);
  });
});

test('unsaved settings are never lost to Escape or the menu', { timeout: 300_000 }, async () => {
  await withApp(async (app) => {
    const { browser, dataDir } = app;
    app.stage = 'edit';
    await click(browser, 'nav-settings');
    const field = await shown(browser, 'settings-form').then(() => browser.$('#setting-new_per_day'));
    await field.setValue('27');
    assert.match(await (await shown(browser, 'settings-unsaved')).getText(), /1 change not saved/);

    // Escape asks; Escape in the question keeps editing.
    await browser.execute(() => document.activeElement?.blur());
    await browser.keys([Key.Escape]);
    await shown(browser, 'leave-dialog');
    assert.equal(await focused(browser), 'leave-save', 'the question takes focus');
    await screenshot(browser, 'settings-leave.png');
    await browser.keys([Key.Escape]);
    await browser.waitUntil(async () => !(await (await browser.$('[data-testid=leave-dialog]')).isExisting()), {
      timeout: STEP_TIMEOUT,
      timeoutMsg: 'the question to close',
    });
    assert.equal(await field.getValue(), '27');

    // Another section asks too; Save and leave stores the change.
    app.stage = 'save-and-leave';
    await click(browser, 'nav-browse');
    await click(browser, 'leave-save');
    await shown(browser, 'browse-count');
    app.stage = 'stored';
    await app.quit();
    assert.equal(cli(dataDir, ['config', 'get', '--json']).new_per_day, 27);
  });
});

test('a review session with the mouse alone, out by the Today button', { timeout: 300_000 }, async () => {
  await withApp(async (app) => {
    const { browser, dataDir } = app;
    app.stage = 'mouse-review';
    await click(browser, 'welcome-review');
    for (let i = 0; i < 3; i++) {
      const before = await (await shown(browser, 'prompt')).getText();
      await click(browser, 'reveal');
      await click(browser, i === 1 ? 'rate-again' : 'rate-good');
      await waitFor(browser, (s) => s.review && s.answer === null && s.prompt !== null && (s.prompt !== before || i === 1), {
        what: `the card after ${i + 1} mouse answers`,
      });
    }
    assert.match(await (await shown(browser, 'progress')).getText(), /^3 reviewed/);
    await screenshot(browser, 'review-mouse.png');
    await click(browser, 'review-close');
    await shown(browser, 'today');
    // Studied: the welcome is gone.
    assert.equal(await (await browser.$('[data-testid=welcome]')).isExisting(), false);
    app.stage = 'stored';
    await app.quit();
    // Three answers by mouse: two Good and one Again, all first answers of new cards.
    const { buttons } = cli(dataDir, ['stats', '--json']);
    assert.deepEqual(buttons.learning, [1, 0, 2, 0]);
  });
});
