import type OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { PS101_FLOW, promptText, stepOf } from '../ps101/flow.js';
import type { CoachContext, CoachProvider, CoachReply, ReplyOptions } from './provider.js';
import { excerpt } from '../http/text.js';

export interface OpenAiCoachOptions {
  /** Base URL of an OpenAI-compatible API, e.g. https://api.openai.com/v1. */
  apiUrl: string;
  apiKey: string;
  model: string;
  /**
   * Ask for a streamed answer (server-sent events) even when nobody listens to the parts. A
   * caller that listens (the chat page) always gets the reply streamed.
   */
  stream: boolean;
  timeoutMs: number;
  maxRetries: number;
}

// Workbook answers can total over a megabyte; the model gets the most relevant part of them.
const ANSWER_MAX_CHARS = 800;
const WORKBOOK_MAX_CHARS = 12_000;

const INSTRUCTIONS = [
  'You are a warm, practical career coach guiding a person through the PS101 problem-solving workbook.',
  'Reflect their words back briefly, connect them to their current step, and ask one clear next question.',
  'Keep replies under 150 words. Never invent facts about the person.',
].join(' ');

/** The workbook as text for the model: the current step's answers first, then the rest in order. */
export function workbookSummary(workbook: CoachContext['workbook']): string {
  const step = stepOf(workbook.currentStep);
  const keys = Object.keys(workbook.answers).sort((a, b) => {
    const [sa, pa] = a.split('.').map(Number);
    const [sb, pb] = b.split('.').map(Number);
    const current = (s: number | undefined) => (s === workbook.currentStep ? 0 : 1);
    return current(sa) - current(sb) || sa! - sb! || pa! - pb!;
  });
  const lines = [`Current step: ${step.number} of ${PS101_FLOW.steps.length}, "${step.title}".`];
  if (workbook.completed) lines.push('The person has completed the workbook.');
  let used = lines.join('\n').length;
  for (const key of keys) {
    const line = `[${key}] ${promptText(key) ?? ''}\nAnswer: ${excerpt(workbook.answers[key]!, ANSWER_MAX_CHARS)}`;
    if (used + line.length > WORKBOOK_MAX_CHARS) break;
    lines.push(line);
    used += line.length;
  }
  if (keys.length === 0) lines.push('No answers yet.');
  return lines.join('\n');
}

export function chatMessages(context: CoachContext): ChatCompletionMessageParam[] {
  return [
    { role: 'system', content: INSTRUCTIONS },
    { role: 'system', content: `The person's PS101 workbook:\n${workbookSummary(context.workbook)}` },
    ...context.history.map(
      (m): ChatCompletionMessageParam => ({ role: m.role === 'user' ? 'user' : 'assistant', content: m.content }),
    ),
  ];
}

/** A coach backed by any OpenAI-compatible chat-completions endpoint, through the official client. */
export class OpenAiCoach implements CoachProvider {
  readonly name: string;
  #client: Promise<OpenAI> | undefined;

  constructor(private readonly options: OpenAiCoachOptions) {
    this.name = options.model;
  }

  // The client library (~13 MB resident) is loaded with the first message, not at start.
  #openClient(): Promise<OpenAI> {
    this.#client ??= import('openai').then(
      ({ default: OpenAI }) =>
        new OpenAI({
          apiKey: this.options.apiKey,
          baseURL: this.options.apiUrl,
          timeout: this.options.timeoutMs,
          maxRetries: this.options.maxRetries,
        }),
    );
    return this.#client;
  }

  async reply(context: CoachContext, options: ReplyOptions = {}): Promise<CoachReply> {
    const messages = chatMessages(context);
    const client = await this.#openClient();
    let content = '';
    if (this.options.stream || options.onDelta) {
      // The client's timeout ends when the headers arrive; a stream that stalls afterwards is
      // cut off by this deadline covering every attempt. The caller's signal stops it at once.
      const deadline = AbortSignal.timeout(this.options.timeoutMs * (this.options.maxRetries + 1));
      const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
      const stream = await client.chat.completions.create({ model: this.options.model, messages, stream: true }, { signal });
      // The client ends the loop quietly when the stream is cut (the caller left, the model's
      // connection dropped): only a finish reason tells a complete reply from part of one.
      let finished = false;
      let begun = false;
      for await (const chunk of stream) {
        if (chunk.choices[0]?.finish_reason) finished = true;
        const text = chunk.choices[0]?.delta?.content ?? '';
        if (!text) continue;
        // Leading whitespace is held back so the parts add up to the trimmed reply.
        const part = begun ? text : text.trimStart();
        content += text;
        if (part) {
          begun = true;
          options.onDelta?.(part);
        }
      }
      if (!finished || options.signal?.aborted) throw new Error('the coach model’s stream ended before the reply was complete');
    } else {
      const completion = await client.chat.completions.create(
        { model: this.options.model, messages },
        options.signal ? { signal: options.signal } : {},
      );
      content = completion.choices[0]?.message?.content ?? '';
    }
    content = content.trim();
    if (!content) throw new Error('the coach model returned an empty reply');
    return { content, provider: this.options.model };
  }
}
