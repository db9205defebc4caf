/**
 * The workbook's autosave queue, free of any UI framework and of the DOM, so node's test runner
 * drives it directly (src/web-hosting/autosave-queue.test.ts).
 *
 * Edits wait `debounceMs` after the last keystroke, then go to the server in one save. Until the
 * server acknowledges them they are kept in `storage` (localStorage in the browser) under a key
 * per user, so a closed tab or a reload while offline loses nothing. A failed save is retried
 * with backoff; a conflict (another tab or device saved first) is never settled silently: the
 * queue stops and offers both versions of each answer the other side changed.
 *
 * The edits belong to one account. When that account's session ends (a 401), or before a send
 * the page no longer has that account signed in, the queue stops for good: it never sends again,
 * so the edits can never reach another account that logged in on the same browser. They stay in
 * storage under the account's key (if the person chose to keep them) and a new queue of the same
 * account, after it logs in again, sends them.
 */

export type Answers = Record<string, string>;

/** What the server holds: the part of the workbook state the queue needs. */
export interface ServerState {
  revision: number;
  answers: Answers;
  currentStep: number;
}

export interface SaveRequest {
  revision: number;
  answers?: Answers;
  currentStep?: number;
}

export type SaveOutcome =
  | { kind: 'saved'; state: ServerState }
  | { kind: 'conflict'; current: ServerState }
  /** The request never reached the server. */
  | { kind: 'offline' }
  /** The server failed (5xx) or was unreachable for a moment: worth retrying. */
  | { kind: 'failed' }
  /** The session ended (401): the queue stops for good; the edits stay stored for the same account. */
  | { kind: 'unauthenticated' }
  /** The server refused the edit itself (e.g. an answer over the length limit). */
  | { kind: 'rejected'; message: string };

export type SaveStatus = 'idle' | 'pending' | 'saving' | 'saved' | 'offline' | 'retrying' | 'conflict' | 'ended' | 'rejected';

/** The words shown for each status (the browser tests look for these exact texts). */
export const STATUS_TEXT: Record<SaveStatus, string> = {
  idle: '',
  pending: 'Saving…',
  saving: 'Saving…',
  saved: 'Saved',
  offline: 'Offline — your changes are kept on this device and will be sent when you are back',
  retrying: 'Could not save — retrying',
  conflict: 'Another tab or device saved this workbook too — choose which version to keep',
  ended: 'Your session has ended — nothing more is sent from this page',
  rejected: 'Could not save',
};

/** One answer both sides changed: the person's text and the text the server now holds. */
export interface ConflictEntry {
  key: string;
  mine: string;
  theirs: string;
}

export interface Conflict {
  entries: ConflictEntry[];
  current: ServerState;
}

/** How a conflict is settled, per answer: the text to keep. */
export type Resolution = Record<string, string>;

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface AutosaveOptions {
  storage: KeyValueStorage;
  /** One key per user: a shared browser never mixes two people's unsent edits. */
  storageKey: string;
  send(request: SaveRequest): Promise<SaveOutcome>;
  /**
   * Asked before every send: whether the account these edits belong to is still the one signed
   * in on this page. When it says no, the queue stops for good without sending.
   */
  ownerSignedIn?(): boolean;
  debounceMs?: number;
  /** Waits between retries; the last one repeats. */
  backoffMs?: number[];
  timers?: Timers;
}

/** What is kept on the device: the unsent edits and the server's text they were made over. */
interface StoredEdits {
  version: 1;
  /** The revision the edits were made on. */
  revision: number;
  answers: Answers;
  /** For each edited answer, the server's text when the edit began ('' when none). */
  base: Answers;
  currentStep?: number;
}

export interface AutosaveSnapshot {
  status: SaveStatus;
  /** Edits not yet acknowledged by the server. */
  unsent: Answers;
  unsentStep: number | null;
  conflict: Conflict | null;
  /** The server's message when it refused an edit. */
  error: string | null;
  /** The latest state the server acknowledged. */
  server: ServerState;
}

const DEFAULT_BACKOFF = [1_000, 2_000, 4_000, 8_000, 15_000];

export class AutosaveQueue {
  private readonly storage: KeyValueStorage;
  private readonly storageKey: string;
  private readonly sendRequest: AutosaveOptions['send'];
  private readonly ownerSignedIn: () => boolean;
  private readonly debounceMs: number;
  private readonly backoffMs: number[];
  private readonly timers: Timers;
  private readonly listeners = new Set<() => void>();

  private server: ServerState;
  private unsent: Answers = {};
  private base: Answers = {};
  private unsentStep: number | null = null;
  private editsRevision: number;
  private status: SaveStatus = 'idle';
  private conflict: Conflict | null = null;
  private error: string | null = null;
  private timer: unknown = null;
  private attempt = 0;
  private inFlight: Promise<void> | null = null;
  private snapshotCache: AutosaveSnapshot | null = null;
  private closed = false;
  /** What this queue last stored, to tell its own entry from another tab's. */
  private written: string | null = null;

  constructor(server: ServerState, options: AutosaveOptions) {
    this.storage = options.storage;
    this.storageKey = options.storageKey;
    this.sendRequest = options.send;
    this.ownerSignedIn = options.ownerSignedIn ?? (() => true);
    this.debounceMs = options.debounceMs ?? 800;
    this.backoffMs = options.backoffMs ?? DEFAULT_BACKOFF;
    this.timers = options.timers ?? {
      setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
      clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
    };
    this.server = server;
    this.editsRevision = server.revision;
    this.restore();
  }

  /** Unsent edits left on this device by an earlier page: they are sent first thing. */
  private restore(): void {
    const stored = readStored(this.storage, this.storageKey);
    if (!stored) return;
    this.written = this.storage.getItem(this.storageKey);
    this.unsent = stored.answers;
    this.base = stored.base;
    this.unsentStep = stored.currentStep ?? null;
    this.editsRevision = stored.revision;
    if (this.hasUnsent()) this.status = 'pending';
  }

  /** Begins sending (edits restored from the device go at once); again after `close()`, never once ended. */
  start(): void {
    if (this.status === 'ended') return;
    this.closed = false;
    if (this.hasUnsent() && this.status !== 'conflict') this.schedule(0);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The same object until something changes (what React's useSyncExternalStore needs). */
  snapshot(): AutosaveSnapshot {
    this.snapshotCache ??= {
      status: this.status,
      unsent: { ...this.unsent },
      unsentStep: this.unsentStep,
      conflict: this.conflict,
      error: this.error,
      server: this.server,
    };
    return this.snapshotCache;
  }

  /** The text to show for a prompt: the unsent edit if any, else the server's. */
  valueOf(key: string): string {
    return this.unsent[key] ?? this.server.answers[key] ?? '';
  }

  hasUnsent(): boolean {
    return Object.keys(this.unsent).length > 0 || this.unsentStep !== null;
  }

  edit(key: string, text: string): void {
    if (!(key in this.unsent)) this.base[key] = this.server.answers[key] ?? '';
    if (text === this.base[key] && this.status !== 'conflict') {
      // Typed back to what the server has: nothing left to send for this answer.
      delete this.unsent[key];
      delete this.base[key];
    } else {
      this.unsent[key] = text;
    }
    this.changed();
  }

  setStep(step: number): void {
    this.unsentStep = step === this.server.currentStep && this.status !== 'conflict' ? null : step;
    this.changed();
  }

  private changed(): void {
    this.persist();
    if (this.status === 'conflict' || this.status === 'ended') return this.notify();
    if (!this.hasUnsent()) {
      if (!this.inFlight && this.status === 'pending') this.setStatus('saved');
      return this.notify();
    }
    // While offline or retrying, the retry timer sends these edits too.
    if (this.status !== 'offline' && this.status !== 'retrying') {
      this.setStatus('pending');
      this.schedule(this.debounceMs);
    }
    this.notify();
  }

  /** Sends what is waiting now (page hidden, the connection is back). Never once the session ended. */
  flush(): Promise<void> {
    if (this.status === 'conflict' || this.status === 'ended' || this.closed) return Promise.resolve();
    this.clearTimer();
    return this.send();
  }

  /** The browser says the connection is back. */
  online(): Promise<void> {
    if (this.status === 'offline' || this.status === 'retrying') this.attempt = 0;
    return this.hasUnsent() ? this.flush() : Promise.resolve();
  }

  /** Settles a conflict: each entry's chosen text is sent over the server's current state. */
  resolve(resolution: Resolution): Promise<void> {
    if (!this.conflict) return Promise.resolve();
    const current = this.conflict.current;
    for (const entry of this.conflict.entries) {
      const chosen = resolution[entry.key] ?? entry.theirs;
      if (chosen === entry.theirs) {
        delete this.unsent[entry.key];
        delete this.base[entry.key];
      } else {
        this.unsent[entry.key] = chosen;
        this.base[entry.key] = entry.theirs;
      }
    }
    this.rebase(current);
    this.conflict = null;
    this.status = this.hasUnsent() ? 'pending' : 'saved';
    this.changed();
    return this.flush();
  }

  /** Stops timers (the screen was left); the unsent edits stay on the device. */
  close(): void {
    this.closed = true;
    this.clearTimer();
  }

  private rebase(current: ServerState): void {
    this.server = current;
    this.editsRevision = current.revision;
    for (const key of Object.keys(this.base)) {
      if (!(key in this.unsent)) delete this.base[key];
    }
    for (const key of Object.keys(this.unsent)) {
      if (this.unsent[key] === (current.answers[key] ?? '')) {
        delete this.unsent[key];
        delete this.base[key];
      }
    }
    if (this.unsentStep === current.currentStep) this.unsentStep = null;
  }

  private schedule(ms: number): void {
    this.clearTimer();
    if (this.closed) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.send();
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private async send(): Promise<void> {
    if (this.inFlight) {
      // One save at a time; whatever was typed meanwhile goes right after it.
      await this.inFlight;
      if (this.hasUnsent() && this.status !== 'conflict' && this.status !== 'ended') return this.send();
      return;
    }
    if (!this.hasUnsent() || this.closed || this.status === 'ended') return;
    if (!this.ownerSignedIn()) {
      this.end();
      this.notify();
      return;
    }
    const sentAnswers = { ...this.unsent };
    const sentStep = this.unsentStep;
    const request: SaveRequest = { revision: this.editsRevision };
    if (Object.keys(sentAnswers).length > 0) request.answers = sentAnswers;
    if (sentStep !== null) request.currentStep = sentStep;
    this.setStatus('saving');
    this.notify();
    this.inFlight = this.sendRequest(request)
      .catch((): SaveOutcome => ({ kind: 'failed' }))
      .then((outcome) => this.settle(outcome, sentAnswers, sentStep));
    try {
      await this.inFlight;
    } finally {
      this.inFlight = null;
    }
  }

  private settle(outcome: SaveOutcome, sentAnswers: Answers, sentStep: number | null): void {
    switch (outcome.kind) {
      case 'saved': {
        this.attempt = 0;
        this.error = null;
        this.server = outcome.state;
        this.editsRevision = outcome.state.revision;
        // Only what was sent is acknowledged; an answer typed again meanwhile stays unsent.
        for (const [key, text] of Object.entries(sentAnswers)) {
          if (this.unsent[key] === text) {
            delete this.unsent[key];
            delete this.base[key];
          } else if (key in this.unsent) {
            this.base[key] = outcome.state.answers[key] ?? '';
          }
        }
        if (this.unsentStep === sentStep) this.unsentStep = null;
        this.persist();
        if (this.hasUnsent()) {
          this.setStatus('pending');
          this.schedule(this.debounceMs);
        } else {
          this.setStatus('saved');
        }
        break;
      }
      case 'conflict':
        this.onConflict(outcome.current);
        break;
      case 'offline':
        this.setStatus('offline');
        this.retryLater();
        break;
      case 'failed':
        this.setStatus('retrying');
        this.retryLater();
        break;
      case 'unauthenticated':
        this.end();
        break;
      case 'rejected':
        this.error = outcome.message;
        this.setStatus('rejected');
        break;
    }
    this.notify();
  }

  /**
   * The server moved on. An answer is in conflict only when the server's text is neither what
   * this device started from nor what it wants to save: then the other side changed it too.
   * Anything else is sent again over the new revision, which overwrites nobody's work.
   */
  private onConflict(current: ServerState): void {
    const entries: ConflictEntry[] = [];
    for (const [key, mine] of Object.entries(this.unsent)) {
      const theirs = current.answers[key] ?? '';
      const base = this.base[key] ?? this.server.answers[key] ?? '';
      if (theirs !== mine && theirs !== base) entries.push({ key, mine, theirs });
    }
    if (entries.length === 0) {
      this.rebase(current);
      this.persist();
      this.setStatus(this.hasUnsent() ? 'pending' : 'saved');
      if (this.hasUnsent()) this.schedule(0);
      return;
    }
    // Answers without a conflict are rebased now; the others wait for the person's choice.
    const conflicted = new Set(entries.map((entry) => entry.key));
    for (const key of Object.keys(this.unsent)) {
      if (!conflicted.has(key) && this.unsent[key] === (current.answers[key] ?? '')) {
        delete this.unsent[key];
        delete this.base[key];
      }
    }
    this.conflict = { entries, current };
    this.persist();
    this.setStatus('conflict');
  }

  /** Stops for good: the account's session ended here; the stored edits are left for it. */
  private end(): void {
    this.clearTimer();
    this.closed = true;
    this.setStatus('ended');
  }

  private retryLater(): void {
    const wait = this.backoffMs[Math.min(this.attempt, this.backoffMs.length - 1)] ?? 15_000;
    this.attempt++;
    this.schedule(wait);
  }

  private setStatus(status: SaveStatus): void {
    this.status = status;
  }

  private persist(): void {
    try {
      if (!this.hasUnsent()) {
        // Another tab of the same person may have written its own unsent edits since: those stay.
        if (this.written === null || this.storage.getItem(this.storageKey) === this.written) {
          this.storage.removeItem(this.storageKey);
        }
        this.written = null;
        return;
      }
      const stored: StoredEdits = { version: 1, revision: this.editsRevision, answers: this.unsent, base: this.base };
      if (this.unsentStep !== null) stored.currentStep = this.unsentStep;
      this.written = JSON.stringify(stored);
      this.storage.setItem(this.storageKey, this.written);
    } catch {
      // Storage full or disabled: the edits still live in memory and are sent as usual.
    }
  }

  private notify(): void {
    this.snapshotCache = null;
    for (const listener of this.listeners) listener();
  }
}

function isStringRecord(value: unknown): value is Answers {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((text) => typeof text === 'string')
  );
}

/** Reads edits kept by an earlier page; anything malformed is ignored rather than trusted. */
function readStored(storage: KeyValueStorage, key: string): StoredEdits | null {
  let raw: string | null;
  try {
    raw = storage.getItem(key);
  } catch {
    return null;
  }
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<StoredEdits>;
    if (value.version !== 1 || typeof value.revision !== 'number') return null;
    if (!isStringRecord(value.answers) || !isStringRecord(value.base)) return null;
    const stored: StoredEdits = { version: 1, revision: value.revision, answers: value.answers, base: value.base };
    if (typeof value.currentStep === 'number') stored.currentStep = value.currentStep;
    return stored;
  } catch {
    return null;
  }
}

/** How many answers (and step moves) are kept unsent under `key`: 0 when none or unreadable. */
export function storedEditCount(storage: KeyValueStorage, key: string): number {
  const stored = readStored(storage, key);
  if (!stored) return 0;
  return Object.keys(stored.answers).length + (stored.currentStep === undefined ? 0 : 1);
}

/** The storage key of a user's unsent workbook edits. */
export const unsentEditsKey = (userId: number) => `mosaic:workbook:unsent:${userId}`;
