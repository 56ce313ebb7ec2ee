// Every screen, in the light and the dark theme, checked by axe-core in the real webview: no
// critical or serious violation. Each screen is also saved as a screenshot at the window's
// default 960×720 (SCREENSHOT_DIR/screens/<theme>-<screen>.png), to be looked at.
//
// Run through tests/e2e/run.sh (it starts Xvfb, D-Bus and tauri-driver).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Key } from 'webdriverio';
import { appMemoryMiB, click, shown, withApp } from './app.mjs';
import { STEP_TIMEOUT, screenshot } from './support.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = await fs.readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe on the page as shown; answers its violations of critical or serious impact, each as
 *  "rule: what (targets)". */
async function seriousViolations(browser) {
  const loaded = await browser.execute(() => typeof window.axe === 'object');
  if (!loaded) await browser.execute(AXE_SOURCE);
  const result = await browser.executeAsync((done) => {
    window.axe
      .run(document, { resultTypes: ['violations'] })
      .then((r) => done({ violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) })) }))
      .catch((err) => done({ failed: String(err) }));
  });
  assert.ok(!result.failed, `axe could not run: ${result.failed}`);
  return result.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.targets.join(', ')}`);
}

test('axe finds no critical or serious violation on any screen, light or dark', { timeout: 600_000 }, async (t) => {
  await withApp(async (app) => {
    const { browser, dataDir } = app;
    // What the app and its web processes hold, started and after every screen (a debug build).
    t.diagnostic(`memory after start: ${(await appMemoryMiB(dataDir)).toFixed(0)} MiB PSS`);
    const found = [];
    const check = async (theme, name) => {
      app.stage = `${theme}-${name}`;
      await screenshot(browser, `screens/${theme}-${name}.png`);
      const violations = await seriousViolations(browser);
      t.diagnostic(`${theme} ${name}: ${violations.length} serious or critical${violations.map((v) => `\n  ${v}`).join('')}`);
      found.push(...violations.map((v) => `${theme} ${name}: ${v}`));
    };

    for (const theme of ['light', 'dark']) {
      await browser.execute((th) => {
        document.documentElement.dataset.theme = th;
      }, theme);
      await click(browser, 'nav-today');
      await shown(browser, 'welcome');
      await check(theme, 'today');

      await click(browser, 'nav-library');
      await shown(browser, 'library-lesson');
      await check(theme, 'library');
      await (await browser.$('[data-testid=search]')).setValue('pod');
      await shown(browser, 'hit');
      await check(theme, 'library-search');
      await browser.keys([Key.Enter]);
      await shown(browser, 'term-definition');
      await check(theme, 'term');

      // The library keeps its search: cleared, it lists the lessons again.
      await click(browser, 'nav-library');
      await (await browser.$('[data-testid=search]')).click();
      await browser.keys([Key.Control, 'a']);
      await browser.keys([Key.Backspace]);
      await click(browser, 'library-lesson');
      await shown(browser, 'take-quiz');
      await check(theme, 'lesson');
      // Its diagram, in the theme's colours, scrolled to by keyboard as a reader would.
      const diagram = await browser.$('[data-testid=lesson-body] img');
      for (let i = 0; i < 200 && (await browser.execute((el) => el.getBoundingClientRect().top, diagram)) > 120; i++) {
        await browser.keys([Key.ArrowDown]);
      }
      await check(theme, 'lesson-diagram');
      await click(browser, 'take-quiz');
      await shown(browser, 'choice');
      await check(theme, 'quiz');
      // Checked, unless the quiz picked up at a question already checked.
      if (!(await (await browser.$('.feedback')).isExisting())) {
        await browser.keys(['1']);
        await browser.keys([Key.Enter]);
      }
      await (await browser.$('.feedback')).waitForDisplayed({ timeout: STEP_TIMEOUT, timeoutMsg: 'the quiz feedback' });
      await check(theme, 'quiz-feedback');
      await browser.keys([Key.Escape]);

      await click(browser, 'nav-browse');
      await shown(browser, 'browse-count');
      await check(theme, 'browse');
      // The note editor over it, with a draft previewed.
      await click(browser, 'nav-add');
      await shown(browser, 'note-editor');
      await click(browser, 'note-kind-cloze');
      await (await shown(browser, 'field-text')).setValue('{{c1::Raft}} elects a leader');
      await shown(browser, 'preview-card');
      await check(theme, 'editor');
      await browser.keys([Key.Escape]);
      await shown(browser, 'leave-dialog');
      await click(browser, 'leave-discard');
      await shown(browser, 'browse-count');
      await click(browser, 'nav-stats');
      await shown(browser, 'stats');
      await check(theme, 'stats');
      await click(browser, 'nav-packs');
      await shown(browser, 'pack-toggle');
      await check(theme, 'packs');
      await click(browser, 'nav-settings');
      await shown(browser, 'settings-form');
      await check(theme, 'settings');
      // The question on leaving with unsaved changes.
      await (await browser.$('#setting-new_per_day')).setValue('21');
      await click(browser, 'nav-today');
      await shown(browser, 'leave-dialog');
      await check(theme, 'leave-dialog');
      await click(browser, 'leave-discard');

      await click(browser, 'start-review');
      await shown(browser, 'reveal');
      await check(theme, 'review');
      await browser.keys([Key.Space]);
      await shown(browser, 'rate-good');
      await check(theme, 'review-answer');
      await click(browser, 'review-close');
      await shown(browser, 'today');
    }
    t.diagnostic(`memory after every screen, twice: ${(await appMemoryMiB(dataDir)).toFixed(0)} MiB PSS`);
    assert.deepEqual(found, [], `axe found:\n${found.join('\n')}`);
  });
});
