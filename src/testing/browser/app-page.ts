import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { HttpClient } from '../server-process.js';
import type { PageWindow } from './page-globals.js';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Screenshots of every screen land here (gitignored), one folder per backend and width. */
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../../test-output/screenshots/', import.meta.url));
const FAILURE_DIR = fileURLToPath(new URL('../../../test-output/failures/', import.meta.url));

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 375, height: 812 };

export interface AppBrowser {
  context: BrowserContext;
  page: Page;
  baseUrl: string;
  /** Label for screenshot folders, e.g. the backend's name. */
  label: string;
  viewport: { width: number; height: number };
  /** Every request any page of this context made to a host other than the app's own origin. */
  foreignRequests: string[];
  /** Axe, a screenshot, and at phone width the no-horizontal-scroll check, for the current screen. */
  checkScreen(name: string, page?: Page): Promise<void>;
  /** A client for the API with this browser's session cookie: what the server really keeps. */
  api(): Promise<HttpClient>;
  /** Screenshots of every open page under test-output/failures, to see what a failed test saw. */
  recordFailure(test: string): Promise<void>;
  /** Closes the context, then fails if any page reached for another host. */
  close(): Promise<void>;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * Runs axe-core inside the page. The page's CSP forbids inline scripts, so the source is
 * evaluated through the DevTools protocol (not subject to CSP) rather than added as a
 * <script> tag; the CSP stays on, so the test sees the page exactly as a person's browser does.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => 'axe' in globalThis);
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const window = globalThis as unknown as PageWindow;
    const axe = window.axe as { run(context: unknown, options: object): Promise<{ violations: AxeViolation[] }> };
    const result = await axe.run(window.document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
}

/** A fresh browser context (no cookies, no storage) on the app, with the request guard on. */
export async function openApp(
  browser: Browser,
  baseUrl: string,
  options: { label: string; viewport?: { width: number; height: number } },
): Promise<AppBrowser> {
  const viewport = options.viewport ?? DESKTOP;
  const origin = new URL(baseUrl).origin;
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  // tsx (esbuild keepNames) wraps named functions in the test code with __name(); functions
  // sent to page.evaluate carry that call into the page, so the page gets a no-op of it.
  await context.addInitScript('globalThis.__name = globalThis.__name || ((fn) => fn);');
  const foreignRequests: string[] = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    // data: URLs reach no host; blob: URLs carry the origin that made them.
    if (url.protocol !== 'data:' && url.origin !== origin) foreignRequests.push(request.url());
  });
  const page = await context.newPage();
  const shotDir = path.join(SCREENSHOT_DIR, options.label, String(viewport.width));
  fs.mkdirSync(shotDir, { recursive: true });

  return {
    context,
    page,
    baseUrl,
    label: options.label,
    viewport,
    foreignRequests,
    async checkScreen(name, target = page) {
      const serious = (await axeViolations(target)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
      await target.screenshot({ path: path.join(shotDir, `${name}.png`), fullPage: true });
      assert.deepEqual(
        serious.map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`),
        [],
        `axe: serious or critical violations on the ${name} screen`,
      );
      if (viewport.width <= PHONE.width) {
        const { scrollWidth, innerWidth } = await target.evaluate(() => {
          const window = globalThis as unknown as PageWindow;
          return { scrollWidth: window.document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth };
        });
        assert.ok(scrollWidth <= innerWidth, `${name} scrolls sideways at ${innerWidth} px: ${scrollWidth} px wide`);
      }
      assert.deepEqual(foreignRequests, [], `requests to another host on the ${name} screen`);
    },
    async api() {
      const client = new HttpClient(baseUrl);
      const session = (await context.cookies(baseUrl)).find((c) => c.name === 'mosaic_session');
      if (session) client.cookie = `${session.name}=${session.value}`;
      return client;
    },
    async recordFailure(test) {
      fs.mkdirSync(FAILURE_DIR, { recursive: true });
      const base = `${options.label}-${viewport.width}-${test.replace(/[^\w-]+/g, '-').slice(0, 80)}`;
      for (const [index, open] of context.pages().entries()) {
        await open.screenshot({ path: path.join(FAILURE_DIR, `${base}-${index}.png`), fullPage: true }).catch(() => undefined);
      }
    },
    async close() {
      await context.close();
      assert.deepEqual(foreignRequests, [], 'requests to a host other than the app');
    },
  };
}
