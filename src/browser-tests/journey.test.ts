import assert from 'node:assert/strict';
import { it, type TestContext } from 'node:test';
import { DESKTOP, PHONE, type AppBrowser } from '../testing/browser/app-page.js';
import type { PageWindow } from '../testing/browser/page-globals.js';
import {
  PASSWORD,
  SAVED,
  SCREENS,
  escapeRegExp,
  fillCredentials,
  logOut,
  navigate,
  promptBox,
  see,
  seeSaveState,
  startAsGuest,
  stepHeading,
  submitLogin,
  submitRegistration,
  uniqueEmail,
  until,
} from '../testing/browser/mosaic-ui.js';
import { recordProgress, resumePdf, throttleUploads } from '../testing/browser/uploads.js';
import { describeInBrowser } from '../testing/browser/suite.js';

/** What the journey left behind, to look for after a restart and a new login. */
interface JourneyWork {
  email: string;
  answers: Record<string, string>;
  step: number;
  chatMessage: string;
  fileName: string;
  resumeName: string;
  matchTitle: string;
  note: string;
}

/**
 * Guest → two workbook steps → a chat message and its reply → register (work still there) →
 * upload a résumé PDF with the progress bar → a résumé version from it with feedback → job
 * matches → one added to My jobs, moved to Applied with a note. Every screen passes axe and is photographed.
 */
async function journey(app: AppBrowser): Promise<JourneyWork> {
  const { page } = app;
  const work: JourneyWork = {
    email: uniqueEmail(`journey-${app.viewport.width}`),
    answers: {
      '1.1': 'I want to move from event coordination into user research.',
      '1.2': 'Today I organise conferences and enjoy the interviews most.',
      '2.1': 'A tight job market outside my control; my savings inside it.',
    },
    step: 2,
    chatMessage: 'I am nervous about leaving events work for research.',
    fileName: 'alex-rivera-resume.pdf',
    resumeName: 'Research résumé',
    matchTitle: '',
    note: 'Sent my portfolio on Monday.',
  };

  await page.goto(app.baseUrl + '/');
  await page.getByRole('heading', { level: 1 }).waitFor();
  await app.checkScreen('welcome');

  await startAsGuest(page);
  await app.checkScreen('workbook');
  await promptBox(page, '1.1').fill(work.answers['1.1']!);
  await promptBox(page, '1.2').fill(work.answers['1.2']!);
  await serverHasAnswers(app, { '1.1': work.answers['1.1']!, '1.2': work.answers['1.2']! });
  await seeSaveState(page, SAVED);
  await page.getByRole('button', { name: /^Next/ }).click();
  await see(page, stepHeading(2));
  await promptBox(page, '2.1').fill(work.answers['2.1']!);
  await serverHasAnswers(app, work.answers);
  await seeSaveState(page, SAVED);

  await navigate(page, SCREENS.chat);
  await page.getByRole('textbox', { name: /message/i }).fill(work.chatMessage);
  await page.getByRole('button', { name: /^Send/ }).click();
  await see(page, work.chatMessage);
  await see(page, /A small next step/);
  await app.checkScreen('chat');

  await page.getByRole('banner').getByRole('link', { name: 'create an account' }).click();
  await page.getByLabel('Email').waitFor();
  await see(page, /everything you have done so far .* stays with you/);
  await app.checkScreen('register');
  await fillCredentials(page, work.email, PASSWORD);
  await submitRegistration(page);
  await see(page, work.email);
  await navigate(page, SCREENS.workbook);
  await see(page, stepHeading(2));
  assert.equal(await promptBox(page, '2.1').inputValue(), work.answers['2.1'], 'a guest who registers keeps the workbook');

  await navigate(page, SCREENS.files);
  await app.checkScreen('files');
  const unthrottle = await throttleUploads(page, 256 * 1024);
  const progress = await recordProgress(page);
  await page.getByLabel('Choose files to upload').setInputFiles({ name: work.fileName, mimeType: 'application/pdf', buffer: resumePdf(512 * 1024) });
  await page.getByRole('list', { name: 'Your files' }).getByRole('listitem').filter({ hasText: work.fileName }).waitFor();
  const seen = await progress();
  await unthrottle();
  assert.ok(seen.some((value) => value > 0 && value < 100), `the progress bar moved between 0 and 100 %: saw ${seen.join(', ')}`);

  await navigate(page, SCREENS.resumes);
  await app.checkScreen('resumes');
  await createResumeFromFile(app, work);

  await navigate(page, SCREENS.matches);
  await page.getByRole('button', { name: 'Find matches' }).click();
  const matches = await until('job matches', async () => {
    const response = await (await app.api()).request('GET', '/api/jobs/matches');
    return response.body.matches?.length ? (response.body.matches as { id: number; title: string }[]) : null;
  });
  work.matchTitle = matches[0]!.title;
  await see(page, work.matchTitle);
  await app.checkScreen('matches');
  await setMatchApplied(app, work);

  await navigate(page, SCREENS.account);
  await app.checkScreen('account');
  return work;
}

async function serverHasAnswers(app: AppBrowser, answers: Record<string, string>): Promise<void> {
  await until(`the server to keep ${Object.keys(answers).join(', ')}`, async () => {
    const state = (await (await app.api()).request('GET', '/api/ps101')).body;
    return Object.entries(answers).every(([key, text]) => state.answers?.[key] === text);
  });
}

async function createResumeFromFile(app: AppBrowser, work: JourneyWork): Promise<void> {
  const { page } = app;
  await page.getByLabel('Name', { exact: true }).fill(work.resumeName);
  await page.getByRole('radio', { name: 'An uploaded file' }).check();
  await page.getByRole('combobox', { name: 'File', exact: true }).selectOption({ label: work.fileName });
  await page.getByRole('button', { name: 'Create and get feedback' }).click();
  const feedback = page.getByRole('region', { name: 'Feedback' });
  await feedback.waitFor();
  await feedback.getByText(/Quantified results/).waitFor();
  await app.checkScreen('resumes-feedback');
}

const matchCard = (app: AppBrowser, work: JourneyWork) => app.page.getByRole('article', { name: new RegExp(`^(\\d+\\. )?${escapeRegExp(work.matchTitle)}$`) });

/** The match goes on the board (My jobs), moves to Applied and gets a note. */
async function setMatchApplied(app: AppBrowser, work: JourneyWork): Promise<void> {
  const { page } = app;
  await matchCard(app, work).getByRole('button', { name: /^Add to my jobs/ }).click();
  await matchCard(app, work).getByText('On your board: Saved.').waitFor();
  await page.getByRole('navigation').getByRole('link', { name: 'My jobs', exact: true }).click();
  const job = boardCard(app, work, 'Saved');
  await job.getByLabel(`Move ${work.matchTitle} to`).selectOption('applied');
  const applied = boardCard(app, work, 'Applied');
  await applied.getByRole('button', { name: /^Details and edit/ }).click();
  await applied.getByLabel('Notes').fill(work.note);
  await applied.getByRole('button', { name: 'Save changes' }).click();
  await until('the job to be applied with the note', async () => {
    const jobs = (await (await app.api()).request('GET', '/api/jobs/tracked')).body.jobs as { title: string; status: string; notes: string }[];
    const found = jobs.find((j) => j.title === work.matchTitle);
    return found?.status === 'applied' && found.notes === work.note;
  });
  await app.checkScreen('jobs');
}

const boardCard = (app: AppBrowser, work: JourneyWork, column: string) =>
  app.page.getByRole('region', { name: new RegExp(`^${column} \\(\\d+\\)$`) }).getByRole('article', { name: work.matchTitle, exact: true });

/** After a restart or a new login: the same step, every answer, message, file, résumé and match. */
async function everythingIsThere(app: AppBrowser, work: JourneyWork): Promise<void> {
  const { page } = app;
  await see(page, work.email);
  await navigate(page, SCREENS.workbook);
  await see(page, stepHeading(work.step));
  assert.equal(await promptBox(page, '2.1').inputValue(), work.answers['2.1']);
  await page.getByRole('button', { name: /^Previous/ }).click();
  await see(page, stepHeading(1));
  assert.equal(await promptBox(page, '1.1').inputValue(), work.answers['1.1']);
  assert.equal(await promptBox(page, '1.2').inputValue(), work.answers['1.2']);
  await page.getByRole('button', { name: /^Next/ }).click();
  await see(page, stepHeading(2));
  await navigate(page, SCREENS.chat);
  await see(page, work.chatMessage);
  await see(page, /A small next step/);
  await navigate(page, SCREENS.files);
  await see(page, work.fileName);
  await navigate(page, SCREENS.resumes);
  await page.getByRole('button', { name: work.resumeName }).click();
  await page.getByRole('region', { name: 'Feedback' }).waitFor();
  await navigate(page, SCREENS.matches);
  await matchCard(app, work).getByText('On your board: Applied.').waitFor();
  await page.getByRole('navigation').getByRole('link', { name: 'My jobs', exact: true }).click();
  const job = boardCard(app, work, 'Applied');
  await job.getByRole('button', { name: /^Details and edit/ }).click();
  assert.equal(await job.getByLabel('Notes').inputValue(), work.note);
}

async function logOutAndIn(app: AppBrowser, work: JourneyWork): Promise<void> {
  await logOut(app.page);
  await app.page.getByLabel('Email').waitFor();
  await app.checkScreen('login');
  await fillCredentials(app.page, work.email, PASSWORD);
  await submitLogin(app.page);
}

/** Restart (confirmed) archives the run; the past run opens read-only with its answers. */
async function restartAndReadPastRun(app: AppBrowser, work: JourneyWork): Promise<void> {
  const { page } = app;
  await navigate(page, SCREENS.workbook);
  await page.getByRole('button', { name: 'Restart the workbook' }).click();
  const dialog = page.getByRole('dialog', { name: 'Restart the workbook?' });
  await dialog.waitFor();
  await app.checkScreen('workbook-restart');
  await dialog.getByRole('button', { name: 'Restart', exact: true }).click();
  await see(page, stepHeading(1));
  await until('an empty first answer', async () => (await promptBox(page, '1.1').inputValue()) === '');
  await page.getByRole('link', { name: /^Started / }).click();
  await page.getByRole('heading', { level: 1, name: 'Past workbook run' }).waitFor();
  await see(page, work.answers['2.1']!);
  await app.checkScreen('workbook-past-run');
}

/**
 * The browser's own navigation timing for a first load of the workbook: a new context (empty
 * cache, no service worker) with this session's cookie. Printed, never asserted.
 */
async function printFirstLoad(app: AppBrowser, t: TestContext): Promise<void> {
  const browser = app.context.browser()!;
  const fresh = await browser.newContext({ viewport: app.viewport });
  try {
    await fresh.addCookies(await app.context.cookies());
    const page = await fresh.newPage();
    await page.goto(app.baseUrl + '/workbook');
    await page.getByRole('heading', { name: 'PS101 workbook' }).waitFor();
    const timing = await page.evaluate(() => {
      const { performance } = globalThis as unknown as PageWindow;
      const nav = performance.getEntriesByType('navigation')[0]!;
      const scripts = performance
        .getEntriesByType('resource')
        .filter((entry) => String(entry.name).endsWith('.js'))
        .reduce((sum, entry) => sum + Number(entry.transferSize), 0);
      return { domInteractive: Number(nav.domInteractive), domContentLoaded: Number(nav.domContentLoadedEventEnd), load: Number(nav.loadEventEnd), scripts };
    });
    const line =
      `first load of the workbook (${app.label}, loopback, empty cache): interactive ${timing.domInteractive.toFixed(0)} ms, ` +
      `DOMContentLoaded ${timing.domContentLoaded.toFixed(0)} ms, load ${timing.load.toFixed(0)} ms; ` +
      `JavaScript transferred ${(timing.scripts / 1024).toFixed(1)} KB`;
    t.diagnostic(line);
  } finally {
    await fresh.close();
  }
}

describeInBrowser('the web app in Chromium: the journey', {}, (suite) => {
  it('at 1280 px; survives a SIGKILL of the server, then a log out and log in', (t) =>
    suite.withApp(
      t,
      async (app) => {
        const work = await journey(app);

        await navigate(app.page, SCREENS.workbook);
        await see(app.page, stepHeading(work.step));
        await suite.killAndRestart();
        await app.page.reload();
        await everythingIsThere(app, work);
        await printFirstLoad(app, t);

        await logOutAndIn(app, work);
        await everythingIsThere(app, work);
        await restartAndReadPastRun(app, work);
      },
      DESKTOP,
    ));

  it('at 375 px, with no sideways scrolling on any screen', (t) =>
    suite.withApp(
      t,
      async (app) => {
        const work = await journey(app);
        await logOutAndIn(app, work);
        await everythingIsThere(app, work);
        await restartAndReadPastRun(app, work);
      },
      PHONE,
    ));
});
