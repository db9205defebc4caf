import { createHash } from 'node:crypto';
import { HttpClient } from '../server-process.js';

const LOOK_ATTEMPTS = 10;

export const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/**
 * What the soak knows of one person's account: `maybe` states follow a write whose answer was
 * lost to a kill, and are settled by looking (the write happened wholly, or not at all).
 */
export type AccountState = 'live' | 'maybe created' | 'never created' | 'maybe deleted' | 'deleted';

export interface Workbook {
  revision: number;
  answers: Record<string, string>;
}

export interface TrackedFile {
  sha256: string;
  size: number;
  id?: number;
  /** present: a 201 arrived; deleted: a 204 arrived; the maybes: no answer. */
  state: 'present' | 'maybe present' | 'deleted' | 'maybe deleted';
}

export interface ChatExchange {
  content: string;
  messageId?: number;
  replyId?: number;
  outcome: 'acknowledged' | 'failed' | 'unknown';
}

export interface TrackedMatch {
  /** The status last acknowledged (null: untracked). */
  status: string | null;
  /** History entries acknowledged so far. */
  events: number;
  /** A status change that got no answer. */
  pending?: string;
}

export interface TrackedResume {
  name: string;
  content: string;
  id?: number;
  state: 'present' | 'maybe present' | 'deleted' | 'maybe deleted';
  feedback: number;
  unknownFeedback: number;
}

/** One person of the workload, with everything the soak expects the server to hold for them. */
export class Person {
  readonly client: HttpClient;
  state: AccountState = 'live';
  userId?: number;
  workbook: Workbook = { revision: 0, answers: {} };
  /** A save that got no answer: the workbook is now either `workbook` or this. */
  pendingWorkbook?: Workbook;
  readonly files = new Map<string, TrackedFile>();
  /** Hashes of uploads refused (415): none may ever be stored. */
  readonly refusedUploads = new Set<string>();
  readonly chats: ChatExchange[] = [];
  readonly matches = new Map<number, TrackedMatch>();
  /** A refresh got no answer: untracked matches may have changed. */
  matchesStale = false;
  readonly resumes: TrackedResume[] = [];
  /** Something got no answer: look before the next write. */
  uncertain = false;
  writes = 0;
  /** The one client that writes as this person, so their requests never overlap. */
  owner = -1;

  constructor(
    readonly number: number,
    baseUrl: string,
    readonly email: string | null,
    readonly password: string,
  ) {
    this.client = new HttpClient(baseUrl);
    // TRUST_PROXY is on in the soak's server: each person comes from an address of its own,
    // so per-address limits see one person each.
    this.client.headers['x-forwarded-for'] = `10.${(number >> 16) & 255}.${(number >> 8) & 255}.${number & 255}`;
  }

  /** Points this person's client at a restarted server (a new port each cycle). */
  moveTo(baseUrl: string): void {
    this.client.baseUrl = baseUrl;
  }

  /**
   * A look at the server (a read, or a login during checks). A 429 or 503 means the server shed
   * or rate-limited the request, not what it holds: it is waited out (bounded) and asked again.
   */
  async look(method: string, path: string, body?: unknown): ReturnType<HttpClient['request']> {
    for (let attempt = 1; ; attempt++) {
      const response = await this.client.request(method, path, body);
      if ((response.status !== 429 && response.status !== 503) || attempt === LOOK_ATTEMPTS) return response;
      const retryAfter = Number(response.headers.get('retry-after'));
      await new Promise((resolve) => setTimeout(resolve, 1000 * (retryAfter > 0 ? Math.min(retryAfter, 5) : 1)));
    }
  }

  get active(): boolean {
    return this.state === 'live' || this.state === 'maybe created' || this.state === 'maybe deleted';
  }
}
