import fs from 'node:fs';

/**
 * Why the database could not serve a request, when the cause is the database's state rather
 * than the request:
 * - `unreachable`: PostgreSQL refused, dropped or never gave a connection (stopped,
 *   restarting, connections terminated, pool checkout timed out);
 * - `busy`: SQLite stayed locked by another connection beyond the busy timeout;
 * - `storage`: SQLite's file or directory is gone, read-only, or failing (I/O error, disk full).
 */
export type UnavailableReason = 'unreachable' | 'busy' | 'storage';

// Node socket errors seen when the server is down or drops the connection.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

// PostgreSQL SQLSTATEs: class 08 (connection exception), 57P01 admin_shutdown (the server is
// stopping or pg_terminate_backend), 57P02 crash_shutdown, 57P03 cannot_connect_now (starting
// up or shutting down), 53300 too_many_connections.
const PG_UNAVAILABLE = /^(08...|57P0[123]|53300)$/;

// node-pg and pg-pool report these without a code.
const PG_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'the database system is starting up',
  'the database system is shutting down',
];

/** The reason a database error means "unavailable", or null for any other error (a bug, a constraint...). */
export function unavailableReason(error: unknown): UnavailableReason | null {
  if (error instanceof DatabaseFileMissingError) return 'storage';
  if (typeof error !== 'object' || error === null) return null;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code.startsWith('SQLITE_BUSY')) return 'busy';
    if (/^SQLITE_(READONLY|CANTOPEN|IOERR|FULL|NOTADB|CORRUPT)/.test(code)) return 'storage';
    if (SOCKET_CODES.has(code) || PG_UNAVAILABLE.test(code)) return 'unreachable';
  }
  const message = (error as { message?: unknown }).message;
  if (typeof message === 'string' && PG_MESSAGES.some((known) => message.startsWith(known))) return 'unreachable';
  return null;
}

/** SQLite's database file is no longer the one that was opened (deleted, moved or replaced). */
export class DatabaseFileMissingError extends Error {
  override name = 'DatabaseFileMissingError';
}

/**
 * Notices when the SQLite file is deleted, replaced or made read-only under a running server.
 * SQLite itself does not: in WAL mode it keeps writing to the open (possibly deleted) file and
 * WAL, so writes would be acknowledged and then lost at the next start.
 */
export class SqliteFileGuard {
  readonly #file: string;
  readonly #identity: string;

  constructor(file: string) {
    this.#file = file;
    this.#identity = SqliteFileGuard.#identify(file);
  }

  static #identify(file: string): string {
    const stat = fs.statSync(file);
    return `${stat.dev}:${stat.ino}`;
  }

  /** Throws DatabaseFileMissingError unless the opened file is still in place and writable. */
  check(): void {
    let identity: string;
    try {
      identity = SqliteFileGuard.#identify(this.#file);
      // Root passes any permission check; for everyone else this catches a chmod.
      fs.accessSync(this.#file, fs.constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new DatabaseFileMissingError(`SQLite file ${this.#file} is missing or not writable (${code})`);
    }
    if (identity !== this.#identity) {
      throw new DatabaseFileMissingError(`SQLite file ${this.#file} was replaced since it was opened`);
    }
  }
}
