import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { PHONE, type AppBrowser } from '../testing/browser/app-page.js';
import { isFocused, tabTo } from '../testing/browser/keyboard.js';
import { fillCredentials, PASSWORD, see, submitRegistration, uniqueEmail, until } from '../testing/browser/mosaic-ui.js';
import { describeInBrowser } from '../testing/browser/suite.js';
import type { HttpClient } from '../testing/server-process.js';

// Issue 24 item 3 in Chromium: the board by mouse and by keyboard, the list's filters, what is
// due this week, 375 px, axe, and the board while Mosaic cannot be reached.

async function register(app: AppBrowser, tag: string): Promise<HttpClient> {
  const { page } = app;
  const email = uniqueEmail(tag);
  await page.goto(app.baseUrl + '/register');
  await fillCredentials(page, email, PASSWORD);
  await submitRegistration(page);
  await see(page, email);
  return app.api();
}

/** The browser's own today plus `days`, as YYYY-MM-DD (deadlines are the person's local dates). */
async function localDate(page: Page, days: number): Promise<string> {
  return page.evaluate((offset) => {
    const date = new Date();
    date.setDate(date.getDate() + offset);
    return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
  }, days);
}

async function addJob(api: HttpClient, body: Record<string, unknown>): Promise<number> {
  const response = await api.request('POST', '/api/jobs/tracked', body);
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body.job.id;
}

async function serverStatus(api: HttpClient, id: number): Promise<string> {
  return (await api.request('GET', `/api/jobs/tracked/${id}`)).body.job.status;
}

const column = (page: Page, label: string): Locator => page.getByRole('region', { name: new RegExp(`^${label} \\(\\d+\\)$`) });
const card = (scope: Page | Locator, title: string): Locator => scope.getByRole('article', { name: title, exact: true });

async function openJobs(app: AppBrowser): Promise<void> {
  await app.page.getByRole('navigation').getByRole('link', { name: 'My jobs', exact: true }).click();
  await app.page.getByRole('heading', { level: 1, name: 'My jobs' }).waitFor();
}

describeInBrowser('the job board in Chromium', {}, (suite) => {
  it('moves a card by dragging it to another column; after a reload it is still there', (t) =>
    suite.withApp(t, async (app) => {
      const { page } = app;
      const api = await register(app, 'board-mouse');
      const id = await addJob(api, { title: 'Service Designer', company: 'Acme', url: 'https://jobs.example.org/1' });
      await addJob(api, { title: 'Researcher', status: 'applied' });
      await openJobs(app);
      assert.equal(await page.title(), 'My jobs · Mosaic');
      await see(page, '2 jobs');
      const saved = column(page, 'Saved');
      await card(saved, 'Service Designer').waitFor();
      const link = card(saved, 'Service Designer').getByRole('link', { name: /Open the posting/ });
      assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
      await app.checkScreen('jobs-board');

      // Grabbed by its title, as a person would (a press on the card's select opens the select).
      await card(saved, 'Service Designer').getByRole('heading', { name: 'Service Designer' }).dragTo(column(page, 'Interviewing'));
      await card(column(page, 'Interviewing'), 'Service Designer').waitFor();
      await until('the move on the server', async () => (await serverStatus(api, id)) === 'interviewing');
      await page.reload();
      await card(column(page, 'Interviewing'), 'Service Designer').waitFor();
      assert.equal(await card(column(page, 'Saved'), 'Service Designer').count(), 0);
      const history = (await api.request('GET', `/api/jobs/tracked/${id}`)).body.job.history as { toStatus: string }[];
      assert.deepEqual(history.map((h) => h.toStatus), ['saved', 'interviewing']);
    }));

  it('moves a card with the keyboard alone, announcing the move', (t) =>
    suite.withApp(t, async (app) => {
      const { page } = app;
      const api = await register(app, 'board-keys');
      const id = await addJob(api, { title: 'Content Strategist' });
      await openJobs(app);
      const move = card(column(page, 'Saved'), 'Content Strategist').getByLabel('Move Content Strategist to');
      await tabTo(page, move, 'the Move to select');
      // A closed <select> changes its value with the arrow keys.
      await page.keyboard.press('ArrowDown');
      await until('the move on the server', async () => (await serverStatus(api, id)) === 'applied');
      await see(page, 'Moved Content Strategist to Applied.');
      const moved = card(column(page, 'Applied'), 'Content Strategist');
      await moved.waitFor();
      assert.equal(await moved.getByLabel('Move Content Strategist to').inputValue(), 'applied');

      // Editing is reachable from the keyboard too, and saves.
      await tabTo(page, moved.getByRole('button', { name: /Details and edit/ }), 'Details and edit');
      await page.keyboard.press('Enter');
      const notes = moved.getByLabel('Notes');
      await tabTo(page, notes, 'the notes');
      await page.keyboard.type('Recruiter call on Friday.');
      await tabTo(page, moved.getByRole('button', { name: 'Save changes' }), 'Save changes');
      await page.keyboard.press('Enter');
      await until('the note on the server', async () => (await api.request('GET', `/api/jobs/tracked/${id}`)).body.job.notes === 'Recruiter call on Friday.');
      assert.ok(!(await isFocused(notes)));
    }));

  it('filters the list by status, words and due date, and shows what is due this week', (t) =>
    suite.withApp(t, async (app) => {
      const { page } = app;
      const api = await register(app, 'board-list');
      await addJob(api, { title: 'Data Analyst', company: 'Northwind', deadline: await localDate(page, 2) });
      await addJob(api, { title: 'Policy Researcher', company: 'Civic Lab', status: 'applied', deadline: await localDate(page, 30) });
      await addJob(api, { title: 'Archivist', notes: 'Northwind museum', status: 'closed', deadline: await localDate(page, 1) });
      await addJob(api, { title: 'Librarian', deadline: await localDate(page, 0) });
      await openJobs(app);

      const due = page.getByRole('region', { name: 'Due this week' });
      await card(due, 'Librarian').waitFor();
      await card(due, 'Librarian').getByText('Due today').waitFor();
      await card(due, 'Data Analyst').getByText(/^Due /).waitFor();
      assert.equal(await card(due, 'Policy Researcher').count(), 0, 'a month away is not this week');
      assert.equal(await card(due, 'Archivist').count(), 0, 'closed jobs are not due');

      await page.getByRole('button', { name: 'List' }).click();
      const list = page.getByRole('region', { name: 'Job list' });
      await see(page, 'Showing 4 jobs of 4');
      await page.getByLabel('Status', { exact: true }).selectOption('applied');
      await see(page, 'Showing 1 job of 4');
      await card(list, 'Policy Researcher').waitFor();
      await page.getByLabel('Status', { exact: true }).selectOption('all');
      await page.getByRole('searchbox', { name: 'Search jobs' }).fill('northwind');
      await see(page, 'Showing 2 jobs of 4');
      assert.deepEqual(await list.getByRole('article').evaluateAll((nodes) => nodes.map((n) => n.querySelector('h3')?.textContent)), ['Data Analyst', 'Archivist']);
      await page.getByLabel('Due within a week').check();
      await see(page, 'Showing 1 job of 4');
      await card(list, 'Data Analyst').waitFor();
      await app.checkScreen('jobs-list');
    }));

  it('is usable at 375 px: the board stacks, nothing scrolls sideways, axe is clean', (t) =>
    suite.withApp(
      t,
      async (app) => {
        const { page } = app;
        const api = await register(app, 'board-phone');
        const id = await addJob(api, { title: 'Community Manager at a very long organisation name', company: 'Ünïcode & Sons', deadline: await localDate(page, 3) });
        await openJobs(app);
        await card(column(page, 'Saved'), 'Community Manager at a very long organisation name').waitFor();
        await app.checkScreen('jobs-board-phone');
        await card(column(page, 'Saved'), 'Community Manager at a very long organisation name').getByLabel(/^Move /).selectOption('offer');
        await until('the move on the server', async () => (await serverStatus(api, id)) === 'offer');
        await page.getByRole('button', { name: 'Add a job' }).click();
        await page.getByLabel('Job title (required)').fill('Added on a phone');
        await page.getByLabel('Link to the posting').fill('https://example.org/phone');
        await page.getByRole('button', { name: 'Add job' }).click();
        await card(column(page, 'Saved'), 'Added on a phone').waitFor();
        await see(page, '2 jobs');
        await app.checkScreen('jobs-board-phone-added');
      },
      PHONE,
    ));

  it('keeps the board while Mosaic cannot be reached, says so, and recovers by itself', (t) =>
    suite.withApp(t, async (app) => {
      const { page } = app;
      const api = await register(app, 'board-down');
      await addJob(api, { title: 'Operations Lead' });
      await openJobs(app);
      await card(column(page, 'Saved'), 'Operations Lead').waitFor();
      await suite.withServerDown(async () => {
        // Leaving and coming back asks the server again; the answer never comes.
        await page.getByRole('navigation').getByRole('link', { name: 'Job matches', exact: true }).click();
        await openJobs(app);
        await see(page, "Mosaic can't be reached right now", 30_000);
        await card(column(page, 'Saved'), 'Operations Lead').waitFor();
        assert.equal(await page.getByText('No jobs yet').count(), 0);
        await app.checkScreen('jobs-unreachable');
      });
      await until('the note to go once Mosaic is back', async () => (await page.getByText("Mosaic can't be reached right now").count()) === 0, 30_000);
      await card(column(page, 'Saved'), 'Operations Lead').waitFor();
    }));
});
