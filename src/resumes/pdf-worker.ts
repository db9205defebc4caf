import { renderPdf } from './documents.js';

export interface PdfTask {
  title: string;
  content: string;
}

/** Runs in a worker thread (pdf-pool.ts): the PDF's bytes. */
export default async function render(task: PdfTask): Promise<Uint8Array> {
  return new Uint8Array(await renderPdf(task.title, task.content));
}
