import assert from 'node:assert/strict';
import { it } from 'node:test';
import { PASSWORD, fillCredentials, logOut, see, submitLogin, submitRegistration, uniqueEmail } from '../testing/browser/mosaic-ui.js';
import { describeInBrowser } from '../testing/browser/suite.js';
import { HttpClient } from '../testing/server-process.js';

// Issue 27 item 9, in a real browser: a stranger's wrong passwords (here from the same address,
// loopback, the hardest case) do not keep the owner out of the browser they logged in from before.

describeInBrowser('the web app in Chromium: no lock-out by strangers', { serverEnv: () => ({ LOGIN_MAX_FAILURES: '10' }) }, (suite) => {
  it('after 12 wrong passwords from a stranger, the owner logs in from the browser that logged in before', (t) =>
    suite.withApp(t, async (app) => {
      const { page } = app;
      const email = uniqueEmail('owner');
      await page.goto(app.baseUrl + '/register');
      await fillCredentials(page, email, PASSWORD);
      await submitRegistration(page);
      await see(page, email);
      await logOut(page);

      const stranger = new HttpClient(app.baseUrl);
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await stranger.request('POST', '/api/auth/login', { email, password: 'a wrong guess 123' })).status);
      assert.deepEqual(statuses, [...Array(10).fill(401), 429, 429]);
      assert.equal((await stranger.request('POST', '/api/auth/login', { email, password: PASSWORD })).status, 429, 'the stranger stays limited');

      await fillCredentials(page, email, PASSWORD);
      await submitLogin(page);
      await see(page, email);
      const device = (await app.context.cookies(app.baseUrl + '/api/auth/login')).find((c) => c.name === 'mosaic_device');
      assert.ok(device && device.httpOnly, 'the browser keeps an HttpOnly device cookie');
    }));
});
