import type { Page } from 'playwright-core';
import { assemblePdf, pdfDocument } from '../fixtures.js';
import type { PageWindow } from './page-globals.js';

/** A résumé a person might upload: a text layer the matcher and the feedback can read. */
export const RESUME_LINES = [
  'Alex Rivera - Project coordinator',
  'Summary: organised, data-minded coordinator moving into user research and analysis.',
  'Experience: led a team of 6 volunteers; increased event attendance by 40 percent.',
  'Managed budgets and schedules, analysed survey data in spreadsheets and SQL.',
  'Skills: communication, stakeholder interviews, data analysis, Python, writing.',
];

/**
 * The résumé PDF padded with an unreferenced stream to about `bytes`, so that a throttled
 * upload lasts long enough for the progress bar to be seen moving.
 */
export function resumePdf(bytes = 0): Buffer {
  const plain = pdfDocument(RESUME_LINES);
  if (bytes <= plain.length) return plain;
  const text = plain.toString('latin1');
  const objects = [...text.matchAll(/\d+ 0 obj\n([\s\S]*?)\nendobj\n/g)].map((m) => m[1]!);
  const filler = Buffer.alloc(bytes - plain.length, 'x');
  return assemblePdf([...objects, Buffer.concat([Buffer.from(`<< /Length ${filler.length} >>\nstream\n`), filler, Buffer.from('\nendstream')])]);
}

/** Slows this page's uploads (DevTools network emulation) to `bytesPerSecond`. */
export async function throttleUploads(page: Page, bytesPerSecond: number): Promise<() => Promise<void>> {
  const cdp = await page.context().newCDPSession(page);
  const set = (uploadThroughput: number) =>
    cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput });
  await set(bytesPerSecond);
  return async () => {
    await set(-1);
    await cdp.detach();
  };
}

/**
 * Starts sampling the page's progress bar (a <progress> or role="progressbar") every frame;
 * the returned function stops and gives the distinct percentages seen, in order.
 */
export async function recordProgress(page: Page): Promise<() => Promise<number[]>> {
  await page.evaluate(() => {
    const window = globalThis as unknown as PageWindow;
    const seen: number[] = [];
    const sample = () => {
      const bar = window.document.querySelector('progress, [role="progressbar"]');
      if (bar) {
        const value =
          bar.tagName === 'PROGRESS'
            ? (Number(bar.value) / (bar.max || 1)) * 100
            : (Number(bar.getAttribute('aria-valuenow')) / Number(bar.getAttribute('aria-valuemax') ?? 100)) * 100;
        if (Number.isFinite(value) && seen[seen.length - 1] !== value) seen.push(value);
      }
      window.__progressFrame = window.requestAnimationFrame(sample);
    };
    window.__progressSeen = seen;
    sample();
  });
  return () =>
    page.evaluate(() => {
      const window = globalThis as unknown as PageWindow;
      window.cancelAnimationFrame(window.__progressFrame as number);
      return window.__progressSeen as number[];
    });
}
