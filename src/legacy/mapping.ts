import { createHash } from 'node:crypto';
import { MATCH_STATUSES } from '../jobs/service.js';
import type { ChatItem, ItemKind, JobMatchItem, Ps101Item, ResumeItem } from './items.js';
import type { LegacyRow, LegacyTable } from './source.js';
import { excerpt, jsonObject, type Parsed, jsonStrings, legacyTime, metricValue, textOrNull } from './values.js';

/** A row mapped to an item of work, with what was not imported as it was. */
export interface Mapped {
  /** Null when the row yields nothing to import (the problems say why). */
  item: { kind: ItemKind; legacyId: string; sessionHash: string; createdAt: string; data: unknown; content?: Buffer } | null;
  problems: string[];
}

/** The key unclaimed work waits under: SHA-256 of the legacy session id, lower-cased (it is hex). */
export function sessionHash(sessionId: string): string {
  return createHash('sha256').update(sessionId.trim().toLowerCase(), 'utf8').digest('hex');
}

/** Times the predecessor should have written but did not fall back, in order, to these. */
export interface TimeFallbacks {
  /** The session's own creation time, when it has one. */
  session: string | null;
}

export const UNKNOWN_TIME = '1970-01-01T00:00:00.000Z';

/** The row's time, or a fallback with the reason reported. */
export function rowTime(raw: unknown, column: string, fallbacks: (string | null)[], problems: string[]): string {
  const parsed = legacyTime(raw, column);
  if (parsed.value !== null) return parsed.value;
  const fallback = fallbacks.find((f): f is string => f !== null) ?? UNKNOWN_TIME;
  problems.push(`${parsed.problem}; used ${fallback === UNKNOWN_TIME ? 'an unknown time (1970-01-01)' : fallback}`);
  return fallback;
}

/** One report line for each text column that held bytes that are not UTF-8. */
export function utf8Problems(row: LegacyRow): string[] {
  return row.invalidUtf8.map(
    (column) => `${column} is not valid UTF-8; imported a repaired copy (each invalid byte sequence replaced by U+FFFD)`,
  );
}

/** The workbook progress kept in `sessions.user_data`; null when there are no responses. */
export function mapSession(row: LegacyRow): Mapped {
  const problems = utf8Problems(row);
  const id = String(row.values.id);
  const userData = jsonObject(row.values.user_data, 'user_data');
  if (userData.value === null) {
    // `{}` and NULL are ordinary for a session that never started the workbook.
    if (row.values.user_data !== null) problems.push(`${userData.problem}; its workbook progress could not be read`);
    return { item: null, problems };
  }
  const data = userData.value;
  const rawResponses = data.ps101_responses;
  if (rawResponses === undefined || rawResponses === null) return { item: null, problems };
  if (!Array.isArray(rawResponses)) {
    problems.push(`user_data.ps101_responses is not a list (${excerpt(JSON.stringify(rawResponses))}); not imported`);
    return { item: null, problems };
  }
  const positions = new Map<number, number>();
  const responses: Ps101Item['responses'] = [];
  rawResponses.forEach((entry: unknown, index) => {
    const response = entry as { step?: unknown; response?: unknown; timestamp?: unknown } | null;
    const step = response?.step;
    if (typeof step !== 'number' || !Number.isInteger(step) || step < 1 || step > 10 || typeof response?.response !== 'string') {
      problems.push(`user_data.ps101_responses[${index}] is not a response of step 1–10 (${excerpt(JSON.stringify(entry) ?? 'undefined')}); not imported`);
      return;
    }
    const position = (positions.get(step) ?? 0) + 1;
    positions.set(step, position);
    const at: Parsed<string> | { value: null; problem?: undefined } = response.timestamp === undefined || response.timestamp === null ? { value: null } : legacyTime(response.timestamp, `user_data.ps101_responses[${index}].timestamp`);
    if (at.problem) problems.push(`${at.problem}; the response is kept without its time`);
    responses.push({ step, position, text: response.response, at: at.value });
  });
  if (responses.length === 0) return { item: null, problems };
  const step = data.ps101_step;
  const started = optionalTime(data.ps101_started_at, 'user_data.ps101_started_at', problems);
  const completed = optionalTime(data.ps101_completed_at, 'user_data.ps101_completed_at', problems);
  const firstAt = responses.find((r) => r.at !== null)?.at ?? null;
  const item: Ps101Item = {
    currentStep: typeof step === 'number' && Number.isInteger(step) && step >= 1 && step <= 10 ? step : Math.max(...responses.map((r) => r.step)),
    startedAt: started ?? firstAt,
    completedAt: completed,
    responses,
  };
  const hash = sessionHash(id);
  const createdAt = started ?? firstAt ?? rowTime(row.values.created_at, 'created_at', [], problems);
  return { item: { kind: 'ps101', legacyId: `ps101:${hash}`, sessionHash: hash, createdAt, data: item }, problems };
}

function optionalTime(raw: unknown, column: string, problems: string[]): string | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const parsed = legacyTime(raw, column);
  if (parsed.problem) problems.push(`${parsed.problem}; left out`);
  return parsed.value;
}

/** One chat exchange: the person's prompt, the coach's response, its metrics. */
export function mapChat(row: LegacyRow, fallbacks: TimeFallbacks): Mapped {
  const problems = utf8Problems(row);
  const prompt = textOrNull(row.values.prompt);
  const response = textOrNull(row.values.response);
  if (!prompt && !response) {
    problems.push('prompt and response are both empty; nothing to import');
    return { item: null, problems };
  }
  if (!prompt) problems.push('prompt is empty; only the coach reply is imported');
  if (!response) problems.push('response is empty; only the person’s message is imported');
  let metrics: ChatItem['metrics'] = null;
  if (response) {
    const parsed = jsonObject(row.values.metrics, 'metrics');
    if (parsed.value === null) problems.push(`${parsed.problem}; the reply is imported without metrics`);
    else {
      const [clarity, action, momentum] = (['clarity', 'action', 'momentum'] as const).map((k) => metricValue(parsed.value[k]));
      if (clarity === null || action === null || momentum === null) {
        problems.push(`metrics lack a clarity, action or momentum of 0–100 (${excerpt(String(row.values.metrics))}); the reply is imported without metrics`);
      } else metrics = { clarity: clarity!, action: action!, momentum: momentum! };
    }
  }
  const createdAt = rowTime(row.values.created_at, 'created_at', [fallbacks.session], problems);
  const data: ChatItem = { prompt, response, metrics };
  return { item: work('chat', 'wimd_outputs', row, createdAt, data), problems };
}

/** A job match, with its tracking from `extras`. */
export function mapJobMatch(row: LegacyRow, fallbacks: TimeFallbacks): Mapped {
  const problems = utf8Problems(row);
  const jobId = textOrNull(row.values.job_id);
  let role = textOrNull(row.values.role);
  if (!role) {
    role = jobId ?? 'Role from the earlier version';
    problems.push(`role is empty; shown as "${role}"`);
  }
  const score = typeof row.values.fit_score === 'number' && Number.isFinite(row.values.fit_score) ? row.values.fit_score : 0;
  if (score !== row.values.fit_score) problems.push('fit_score is empty; imported as 0');
  const skills = listOrEmpty(row.values.skills_match, 'skills_match', problems);
  const values = listOrEmpty(row.values.values_match, 'values_match', problems);
  // A match from the earlier version is kept as tracked (saved at least): Mosaic deletes
  // untracked matches that a refresh no longer ranks, and this one was never ranked here.
  let status = 'saved';
  let notes: string | null = null;
  let statusAt: string | null = null;
  if (row.values.extras !== null) {
    const extras = jsonObject(row.values.extras, 'extras');
    if (extras.value === null) problems.push(`${extras.problem}; its status, notes and time are not imported`);
    else {
      const given = extras.value.status;
      if (typeof given === 'string' && (MATCH_STATUSES as readonly string[]).includes(given)) status = given;
      else if (given !== undefined && given !== null) problems.push(`extras.status ${excerpt(JSON.stringify(given))} is not a Mosaic status; kept as saved, the original in the notes`);
      const givenNotes = extras.value.status_notes;
      if (typeof givenNotes === 'string' && givenNotes !== '') notes = givenNotes;
      if (given !== undefined && given !== null && status === 'saved' && given !== 'saved') {
        notes = [`Status in the earlier version: ${typeof given === 'string' ? given : JSON.stringify(given)}`, notes].filter(Boolean).join('\n');
      }
      if (extras.value.status_at !== undefined && extras.value.status_at !== null) {
        const at = legacyTime(extras.value.status_at, 'extras.status_at');
        if (at.problem) problems.push(`${at.problem}; the status is kept without its time`);
        statusAt = at.value;
      }
    }
  }
  const createdAt = rowTime(row.values.created_at, 'created_at', [fallbacks.session], problems);
  const data: JobMatchItem = { jobId, role, company: textOrNull(row.values.company) ?? '', score, skills, values, status, notes, statusAt };
  return { item: work('job_match', 'job_matches', row, createdAt, data), problems };
}

function listOrEmpty(raw: unknown, column: string, problems: string[]): string[] {
  const parsed = jsonStrings(raw, column);
  if (parsed.value !== null) return parsed.value;
  problems.push(`${parsed.problem}; imported as an empty list`);
  return [];
}

/** A résumé version with its feedback document. */
export function mapResume(row: LegacyRow, fallbacks: TimeFallbacks): Mapped {
  const problems = utf8Problems(row);
  let name = textOrNull(row.values.version_name);
  if (!name) {
    name = 'Résumé from the earlier version';
    problems.push(`version_name is empty; named "${name}"`);
  }
  let content = textOrNull(row.values.content);
  if (content === null) {
    content = '';
    problems.push('content is empty; imported as an empty résumé');
  }
  let feedback: unknown = null;
  const raw = row.values.feedback;
  if (raw !== null && raw !== '') {
    try {
      const parsed: unknown = JSON.parse(String(raw));
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) feedback = parsed;
      else {
        feedback = { legacy: parsed };
        problems.push(`feedback is JSON but not an object (${excerpt(String(raw))}); kept under "legacy"`);
      }
    } catch {
      // Readable text is kept as it is, so nothing the person was told is lost.
      feedback = { legacyText: String(raw) };
      problems.push(`feedback is not valid JSON (${excerpt(String(raw))}); kept as text under "legacyText"`);
    }
  }
  const createdAt = rowTime(row.values.created_at, 'created_at', [fallbacks.session], problems);
  const data: ResumeItem = { name, content, jobId: textOrNull(row.values.job_id), feedback };
  return { item: work('resume', 'resume_versions', row, createdAt, data), problems };
}

export function work(kind: ItemKind, table: LegacyTable, row: LegacyRow, createdAt: string, data: unknown, content?: Buffer): NonNullable<Mapped['item']> {
  const hash = sessionHash(String(row.values.session_id));
  return { kind, legacyId: `${table}:${String(row.values.id)}`, sessionHash: hash, createdAt, data, ...(content ? { content } : {}) };
}
