import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { CanaryClient, describe } from './client.js';
import { attempt, DATA_KINDS, type DataKind, type Written } from './kinds.js';

/** What `before` leaves for `after`: kept in a local file readable by its owner only. */
export interface CanaryState {
  url: string;
  email: string;
  password: string;
  cookie: string;
  userId: number;
  createdAt: string;
  kinds: Record<string, Written>;
}

export interface CheckRow {
  check: string;
  result: 'pass' | 'fail' | 'skipped';
  detail: string;
}

export interface PhaseOptions {
  url: string;
  stateFile: string;
  /** The kinds of data to write and check (default: every kind the API holds). */
  kinds?: DataKind[];
}

const row = (check: string, ok: boolean, detail: string): CheckRow => ({ check, result: ok ? 'pass' : 'fail', detail });

/** Registers a canary user, writes one piece of each kind of data, and saves what to look for. */
export async function persistenceBefore(options: PhaseOptions): Promise<CheckRow[]> {
  const client = new CanaryClient(options.url);
  const email = `canary-${Date.now()}-${randomBytes(4).toString('hex')}@example.org`;
  const password = randomBytes(18).toString('base64url');
  const registered = await client.request('POST', '/api/auth/register', { email, password });
  if (registered.status !== 201) throw new Error(`registering the canary user failed: ${describe(registered)}`);
  const rows: CheckRow[] = [row('register canary user', true, email)];
  const kinds: Record<string, Written> = {};
  for (const kind of options.kinds ?? DATA_KINDS) {
    const written = await attempt<Written | { status: 'failed'; reason: string }>(
      () => kind.write(client),
      (reason) => ({ status: 'failed', reason }),
    );
    if (written.status === 'failed') rows.push(row(`write ${kind.name}`, false, written.reason));
    else {
      kinds[kind.name] = written;
      rows.push(
        written.status === 'written'
          ? row(`write ${kind.name}`, true, 'written')
          : { check: `write ${kind.name}`, result: 'skipped', detail: written.reason },
      );
    }
  }
  const state: CanaryState = {
    url: options.url,
    email,
    password,
    cookie: client.cookie,
    userId: registered.body.user.id,
    createdAt: new Date().toISOString(),
    kinds,
  };
  fs.writeFileSync(options.stateFile, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(options.stateFile, 0o600);
  return rows;
}

/** After a redeploy: the old session, a fresh login, and every piece written before. */
export async function persistenceAfter(options: PhaseOptions): Promise<CheckRow[]> {
  if (!fs.existsSync(options.stateFile)) {
    throw new Error(`no canary state at ${options.stateFile}: run --phase before first (with the same --state-file)`);
  }
  const state = JSON.parse(fs.readFileSync(options.stateFile, 'utf8')) as CanaryState;
  const rows: CheckRow[] = [];

  const old = new CanaryClient(options.url, state.cookie);
  const me = await old.request('GET', '/api/auth/me');
  rows.push(
    row('old session still valid', me.status === 200 && me.body?.user?.id === state.userId, me.status === 200 ? `user ${me.body?.user?.id}` : describe(me)),
  );

  const client = new CanaryClient(options.url);
  const login = await client.request('POST', '/api/auth/login', { email: state.email, password: state.password });
  rows.push(row('fresh login', login.status === 200 && login.body?.user?.id === state.userId, login.status === 200 ? state.email : describe(login)));

  for (const kind of options.kinds ?? DATA_KINDS) {
    const written = state.kinds[kind.name];
    if (!written) {
      rows.push({ check: kind.name, result: 'skipped', detail: 'not written in the before phase' });
    } else if (written.status === 'skipped') {
      rows.push({ check: kind.name, result: 'skipped', detail: written.reason });
    } else if (login.status !== 200) {
      rows.push(row(kind.name, false, 'cannot check: the canary could not log in'));
    } else {
      const outcome = await attempt(() => kind.check(client, written.data), (detail) => ({ ok: false, detail }));
      rows.push(row(kind.name, outcome.ok, outcome.detail));
    }
  }
  return rows;
}

export function formatCheckRows(rows: CheckRow[]): string {
  const header: [string, string, string] = ['check', 'result', 'detail'];
  const body = rows.map((r): [string, string, string] => [r.check, r.result.toUpperCase(), r.detail]);
  const widths = [0, 1].map((i) => Math.max(header[i]!.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: [string, string, string]) => `${cells[0].padEnd(widths[0]!)} | ${cells[1].padEnd(widths[1]!)} | ${cells[2]}`;
  return [line(header), `${'-'.repeat(widths[0]!)}-|-${'-'.repeat(widths[1]!)}-|-------`, ...body.map(line)].join('\n');
}

export const passed = (rows: CheckRow[]) => rows.every((r) => r.result !== 'fail');
