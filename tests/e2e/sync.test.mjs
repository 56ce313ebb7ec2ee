// End-to-end test of sync between devices: two instances of the real app, each on its own data
// directory, one sync folder. Instance A turns sync on from Settings → Sync with the keyboard,
// answers a card, syncs; instance B turns sync on to the same folder and shows A's answer.
//
// Run through tests/e2e/run.sh (it starts Xvfb, D-Bus and tauri-driver). The instances run one
// after the other: tauri-driver drives one app at a time.
// Environment: APP (absolute path of the app binary, required),
//              SCREENSHOT_DIR (default tests/e2e/artifacts),
//              E2E_PORT (tauri-driver port, default 4444),
//              E2E_KEEP_DATA=1 (keep the temporary directories).

import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { remote, Key } from 'webdriverio';
import { SCREENSHOT_DIR, STEP_TIMEOUT, screenshot, sleep, typeText, waitUntil } from './support.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const APP = process.env.APP;
const PORT = Number(process.env.E2E_PORT || 4444);

const STARTUP_TIMEOUT = 60_000;
const SYNC_TIMEOUT = 60_000;
const POLL_INTERVAL = 100;
// Both instances live at the same fixed moment (`--now`), so what A answered is due on B the same
// way whatever the date the test runs.
const NOW = '2026-11-25T09:00:00+01:00';


async function tempDir(prefix) {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

async function removeDir(dir) {
  if (!dir) return;
  if (process.env.E2E_KEEP_DATA === '1') {
    console.error(`[e2e] keeping ${dir}`);
    return;
  }
  await fs.rm(dir, { recursive: true, force: true });
}

/** Pids of processes whose command line names dataDir: the app instance on it. */
async function appPids(dataDir) {
  const pids = [];
  for (const name of await fs.readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if ((await fs.readFile(`/proc/${name}/cmdline`, 'utf8')).split('\0').includes(dataDir)) pids.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

/** Everything the test looks at, read in one script call (no stale elements while Svelte
 *  re-renders). */
async function snapshot(browser) {
  return browser.execute(() => {
    const q = (id) => document.querySelector(`[data-testid="${id}"]`);
    const text = (id) => {
      const el = q(id);
      return el && el.getClientRects().length > 0 ? (el.innerText ?? el.textContent ?? '').replace(/\s+/g, ' ').trim() : null;
    };
    const count = (id) => (/^\d+$/.test(text(id) ?? '') ? Number(text(id)) : null);
    return {
      today: !!q('today'),
      review: !!q('review'),
      errorBanner: text('error'),
      counts: { new: count('count-new'), learning: count('count-learning'), review: count('count-review') },
      prompt: text('prompt'),
      answer: text('answer'),
      cardId: q('review')?.querySelector('[data-card-id]')?.getAttribute('data-card-id') ?? null,
      mark: text('sync-mark'),
      sync: {
        form: !!q('sync-form'),
        summary: text('sync-summary'),
        device: text('sync-device'),
        last: text('sync-last'),
        pending: text('sync-pending'),
        progress: text('sync-progress'),
        report: text('sync-report'),
        error: text('sync-error'),
        fieldError: text('settings-error'),
        devices: [...document.querySelectorAll('[data-testid=sync-device-row]')].map((r) =>
          [...r.children].map((c) => c.textContent.trim()),
        ),
        nowDisabled: q('sync-now')?.disabled ?? null,
      },
    };
  });
}

/** Polls until cond(snapshot) holds; fails at once on the error banner, and on timeout with what
 *  it waited for and what the UI showed last. */
function waitFor(browser, cond, options) {
  return waitUntil(browser, snapshot, cond, options);
}

/** Runs `body` against the app on `dataDir` (at NOW), once Today shows its counts; the app is
 *  closed afterwards, and its process waited for. `body` gets `{ browser, stage }`: set `stage`
 *  to name the failure screenshot. */
async function withApp(dataDir, label, body) {
  assert.ok(APP, 'APP (the path of the app binary) is not set; use tests/e2e/run.sh');
  const app = { browser: undefined, stage: 'startup' };
  try {
    app.browser = await remote({
      hostname: '127.0.0.1',
      port: PORT,
      logLevel: 'warn',
      connectionRetryTimeout: STARTUP_TIMEOUT,
      connectionRetryCount: 0,
      capabilities: {
        'tauri:options': { application: APP, args: ['--data-dir', dataDir, '--now', NOW] },
        'wdio:enforceWebDriverClassic': true,
      },
    });
    await waitFor(app.browser, (s) => s.today && s.counts.new !== null, {
      timeout: STARTUP_TIMEOUT,
      what: `instance ${label}: the Today screen with its counts`,
    });
    await body(app);
  } catch (err) {
    if (app.browser) {
      const file = await screenshot(app.browser, `failure-sync-${label}-${app.stage}.png`).catch(() => null);
      if (file) console.error(`[e2e] failure screenshot: ${file}`);
    }
    throw err;
  } finally {
    if (app.browser) {
      await app.browser.deleteSession().catch((e) => console.error(`[e2e] deleteSession failed: ${e.message}`));
      const deadline = Date.now() + STEP_TIMEOUT;
      while ((await appPids(dataDir)).length && Date.now() < deadline) await sleep(POLL_INTERVAL);
    }
  }
}

/** Scrolls the Sync section's heading to the top of the window. */
async function scrollToSync(browser) {
  await browser.execute(() => document.getElementById('sync-title')?.scrollIntoView({ block: 'start' }));
}

/** Settings → Sync while sync is off (`on` false) or on, scrolled into view. */
async function openSync(browser, on = false) {
  await (await browser.$('[data-testid=nav-settings]')).click();
  const section = await browser.$('[data-testid=sync]');
  await section.waitForExist({ timeout: STEP_TIMEOUT, timeoutMsg: 'the Sync section of Settings' });
  await scrollToSync(browser);
  await waitFor(browser, (s) => (on ? s.sync.summary !== null : s.sync.form), {
    what: on ? 'the Sync section with sync on' : 'the form to turn sync on',
  });
}

/** With the keyboard: the folder typed in its field, Tab past "Choose a folder…", this device's
 *  name, Tab to "Turn on sync", Enter. */
async function turnSyncOn(browser, folder, name) {
  const field = await browser.$('#sync-target');
  await field.click();
  await typeText(browser, folder);
  await browser.keys([Key.Tab]);
  const chooser = await browser.execute(() => document.activeElement?.getAttribute('data-testid'));
  assert.equal(chooser, 'sync-choose-folder', 'Tab from the folder reaches "Choose a folder…"');
  await browser.keys([Key.Tab]);
  await typeText(browser, name);
  await browser.keys([Key.Tab]);
  const focused = await browser.execute(() => document.activeElement?.getAttribute('data-testid'));
  assert.equal(focused, 'sync-turn-on', 'Tab from the name field reaches "Turn on sync"');
  await browser.keys([Key.Enter]);
}

/** The segments in the folder, by device: { device: [file, …] }. */
async function segments(folder) {
  const log = path.join(folder, 'log');
  const out = {};
  for (const device of await fs.readdir(log).catch(() => [])) {
    out[device] = (await fs.readdir(path.join(log, device))).filter((f) => f.endsWith('.rseg')).sort();
  }
  return out;
}

test('two instances sync through one folder: an answer on A shows on B', { timeout: 300_000 }, async (t) => {
  const [folder, dataA, dataB] = [await tempDir('reprise-e2e-sync-'), await tempDir('reprise-e2e-a-'), await tempDir('reprise-e2e-b-')];
  let cardId;
  try {
    // --- Instance A: turn sync on, answer a card, sync. ---------------------------------------
    await withApp(dataA, 'a', async (app) => {
      const { browser } = app;
      app.stage = 'turn-on';
      await openSync(browser);
      await screenshot(browser, 'settings-sync-off.png');
      // A server's target asks for its key (for the OS keyring); a folder's asks for none.
      await (await browser.$('#sync-target')).click();
      await typeText(browser, 's3://reprise/sync');
      await browser.waitUntil(async () => (await browser.$('#sync-key-id')).isDisplayed(), {
        timeout: STEP_TIMEOUT,
        timeoutMsg: 'the key fields for an s3:// target',
      });
      assert.equal(await (await browser.$('#sync-key-secret')).getAttribute('type'), 'password');
      await screenshot(browser, 'settings-sync-key.png');
      await browser.keys([Key.Control, 'a']);
      await browser.keys([Key.Backspace]);
      await browser.waitUntil(async () => !(await (await browser.$('#sync-key-id')).isExisting()), {
        timeout: STEP_TIMEOUT,
        timeoutMsg: 'the key fields to go with the s3:// target',
      });
      await turnSyncOn(browser, folder, 'Laptop');
      let s = await waitFor(browser, (x) => x.sync.summary !== null, { what: 'A: sync on' });
      assert.equal(s.sync.summary, `Syncing through ${folder}`);
      assert.equal(s.sync.device, 'This device: Laptop');
      // The first sync starts as sync turns on.
      s = await waitFor(browser, (x) => x.sync.report !== null && x.sync.progress === null, {
        what: 'A: the first sync to end',
        timeout: SYNC_TIMEOUT,
      });
      assert.equal(s.sync.error, null);
      assert.match(s.sync.last, /^Last synced: today at /);
      t.diagnostic(`A after turning on: ${s.sync.report}`);
      const device = Object.keys(await segments(folder));
      assert.equal(device.length, 1, `A writes its own log folder: ${device}`);

      app.stage = 'review';
      await browser.keys([Key.Escape]);
      await waitFor(browser, (x) => x.today && x.counts.new !== null, { what: 'A: Today after Escape' });
      await browser.keys([Key.Enter]);
      const shown = await waitFor(browser, (x) => x.review && x.prompt !== null && x.cardId !== null, { what: 'A: a card' });
      cardId = shown.cardId;
      await browser.keys([Key.Space]);
      await waitFor(browser, (x) => x.answer !== null, { what: 'A: the answer' });
      await browser.keys(['3']);
      // The answer (and its sibling's burial) waits to be sent: the review's mark says so.
      s = await waitFor(browser, (x) => x.answer === null && /^[1-9]\d* waiting$/.test(x.mark ?? ''), {
        what: 'A: the mark "N waiting"',
      });
      await screenshot(browser, 'review-sync-mark.png');
      t.diagnostic(`A answered card ${cardId} Good; mark: ${s.mark}`);

      app.stage = 'sync-now';
      await browser.keys([Key.Escape]);
      await waitFor(browser, (x) => x.today, { what: 'A: Today' });
      await openSync(browser, true);
      const before = (await segments(folder))[device[0]].length;
      await (await browser.$('[data-testid=sync-now]')).click();
      s = await waitFor(browser, (x) => /Sent [1-9]\d*,/.test(x.sync.report ?? '') && x.sync.pending === 'Nothing waiting to be sent', {
        what: 'A: "Sync now" to send the answer',
        timeout: SYNC_TIMEOUT,
      });
      const after = await segments(folder);
      assert.ok(after[device[0]].length > before, `A's answer went out as a segment: ${JSON.stringify(after)}`);
      t.diagnostic(`A after Sync now: ${s.sync.report}; segments ${JSON.stringify(after)}`);
      await scrollToSync(browser);
      await screenshot(browser, 'settings-sync-a.png');
    });

    // --- Instance B: join the folder, and find A's answer. --------------------------------------
    await withApp(dataB, 'b', async (app) => {
      const { browser } = app;
      app.stage = 'before';
      const before = (await waitFor(browser, (x) => x.today && x.counts.new !== null, { what: 'B: Today' })).counts;
      t.diagnostic(`B before joining: ${JSON.stringify(before)}`);

      app.stage = 'turn-on';
      await openSync(browser);
      await turnSyncOn(browser, folder, 'Desktop');
      const s = await waitFor(browser, (x) => /received [1-9]/.test(x.sync.report ?? '') && x.sync.devices.length === 1, {
        what: 'B: its first sync to receive what A sent, and A among its devices',
        timeout: SYNC_TIMEOUT,
      });
      assert.equal(s.sync.error, null);
      assert.equal(s.sync.device, 'This device: Desktop');
      assert.equal(s.sync.devices[0][0], 'Laptop');
      assert.match(s.sync.devices[0][1], /^today at /);
      t.diagnostic(`B after joining: ${s.sync.report}; devices ${JSON.stringify(s.sync.devices)}`);
      await scrollToSync(browser);
      await screenshot(browser, 'settings-sync-b.png');

      // Today counts A's answer: one new card fewer, one learning card more.
      app.stage = 'today';
      await browser.keys([Key.Escape]);
      const after = (
        await waitFor(browser, (x) => x.today && x.counts.learning === before.learning + 1, {
          what: 'B: Today counting the card A answered as learning',
        })
      ).counts;
      assert.deepEqual(after, { new: before.new - 1, learning: before.learning + 1, review: before.review });

      // The browser shows the card with A's review.
      app.stage = 'browse';
      await (await browser.$('[data-testid=nav-browse]')).click();
      const state = await browser.$('[data-testid=filter-state]');
      await state.waitForDisplayed({ timeout: STEP_TIMEOUT, timeoutMsg: 'B: the browser filters' });
      await state.selectByAttribute('value', 'learning');
      const row = await browser.$(`[data-testid=browse-row][data-card-id="${cardId}"]`);
      await row.waitForDisplayed({ timeout: STEP_TIMEOUT, timeoutMsg: `B: card ${cardId} among the learning cards` });
      await row.click();
      await browser.waitUntil(
        async () => (await browser.$$('[data-testid=card-detail] [data-testid=timeline-entry]')).length === 1,
        { timeout: STEP_TIMEOUT, timeoutMsg: `B: the detail of card ${cardId} with one review` },
      );
      const ratings = await browser.execute(() =>
        [...document.querySelectorAll('[data-testid=timeline-entry]')].map((e) => e.getAttribute('data-rating')),
      );
      assert.deepEqual(ratings, ['good']);
      await screenshot(browser, 'browse-synced.png');
    });
  } finally {
    await removeDir(folder);
    await removeDir(dataA);
    await removeDir(dataB);
  }
});
