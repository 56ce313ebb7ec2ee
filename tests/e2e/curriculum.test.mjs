// The curriculum in the real app (issue 17): the first start asks which areas to learn, an area
// switched off later on the Packs screen keeps what was studied in it, and every area's lessons
// open with their diagrams.
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

/** The card's row as the CLI's browser lists it. */
function row(dataDir, cardId) {
  // The only card studied: the one card in learning.
  const found = cli(dataDir, ['browse', '--json', '--state', 'learning']).rows.find((r) => r.card_id === cardId);
  assert.ok(found, `card ${cardId} in the browser`);
  return found;
}

/** The card's schedule: what switching areas must not touch. */
function schedule(dataDir, cardId) {
  const r = row(dataDir, cardId);
  return JSON.stringify([r.state, r.due, r.reviews, r.stability, r.difficulty]);
}

/** The checkboxes of the area picker, in order: [pack id, checked]. */
function choiceList(browser) {
  return browser.execute(() =>
    [...document.querySelectorAll('[data-testid=area-choice]')].map((l) => [l.dataset.packId, l.querySelector('input').checked]),
  );
}

/** The same as pack id → checked. */
async function choices(browser) {
  return Object.fromEntries(await choiceList(browser));
}

test('the first start asks which areas to learn, and an area switched off keeps its progress', { timeout: 300_000 }, async () => {
  await withApp(async (app) => {
    const { browser, dataDir } = app;
    const packs = cli(dataDir, ['packs', '--json']).filter((p) => p.builtin);
    assert.ok(packs.length >= 6, `${packs.length} built-in areas`);

    app.stage = 'picker';
    await shown(browser, 'area-picker');
    await browser.waitUntil(async () => Object.keys(await choices(browser)).length === packs.length, {
      timeout: STEP_TIMEOUT,
      timeoutMsg: 'every area in the picker',
    });
    const offered = await choiceList(browser);
    assert.deepEqual(
      offered.map(([id]) => id),
      packs.map((p) => p.id),
      'in the curriculum order',
    );
    assert.ok(offered.every(([, on]) => on), 'all on at first');
    await screenshot(browser, 'area-picker.png');

    // Switch every area but Networking & APIs off in the picker: the Packs list agrees.
    app.stage = 'choose';
    const keep = 'reprise.networking-apis';
    for (const p of packs.filter((p) => p.id !== keep)) {
      await browser.$(`[data-testid=area-choice][data-pack-id="${p.id}"] input`).click();
      await browser.waitUntil(async () => (await choices(browser))[p.id] === false, {
        timeout: STEP_TIMEOUT,
        timeoutMsg: `${p.id} to be switched off`,
      });
    }
    const enabled = cli(dataDir, ['packs', '--json']).filter((p) => p.enabled).map((p) => p.id);
    assert.deepEqual(enabled, [keep]);

    // Study one card: it comes from the area kept.
    app.stage = 'review';
    await click(browser, 'welcome-review');
    await shown(browser, 'reveal');
    const card = Number(await browser.$('[data-card-id]').getAttribute('data-card-id'));
    await browser.keys([Key.Space]);
    await shown(browser, 'answer');
    await browser.keys(['3']);
    await waitFor(browser, (s) => s.review && s.answer === null, { what: 'the next card' });
    assert.equal(row(dataDir, card).pack, keep, 'the card came from the area chosen');
    const studied = schedule(dataDir, card);
    await browser.keys([Key.Escape]);
    await shown(browser, 'today');

    // Later, on the Packs screen: switching the area off and on leaves its card as it was.
    app.stage = 'packs';
    await click(browser, 'nav-packs');
    await shown(browser, 'packs');
    const toggle = await browser.$(`[data-testid=pack][data-pack-id="${keep}"] [data-testid=pack-toggle]`);
    await toggle.click();
    await browser.waitUntil(async () => (await toggle.getText()) === 'Enable', { timeout: STEP_TIMEOUT });
    assert.equal(schedule(dataDir, card), studied, 'switched off');
    await toggle.click();
    await browser.waitUntil(async () => (await toggle.getText()) === 'Disable', { timeout: STEP_TIMEOUT });
    assert.equal(schedule(dataDir, card), studied, 'switched on again');
  });
});

test("every area's lessons open with their diagram", { timeout: 300_000 }, async () => {
  await withApp(async (app) => {
    const { browser } = app;
    const areas = await (async () => {
      await click(browser, 'nav-library');
      await shown(browser, 'library');
      return browser.execute(() => [...document.querySelectorAll('[data-testid=area]')].map((a) => a.dataset.packId));
    })();
    assert.ok(areas.length >= 6, `${areas.length} areas in the library`);
    for (const pack of areas) {
      app.stage = `lesson-${pack}`;
      await click(browser, 'nav-library');
      await shown(browser, 'library');
      const lesson = await browser.$(`[data-testid=area][data-pack-id="${pack}"] [data-testid=library-lesson]`);
      await lesson.scrollIntoView({ block: 'center' });
      await lesson.click();
      await shown(browser, 'lesson');
      // The diagram is drawn inline (a data: image) and has loaded.
      await browser.waitUntil(
        () =>
          browser.execute(() => {
            const img = document.querySelector('[data-testid=lesson] img[src^="data:image/svg+xml"]');
            return !!img && img.complete && img.naturalWidth > 0;
          }),
        { timeout: STEP_TIMEOUT, timeoutMsg: `a diagram in the first lesson of ${pack}` },
      );
      await browser.execute(() => document.querySelector('[data-testid=lesson] img')?.scrollIntoView({ block: 'center' }));
      await screenshot(browser, `lesson-${pack.replace(/^reprise\./, '')}.png`);
    }
  });
});
