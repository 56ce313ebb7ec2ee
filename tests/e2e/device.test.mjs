// What this computer keeps for itself, in the real app: the zoom and the window's size across a
// restart, the daily reminder as a real notification (dunst, on the test's own D-Bus session and
// X display), and start at login as the OS's autostart entry.
//
// Run through tests/e2e/run.sh: it gives the tests a HOME of their own, so the window state and
// the autostart entry land there, never in the real user's.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { click, makeDataDir, quitApp, removeDataDir, startApp } from './app.mjs';
import { STEP_TIMEOUT, screenshot, sleep } from './support.mjs';

/** The notifications dunst holds, shown or in its history: each one's summary and body. */
function notifications() {
  const read = (args) => JSON.parse(execFileSync('dunstctl', args, { encoding: 'utf8' }));
  const history = read(['history']).data.flat();
  return history.map((n) => ({ summary: n.summary?.data, body: n.body?.data }));
}

/** The page's width once the window is shown and has kept one width for a quarter second. */
async function settledWidth(browser) {
  let last = -1;
  let width = 0;
  await browser.waitUntil(
    async () => {
      width = await browser.execute(() => document.documentElement.clientWidth);
      const settled = width > 0 && width === last;
      last = width;
      return settled;
    },
    { timeout: STEP_TIMEOUT, interval: 250, timeoutMsg: 'the window to be shown at a steady width' },
  );
  return width;
}

test('zoom and window size stick, the daily reminder notifies, start at login writes the autostart entry', { timeout: 300_000 }, async (t) => {
  // A desktop's notification service: dunst, showing each notification for 60 s.
  const dunst = spawn('dunst', ['-timeout', '60'], { stdio: 'ignore' });
  const dataDir = await makeDataDir();
  let browser;
  try {
    // Zoom 120 % and a reminder at 07:30, as Settings saves them.
    await fs.writeFile(path.join(dataDir, 'device.json'), JSON.stringify({ zoom: 1.2, reminder: '07:30' }));
    // The app's clock starts ten seconds before the reminder, on a fixed date, and runs.
    browser = await startApp(dataDir, { now: '2026-12-05T07:29:50+01:00', args: ['--clock-runs'] });

    // 960 px at 120 %: the page is 800 CSS px wide. (Today's screen can be in the page a moment
    // before the window is shown and laid out, at width 0.)
    const width = await settledWidth(browser);
    t.diagnostic(`page width at 120 %: ${width}`);
    assert.ok(width <= 800 && width > 700, `the saved zoom applies at start: ${width}`);

    // The reminder: 20 new cards wait on a fresh collection.
    let shown = [];
    const deadline = Date.now() + 60_000;
    while (shown.length === 0 && Date.now() < deadline) {
      await sleep(500);
      // Shown notifications move to the history only when closed: close them all to read them.
      try {
        execFileSync('dunstctl', ['close-all']);
        shown = notifications();
      } catch {
        shown = [];
      }
    }
    t.diagnostic(`notifications: ${JSON.stringify(shown)}`);
    assert.deepEqual(shown, [{ summary: 'Time to review', body: '20 cards are waiting: 20 new, 0 learning, 0 to review.' }]);

    // Ctrl+0: back to 100 % (WebKitWebDriver clicks at unzoomed coordinates, so the clicks
    // below want it too).
    await browser.keys(['Control', '0']);
    await browser.waitUntil(async () => (await browser.execute(() => document.documentElement.clientWidth)) > 900, {
      timeout: STEP_TIMEOUT,
      timeoutMsg: 'the zoom to go back to 100 %',
    });

    // Start at login: the OS's autostart entry comes and goes.
    const entry = path.join(process.env.HOME, '.config', 'autostart', 'Reprise.desktop');
    await click(browser, 'nav-settings');
    await click(browser, 'start-at-login');
    await browser.waitUntil(async () => fs.access(entry).then(() => true, () => false), {
      timeout: STEP_TIMEOUT,
      timeoutMsg: `the autostart entry ${entry}`,
    });
    assert.match(await fs.readFile(entry, 'utf8'), /Exec=.*reprise-desktop/);
    await (await browser.$('#device-title')).scrollIntoView();
    await screenshot(browser, 'settings-device.png');
    await click(browser, 'start-at-login');
    await browser.waitUntil(async () => fs.access(entry).then(() => false, () => true), {
      timeout: STEP_TIMEOUT,
      timeoutMsg: 'the autostart entry to go',
    });

    // Ctrl+- to 90 %, a smaller window; both kept for the next start.
    await browser.keys(['Control', '-']);
    await browser.waitUntil(async () => (await browser.execute(() => document.documentElement.clientWidth)) > 1000, {
      timeout: STEP_TIMEOUT,
      timeoutMsg: 'the zoom to go down to 90 %',
    });
    await browser.setWindowSize(800, 600);
    const before = await browser.getWindowSize();
    t.diagnostic(`window before restart: ${JSON.stringify(before)}`);
    // Saved once the window has been still for half a second.
    await sleep(1500);
    await quitApp(browser, dataDir);
    browser = undefined;
    assert.equal(JSON.parse(await fs.readFile(path.join(dataDir, 'device.json'), 'utf8')).zoom, 0.9);
    browser = await startApp(dataDir);
    const restarted = await settledWidth(browser);
    assert.ok(restarted > 800, `still 90 % after a restart: ${restarted}`);
    const after = await browser.getWindowSize();
    t.diagnostic(`window after restart: ${JSON.stringify(after)}`);
    assert.deepEqual(after, before, 'the window opens at the size it was closed at');
  } catch (err) {
    if (browser) await screenshot(browser, 'failure-device.png').catch(() => {});
    throw err;
  } finally {
    if (browser) await quitApp(browser, dataDir).catch((e) => console.error(`[e2e] quit failed: ${e.message}`));
    dunst.kill();
    await removeDataDir(dataDir);
    // The tests after this one open at the default size.
    await fs.rm(path.join(process.env.HOME, '.config', 'app.reprise.desktop'), { recursive: true, force: true });
  }
});
