/**
 * Unclaimed legacy work as it waits in `legacy_items.data`: already in Mosaic's shapes, so a
 * claim only copies it into the person's tables.
 */
import type { WorkCounts } from './responses.js';

export type ItemKind = 'ps101' | 'chat' | 'job_match' | 'resume' | 'file';

/** The predecessor's workbook answers: the k-th response of a step answered that step's k-th prompt. */
export interface Ps101Item {
  currentStep: number;
  startedAt: string | null;
  completedAt: string | null;
  responses: { step: number; position: number; text: string; at: string | null }[];
}

/** One exchange: what the person wrote and the coach's reply, with the reply's metrics. */
export interface ChatItem {
  prompt: string | null;
  response: string | null;
  metrics: { clarity: number; action: number; momentum: number } | null;
}

export interface JobMatchItem {
  jobId: string | null;
  role: string;
  company: string;
  score: number;
  skills: string[];
  values: string[];
  status: string;
  notes: string | null;
  statusAt: string | null;
}

export interface ResumeItem {
  name: string;
  content: string;
  jobId: string | null;
  /** The feedback document; null when the predecessor had none. */
  feedback: unknown;
}

export interface FileItem {
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  text: string | null;
}

export type ItemData = Ps101Item | ChatItem | JobMatchItem | ResumeItem | FileItem;

export type { WorkCounts };

export const emptyCounts = (): WorkCounts => ({ workbookResponses: 0, chatExchanges: 0, jobMatches: 0, resumes: 0, files: 0 });

/** A step of the legacy workbook under Mosaic's answer keys: `"<step>.<position>"`. */
export const LEGACY_FLOW_VERSION = 0;
