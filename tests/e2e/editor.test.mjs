// Writing cards in the real app (issue 18): add a term and a cloze with the keyboard, meet them in
// review, edit one from the review screen, undo the edit, and find the result in the browser.
//
// Run through tests/e2e/run.sh (it starts Xvfb, D-Bus and tauri-driver).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Key } from 'webdriverio';
import { click, shown, withApp } from './app.mjs';
import { STEP_TIMEOUT, screenshot, typeText } from './support.mjs';

/** The CLI beside the app, on the same data directory, answering JSON. */
function cli(dataDir, args) {
  const bin = process.env.REPRISE_CLI || path.join(path.dirname(process.env.APP), 'reprise');
  return JSON.parse(execFileSync(bin, ['--data-dir', dataDir, ...args], { encoding: 'utf8' }));
}

/** My cards as the CLI's browser lists them. */
function myCards(dataDir) {
  return cli(dataDir, ['browse', '--json', '--pack', 'mine.my-cards']).rows;
}

/** Types into the editor's field `name` (focused by a click, as a person would). */
async function fill(browser, name, text) {
  const field = await shown(browser, `field-${name}`);
  await field.click();
  await typeText(browser, text);
}

/** The prompt the review screen shows now. */
async function prompt(browser) {
  const el = await shown(browser, 'prompt');
  return (await el.getText()).trim();
}

test('add a term and a cloze with the keyboard, meet them in review, edit one there, undo, find it in the browser', { timeout: 300_000 }, async () => {
  await withApp(async (app) => {
    const { browser, dataDir } = app;

    // Add from Today with `a`: a term.
    app.stage = 'add-term';
    await browser.keys(['a']);
    await shown(browser, 'note-editor');
    await click(browser, 'note-kind-term');
    await fill(browser, 'name', 'Fencing token');
    await fill(browser, 'definition', 'A number that rises with every lock grant.');
    await fill(browser, 'explanation', 'Storage refuses writes with an older token.');
    await shown(browser, 'note-preview');
    await browser.keys([Key.Control, Key.Enter]);
    await shown(browser, 'note-saved');
    await browser.waitUntil(async () => myCards(dataDir).length === 2, { timeout: STEP_TIMEOUT, timeoutMsg: 'the term and its two cards' });

    // Then a cloze, in the same editor (it clears for the next note).
    app.stage = 'add-cloze';
    await click(browser, 'note-kind-cloze');
    await fill(browser, 'text', '{{c1::Raft}} elects a leader per term');
    await browser.waitUntil(async () => (await (await browser.$('[data-testid=note-preview]')).getText()).includes('[...]'), {
      timeout: STEP_TIMEOUT,
      timeoutMsg: 'the cloze previewed as review shows it',
    });
    await screenshot(browser, 'editor.png');
    await browser.execute(() => {
      document.documentElement.dataset.theme = 'dark';
    });
    await screenshot(browser, 'editor-dark.png');
    await browser.execute(() => {
      document.documentElement.dataset.theme = 'light';
    });
    await browser.keys([Key.Control, Key.Enter]);
    await browser.waitUntil(async () => myCards(dataDir).length === 3, { timeout: STEP_TIMEOUT, timeoutMsg: 'the cloze card saved' });
    await browser.keys([Key.Escape]);
    await shown(browser, 'today');

    // Review: the cards written come first.
    app.stage = 'review';
    await click(browser, 'start-review');
    assert.equal(await prompt(browser), 'Fencing token');
    await browser.keys([Key.Space]);
    await shown(browser, 'rate-good');
    await browser.keys(['3']);
    await browser.waitUntil(async () => (await prompt(browser)).includes('[...]'), {
      timeout: STEP_TIMEOUT,
      timeoutMsg: 'the cloze card next (the term\'s other card is buried)',
    });

    // Edit the cloze from the review screen with `e`: a second deletion makes a second card.
    app.stage = 'edit';
    await browser.keys(['e']);
    await shown(browser, 'note-editor');
    const text = await shown(browser, 'field-text');
    assert.equal(await text.getValue(), '{{c1::Raft}} elects a leader per term');
    await text.click();
    await browser.keys([Key.Control, 'a']);
    await typeText(browser, '{{c1::Raft}} elects a {{c2::leader}} per term');
    await browser.keys([Key.Control, Key.Enter]);
    await shown(browser, 'review');
    await browser.waitUntil(async () => myCards(dataDir).length === 4, { timeout: STEP_TIMEOUT, timeoutMsg: 'the edit made a second cloze card' });
    await browser.waitUntil(async () => (await prompt(browser)).includes('elects a'), { timeout: STEP_TIMEOUT, timeoutMsg: 'review shows the edited card' });

    // Undo takes the edit back: one card again, the old text.
    app.stage = 'undo';
    await browser.keys([Key.Control, 'z']);
    await browser.waitUntil(async () => myCards(dataDir).length === 3, { timeout: STEP_TIMEOUT, timeoutMsg: 'undo to retire the new card' });
    await browser.keys([Key.Escape]);

    // The browser finds the cloze with its text as before the edit.
    app.stage = 'browse';
    await click(browser, 'nav-browse');
    const search = await shown(browser, 'browse-search');
    await search.click();
    await typeText(browser, 'Raft elects');
    // The curriculum's Raft cards match too; the cloze is one row, with its text before the edit.
    await browser.waitUntil(
      async () => {
        const texts = await browser.$$('[data-testid=browse-row]').map((r) => r.getText());
        return texts.filter((t) => t.includes('elects a leader per term')).length === 1 && !texts.some((t) => t.includes('elects a [...]'));
      },
      { timeout: STEP_TIMEOUT, timeoutMsg: 'one row for the cloze, with its text before the edit' },
    );
    await screenshot(browser, 'editor-browse.png');
    const rows = myCards(dataDir);
    const cloze = rows.filter((r) => r.direction === 'c1');
    assert.equal(cloze.length, 1);
    assert.ok(!rows.some((r) => r.direction === 'c2'), 'the card the edit made was taken back');
    const note = cli(dataDir, ['note', String(cloze[0].note_id), '--json']);
    assert.equal(note.draft.text, '{{c1::Raft}} elects a leader per term');
  });
});

test('a built-in term edited in its own words shows the pack text beside it, and goes back to it', { timeout: 300_000 }, async () => {
  await withApp(async (app) => {
    const { browser, dataDir } = app;
    // The Raft term of the Distributed Systems area, reworded from the command line.
    const raft = cli(dataDir, ['browse', 'Raft', '--json', '--pack', 'reprise.distributed-systems']).rows.find(
      (r) => r.direction === 'forward' && r.prompt === 'Raft',
    );
    assert.ok(raft, 'the built-in Raft term');
    const mine = 'Leader-based consensus, in my own words.';
    cli(dataDir, ['edit', String(raft.note_id), `definition=${mine}`, '--json']);

    app.stage = 'term-page';
    await click(browser, 'nav-library');
    const search = await shown(browser, 'search');
    await search.click();
    await typeText(browser, 'raft');
    await shown(browser, 'hit');
    // KRaft (Kafka's Raft) matches too: open the term named Raft.
    let hit;
    await browser.waitUntil(
      async () => {
        for (const h of await browser.$$('[data-testid=hit]')) {
          if ((await (await h.$('.title')).getText()).trim() === 'Raft') hit = h;
        }
        return hit !== undefined;
      },
      { timeout: STEP_TIMEOUT, timeoutMsg: 'a hit for the term Raft' },
    );
    await hit.click();
    const definition = await shown(browser, 'term-definition');
    await browser.waitUntil(async () => (await definition.getText()).includes('in my own words'), {
      timeout: STEP_TIMEOUT,
      timeoutMsg: 'the term page shows the learner\'s definition',
    });
    await shown(browser, 'term-yours');
    await screenshot(browser, 'term-edited.png');

    app.stage = 'pack-text';
    await click(browser, 'term-edit');
    await shown(browser, 'note-editor');
    const field = await shown(browser, 'field-definition');
    assert.equal(await field.getValue(), mine);
    await click(browser, 'pack-text-definition');
    const packText = await (await shown(browser, 'pack-text-definition')).getText();
    assert.ok(packText.includes('consensus algorithm'), `the pack's text: ${packText}`);
    await screenshot(browser, 'editor-pack-text.png');
    await click(browser, 'use-pack-text-definition');
    await browser.waitUntil(async () => (await field.getValue()) !== mine, { timeout: STEP_TIMEOUT, timeoutMsg: "the pack's text in the field" });
    await browser.keys([Key.Control, Key.Enter]);
    await browser.waitUntil(async () => cli(dataDir, ['note', String(raft.note_id), '--json']).edited.length === 0, {
      timeout: STEP_TIMEOUT,
      timeoutMsg: "the note back to the pack's text",
    });
    assert.equal(cli(dataDir, ['note', String(raft.note_id), '--json']).pack_draft, null);
  });
});
