import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import type { PageWindow } from './page-globals.js';

/** Whether `target` is the focused element right now. */
export const isFocused = (target: Locator): Promise<boolean> =>
  target.evaluate((element) => element === (globalThis as unknown as PageWindow).document.activeElement).catch(() => false);

/** Whether the focused element draws a visible focus indicator (an outline or a box shadow). */
export async function focusIsVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const window = globalThis as unknown as PageWindow;
    const focused = window.document.activeElement;
    if (!focused) return false;
    const style = window.getComputedStyle(focused);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return outline || style.boxShadow !== 'none';
  });
}

/**
 * Presses Tab (only Tab) until `target` has the focus, as a keyboard user would, and checks the
 * focus can be seen there.
 */
export async function tabTo(page: Page, target: Locator, what: string, maxPresses = 40): Promise<void> {
  for (let presses = 0; presses <= maxPresses; presses++) {
    if (await isFocused(target)) {
      assert.ok(await focusIsVisible(page), `no visible focus indicator on ${what}`);
      return;
    }
    await page.keyboard.press('Tab');
  }
  throw new Error(`${what} was not reached in ${maxPresses} presses of Tab`);
}
