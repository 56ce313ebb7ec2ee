// The app as the end-to-end tests drive it: a fresh data directory, the app started on it through
// tauri-driver, one read of what the UI shows, and the app closed and its directory removed.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { remote } from 'webdriverio';
import { SCREENSHOT_DIR, STEP_TIMEOUT, screenshot, sleep, waitUntil } from './support.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const APP = process.env.APP;
const PORT = Number(process.env.E2E_PORT || 4444);

export const STARTUP_TIMEOUT = 60_000; // app launch until the Today screen is shown
const POLL_INTERVAL = 100;


// ---------------------------------------------------------------------------
// Session helpers
// ---------------------------------------------------------------------------

/** Create a fresh, empty data directory. */
export async function makeDataDir() {
  return fs.mkdtemp(path.join(os.tmpdir(), 'reprise-e2e-'));
}

/** Delete a data directory made by makeDataDir (unless E2E_KEEP_DATA=1). */
export async function removeDataDir(dir) {
  if (!dir) return;
  if (process.env.E2E_KEEP_DATA === '1') {
    console.error(`[e2e] keeping data dir ${dir}`);
    return;
  }
  await fs.rm(dir, { recursive: true, force: true });
}

/**
 * Launch the app (through tauri-driver) on the given data directory and
 * return the WebdriverIO browser once the Today screen is displayed.
 */
export async function startApp(dataDir, { now, args = [] } = {}) {
  assert.ok(APP, 'APP environment variable (path to the app binary) is not set; use tests/e2e/run.sh');
  let browser;
  try {
    browser = await remote({
      hostname: '127.0.0.1',
      port: PORT,
      logLevel: 'warn',
      connectionRetryTimeout: STARTUP_TIMEOUT,
      connectionRetryCount: 0, // a retried newSession would launch a second app
      capabilities: {
        // `--now` fixes the app's clock (core and UI alike) for a test that must not depend on
        // the date it runs.
        'tauri:options': { application: APP, args: ['--data-dir', dataDir, ...(now ? ['--now', now] : []), ...args] },
        'wdio:enforceWebDriverClassic': true,
      },
    });
  } catch (err) {
    throw new Error(
      `could not start a WebDriver session for ${APP} (is tauri-driver listening on port ${PORT}, ` +
        `and does the app start? see tauri-driver.log in ${SCREENSHOT_DIR}): ${err.message}`,
      { cause: err },
    );
  }
  try {
    await waitFor(browser, (s) => s.today, {
      timeout: STARTUP_TIMEOUT,
      what: 'the Today screen ([data-testid=today]) to appear after launching the app',
    });
  } catch (err) {
    await failureScreenshot(browser, 'startup');
    await quitApp(browser, dataDir);
    throw err;
  }
  return browser;
}

/** Close the app (deleteSession) and wait until its process is gone. */
export async function quitApp(browser, dataDir) {
  if (!browser) return;
  try {
    await browser.deleteSession();
  } catch (err) {
    console.error(`[e2e] deleteSession failed: ${err.message}`);
  }
  if (dataDir) await waitForAppExit(dataDir);
}

/** Pids of processes whose command line mentions dataDir (i.e. our app instance). */
export async function appPids(dataDir) {
  const pids = [];
  let entries = [];
  try {
    entries = await fs.readdir('/proc');
  } catch {
    return pids; // not Linux: nothing we can check
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmdline = (await fs.readFile(`/proc/${name}/cmdline`, 'utf8')).split('\0');
      if (cmdline.includes(dataDir)) pids.push(Number(name));
    } catch {
      // process vanished or not readable
    }
  }
  return pids;
}

/** The memory (PSS, MiB) of the app on dataDir and every process under it (WebKit's). */
export async function appMemoryMiB(dataDir) {
  const parents = new Map();
  for (const name of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await fs.readFile(`/proc/${name}/stat`, 'utf8');
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  const tree = new Set(await appPids(dataDir));
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (tree.has(parent) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  let kib = 0;
  for (const pid of tree) {
    try {
      const rollup = await fs.readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
      kib += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return kib / 1024;
}

/** Wait until no process with dataDir on its command line is left (the DB is closed). */
export async function waitForAppExit(dataDir, timeout = STEP_TIMEOUT) {
  const deadline = Date.now() + timeout;
  let pids = await appPids(dataDir);
  while (pids.length && Date.now() < deadline) {
    await sleep(POLL_INTERVAL);
    pids = await appPids(dataDir);
  }
  if (pids.length) {
    throw new Error(`app process(es) ${pids.join(', ')} still running ${timeout} ms after deleteSession`);
  }
}

// ---------------------------------------------------------------------------
// UI state helpers
// ---------------------------------------------------------------------------

/**
 * Read everything the test looks at in one script call (atomic, no stale
 * element references while Svelte re-renders).
 */
export async function snapshot(browser) {
  return browser.execute(() => {
    const q = (id) => document.querySelector(`[data-testid="${id}"]`);
    const visible = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const text = (id) => {
      const el = q(id);
      return visible(el) ? (el.innerText ?? el.textContent ?? '').trim() : null;
    };
    const count = (id) => {
      const t = text(id);
      return t !== null && /^\d+$/.test(t) ? Number(t) : null;
    };
    return {
      today: visible(q('today')),
      review: visible(q('review')),
      summary: visible(q('summary')),
      // Not called "error": WebdriverIO would take a result object with an
      // "error" key for a WebDriver error response.
      errorBanner: text('error'),
      counts: { new: count('count-new'), learning: count('count-learning'), review: count('count-review') },
      rawCounts: { new: text('count-new'), learning: text('count-learning'), review: text('count-review') },
      prompt: text('prompt'),
      answer: text('answer'),
      progress: text('progress'),
      cardState: text('card-state'),
    };
  });
}

/**
 * Poll the UI until cond(snapshot) is truthy; returns that snapshot.
 * Fails immediately if the error banner appears, and on timeout with a
 * message saying what we were waiting for and what the UI showed last.
 */
export function waitFor(browser, cond, options) {
  return waitUntil(browser, snapshot, cond, options);
}

export const haveCounts = (s) => s.today && s.counts.new !== null && s.counts.learning !== null && s.counts.review !== null;

export async function readTodayCounts(browser, what = 'the Today counts') {
  const s = await waitFor(browser, haveCounts, {
    what: `${what} ([data-testid=count-new|count-learning|count-review] showing numbers)`,
  });
  return s.counts;
}

/** Starts recording every progress text the Packs screen shows, however briefly: a small
 *  import can come and go between two polls. */
export async function recordImportProgress(browser) {
  await browser.execute(() => {
    window.__importProgress = [];
    const note = () => {
      const text = document.querySelector('[data-testid=import-progress]')?.textContent?.trim();
      const seen = window.__importProgress;
      if (text && seen[seen.length - 1] !== text) seen.push(text);
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

/** `n` as the webview writes a count (`toLocaleString`: "20,000" in English). */
export async function grouped(browser, n) {
  return browser.execute((x) => x.toLocaleString(), n);
}

/** A count as a regular expression matches it: digits and whatever groups them. */
export const COUNT = '[\\d.,\\s\\u00a0\\u202f\']+';

/** `text` matched literally in a regular expression. */
export function escaped(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Follows an import on the Packs screen until its report: the progress texts shown, the report. */
export async function watchImport(browser, timeout) {
  let report = null;
  await browser.waitUntil(
    async () => {
      const s = await browser.execute(() => ({
        report: document.querySelector('[data-testid=import-report]')?.textContent ?? null,
        error: document.querySelector('[data-testid=error]')?.textContent ?? null,
      }));
      if (s.error) throw new Error(`error banner during import: ${s.error}`);
      report = s.report;
      return report !== null;
    },
    { timeout, interval: 50, timeoutMsg: 'the import report' },
  );
  const progress = await browser.execute(() => window.__importProgress ?? []);
  return { progress, report };
}

/** On the Packs screen: disables every built-in pack (the curriculum's areas), so only imported
 *  cards are studied. */
export async function disableBuiltinPack(browser) {
  const toggles = await browser.$$('[data-pack-id^="reprise."] [data-testid=pack-toggle]');
  if (toggles.length === 0) throw new Error('no built-in pack on the Packs screen');
  for (const toggle of toggles) {
    if ((await toggle.getText()) !== 'Disable') continue;
    await toggle.click();
    await browser.waitUntil(async () => (await toggle.getText()) === 'Enable', {
      timeout: STEP_TIMEOUT,
      timeoutMsg: 'a built-in pack to show as disabled',
    });
  }
}

export async function failureScreenshot(browser, label) {
  try {
    const file = await screenshot(browser, `failure-${label}.png`);
    console.error(`[e2e] failure screenshot: ${file}`);
  } catch (err) {
    console.error(`[e2e] could not take failure screenshot: ${err.message}`);
  }
}

/**
 * Runs `body` against the app on a fresh data directory, once Today shows its counts. `body` gets
 * `{ browser, dataDir, stage, quit }`: set `stage` to name the failure screenshot; `quit()` closes
 * the app early (to read the database). `prepare(dataDir)` runs before the app starts. The app is
 * always closed and the directory removed.
 */
export async function withApp(body, { prepare, now, args } = {}) {
  const dataDir = await makeDataDir();
  if (prepare) await prepare(dataDir);
  const app = { browser: undefined, dataDir, stage: 'startup' };
  app.quit = async () => {
    const browser = app.browser;
    app.browser = undefined;
    await quitApp(browser, dataDir);
  };
  try {
    app.browser = await startApp(dataDir, { now, args });
    await readTodayCounts(app.browser);
    await body(app);
  } catch (err) {
    if (app.browser) await failureScreenshot(app.browser, app.stage);
    throw err;
  } finally {
    if (app.browser) await quitApp(app.browser, dataDir).catch((e) => console.error(`[e2e] quit failed: ${e.message}`));
    await removeDataDir(dataDir);
  }
}

/** Clicks `[data-testid=testid]` once it can be clicked, scrolled into view first. */
export async function click(browser, testid) {
  const el = await browser.$(`[data-testid=${testid}]`);
  await el.waitForExist({ timeout: STEP_TIMEOUT, timeoutMsg: `[data-testid=${testid}] to exist` });
  await el.scrollIntoView({ block: 'center' });
  await el.waitForClickable({ timeout: STEP_TIMEOUT, timeoutMsg: `[data-testid=${testid}] to be clickable` });
  await el.click();
}

/** Waits until `[data-testid=testid]` shows; answers it. */
export async function shown(browser, testid) {
  const el = await browser.$(`[data-testid=${testid}]`);
  await el.waitForDisplayed({ timeout: STEP_TIMEOUT, timeoutMsg: `[data-testid=${testid}] to show` });
  return el;
}
