// What the end-to-end tests share: waiting for the UI, and screenshots as a person sees them.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const SCREENSHOT_DIR = path.resolve(process.env.SCREENSHOT_DIR || path.join(HERE, 'artifacts'));
const SCREENSHOT_SETTLE_MS = 500;

export const STEP_TIMEOUT = 15_000; // any single UI transition
const POLL_INTERVAL = 100;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `snapshot(browser)` until `cond` holds of it; fails at once if the error banner shows,
 *  and on timeout with what it waited for and what the UI showed last. */
export async function waitUntil(browser, snapshot, cond, { what, timeout = STEP_TIMEOUT }) {
  const deadline = Date.now() + timeout;
  let last;
  let lastErr;
  for (;;) {
    try {
      last = await snapshot(browser);
      lastErr = undefined;
    } catch (err) {
      lastErr = err; // e.g. page still loading; retry
    }
    if (last?.errorBanner) {
      throw new Error(`error banner [data-testid=error] shown while waiting for ${what}: "${last.errorBanner}"`);
    }
    if (last && cond(last)) return last;
    if (Date.now() >= deadline) {
      const detail = lastErr ? `last error: ${lastErr.message}` : `last UI state: ${JSON.stringify(last)}`;
      throw new Error(`timed out after ${timeout} ms waiting for ${what}; ${detail}`);
    }
    await sleep(POLL_INTERVAL);
  }
}

/** Saves a screenshot as `name` in SCREENSHOT_DIR and returns its path. */
export async function screenshot(browser, name) {
  const file = path.join(SCREENSHOT_DIR, name);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await sleep(SCREENSHOT_SETTLE_MS); // let the last DOM change paint
  // What a person sees: the X display itself. WebKitWebDriver's own screenshot can hand back a
  // frame from before the last DOM change, so it is only the fallback.
  if (process.env.DISPLAY) {
    try {
      execFileSync('import', ['-window', 'root', file]);
      return file;
    } catch (err) {
      console.error(`[e2e] X screenshot failed (${err.message}); using WebDriver's`);
    }
  }
  await browser.saveScreenshot(file);
  return file;
}

/** Types `text` into the focused element. WebKitWebDriver drops the second of two same keys
 *  sent in one call ("Sb11JJ" arrives as "Sb1J"), so a repeated character starts a new call. */
export async function typeText(browser, text) {
  let chunk = '';
  for (const ch of text) {
    if (chunk.endsWith(ch)) {
      await browser.keys(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) await browser.keys(chunk);
}
