import { accessSync, constants } from 'node:fs';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

// Debian's chromium package, driven by playwright-core: `npx playwright install` downloads
// browsers from a CDN this machine (and CI) cannot reach.

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** The one line printed when the browser tests cannot run here. */
export const BROWSER_SKIP_MESSAGE =
  'browser tests skipped: no Chromium found (install it with `apt-get install -y chromium`, or set MOSAIC_CHROMIUM to its path)';

/** CI sets MOSAIC_REQUIRE_BROWSER=1 so a missing Chromium fails the run instead of skipping it. */
export const browserRequired = (): boolean => process.env.MOSAIC_REQUIRE_BROWSER === '1';

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** MOSAIC_CHROMIUM, else the first Chromium or Chrome on PATH; undefined when there is none. */
export function findChromium(): string | undefined {
  const configured = process.env.MOSAIC_CHROMIUM;
  if (configured) return executable(configured) ? configured : undefined;
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const name of CANDIDATES) {
    for (const dir of dirs) {
      const file = path.join(dir, name);
      if (executable(file)) return file;
    }
  }
  return undefined;
}

/** What a browser test file passes to `describe(..., { skip })`: a reason, or false to run. */
export function browserSkip(): string | false {
  return findChromium() || browserRequired() ? false : BROWSER_SKIP_MESSAGE;
}

/**
 * Launches headless Chromium: no background networking, sync, component
 * updates or QUIC, so the only traffic is the page's own (which the request guard checks).
 */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(BROWSER_SKIP_MESSAGE.replace('skipped', 'required (MOSAIC_REQUIRE_BROWSER=1)'));
  // playwright-core gives every launch a fresh temporary profile of its own.
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
