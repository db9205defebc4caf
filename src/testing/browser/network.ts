import type { Page } from 'playwright-core';
import type { AppBrowser } from './app-page.js';
import type { PageWindow } from './page-globals.js';

// Reloading a page needs its HTML, which a browser with no network cannot fetch (Mosaic has no
// service worker). So "offline" across a reload means: the page's own files load, every API
// call fails the way a dropped connection does, and navigator.onLine says false, as it would.

const OFFLINE_FLAG = 'mosaic-e2e:api-offline';

/** Installs, for every later page load, a navigator.onLine that reads false while the flag is set. */
export async function emulateOnlineFlag(app: AppBrowser): Promise<void> {
  await app.context.addInitScript(`(() => {
    const real = Object.getOwnPropertyDescriptor(Navigator.prototype, 'onLine').get;
    Object.defineProperty(Navigator.prototype, 'onLine', {
      configurable: true,
      get() { return sessionStorage.getItem('${OFFLINE_FLAG}') === '1' ? false : real.call(this); },
    });
  })();`);
}

/** From now on the API is unreachable (connection errors) and the page reports being offline. */
export async function cutApi(page: Page): Promise<void> {
  await page.evaluate((flag) => (globalThis as unknown as PageWindow).sessionStorage.setItem(flag, '1'), OFFLINE_FLAG);
  await page.route('**/api/**', (route) => route.abort('internetdisconnected'));
}

/** The API answers again and the page hears the browser's `online` event. */
export async function restoreApi(page: Page): Promise<void> {
  await page.unroute('**/api/**');
  await page.evaluate((flag) => {
    const window = globalThis as unknown as PageWindow & { Event: new (type: string) => unknown };
    window.sessionStorage.removeItem(flag);
    window.dispatchEvent(new window.Event('online'));
  }, OFFLINE_FLAG);
}
