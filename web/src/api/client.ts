import { API, pathOf, type ApiRoute } from './routes';
import type {
  Answers,
  GuestWork,
  GuestWorkChoice,
  LoginResponse,
  MeResponse,
  UserResponse,
} from './types';

/** The server's error body: `{"error":{"code","message",...details}}`. */
export interface ErrorDetails {
  code: string;
  message: string;
  [detail: string]: unknown;
}

/** An answer other than 2xx. `status` 0 means the request never reached the server. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetails,
    /** Seconds from a `Retry-After` header, when the server sent one. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
  get offline(): boolean {
    return this.status === 0;
  }
}

// The account this page believes is signed in. Every request but who-am-I names it in
// X-Mosaic-User, and the server refuses the request (401 session_changed) when the browser's
// cookie now belongs to someone else: one account's page never reads or writes another's data.
let signedInUser: number | null = null;
export const EXPECTED_USER_HEADER = 'x-mosaic-user';
export function setSignedInUser(id: number | null): void {
  signedInUser = id;
}
export const signedInUserId = (): number | null => signedInUser;
function identityHeaders(route: ApiRoute): Record<string, string> {
  return signedInUser !== null && route !== API.me ? { [EXPECTED_USER_HEADER]: String(signedInUser) } : {};
}

// Logging out works offline: the page forgets the person at once and leaves this mark (no
// personal data in it); the session is ended on the server as soon as it can be reached. Until
// then no request goes out with the old cookie: each first finishes the log out, or fails.
export const LOGOUT_PENDING_KEY = 'mosaic:logout-pending';

function storageGet(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

export const logoutPending = (): boolean => storageGet(LOGOUT_PENDING_KEY) !== null;

export function markLogoutPending(): void {
  try {
    window.localStorage.setItem(LOGOUT_PENDING_KEY, '1');
  } catch {
    // Storage disabled: the log out below is still tried at once.
  }
}

let finishing: Promise<boolean> | null = null;
/** Ends the session on the server if a log out is pending; true when none is pending any more. */
export function finishPendingLogout(): Promise<boolean> {
  if (!logoutPending()) return Promise.resolve(true);
  finishing ??= fetch(API.logout.path, { method: API.logout.method, credentials: 'same-origin', headers: { accept: 'application/json' } })
    .then((response) => {
      if (!response.ok) return false;
      window.localStorage.removeItem(LOGOUT_PENDING_KEY);
      return true;
    })
    .catch(() => false)
    .finally(() => {
      finishing = null;
    });
  return finishing;
}

type UnauthenticatedListener = (route: ApiRoute) => void;
const unauthenticatedListeners = new Set<UnauthenticatedListener>();

/** Called whenever the API answers 401: the session has ended (or never existed). */
export function onUnauthenticated(listener: UnauthenticatedListener): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

function isErrorBody(value: unknown): value is { error: ErrorDetails } {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}

function retryAfter(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}

/** Turns a non-2xx answer into an ApiError, and tells the listeners about a 401. */
export function toApiError(route: ApiRoute, status: number, body: unknown, retryAfterHeader: string | null): ApiError {
  const details: ErrorDetails = isErrorBody(body)
    ? body.error
    : { code: 'http_error', message: `The server answered ${status}.` };
  if (status === 401) for (const listener of unauthenticatedListeners) listener(route);
  return new ApiError(status, details.code, details.message, details, retryAfter(retryAfterHeader));
}

export const offlineError = () =>
  new ApiError(0, 'offline', 'The server cannot be reached: check your connection.', {
    code: 'offline',
    message: 'The server cannot be reached.',
  });

export interface CallOptions {
  params?: Record<string, string | number>;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

/** Sends the request as the signed-in page; throws `offlineError()` when it never reaches the server. */
async function send(route: ApiRoute, options: CallOptions, accept: string, signal?: AbortSignal): Promise<Response> {
  if (route !== API.logout && !(await finishPendingLogout())) throw offlineError();
  let url = pathOf(route, options.params);
  const query = Object.entries(options.query ?? {}).filter((entry): entry is [string, string | number] => entry[1] !== undefined);
  if (query.length > 0) url += `?${new URLSearchParams(query.map(([k, v]) => [k, String(v)]))}`;
  try {
    return await fetch(url, {
      method: route.method,
      credentials: 'same-origin',
      headers: {
        accept,
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...identityHeaders(route),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      ...(signal ? { signal } : {}),
    });
  } catch {
    throw offlineError();
  }
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The request primitive: one JSON answer, or an ApiError. Features build their fetchers on it. */
export async function call<T>(route: ApiRoute, options: CallOptions = {}): Promise<T> {
  const response = await send(route, options, 'application/json');
  const body = await readBody(response);
  if (!response.ok) throw toApiError(route, response.status, body, response.headers.get('retry-after'));
  return body as T;
}

/**
 * Like `call`, for an answer read as it arrives (server-sent events): the response, once its
 * status says the stream has started; a refusal before that is an ApiError, as for `call`.
 */
export async function callStreaming(route: ApiRoute, options: CallOptions = {}, signal?: AbortSignal): Promise<Response> {
  const response = await send(route, options, 'text/event-stream', signal);
  if (!response.ok) throw toApiError(route, response.status, await readBody(response), response.headers.get('retry-after'));
  return response;
}

export type { GuestWork, GuestWorkChoice };

export interface Credentials {
  email: string;
  password: string;
}

/**
 * The session's calls, which the app shell and several features share (signing up, in and
 * out, who is signed in). Each feature's own calls live in its `data.ts`, built on `call`.
 */
export const api = {
  register: (credentials: Credentials) => call<UserResponse>(API.register, { body: credentials }),
  guest: () => call<UserResponse>(API.guest),
  login: (credentials: Credentials & { guestWork?: GuestWorkChoice }) => call<LoginResponse>(API.login, { body: credentials }),
  logout: () => call<void>(API.logout),
  logoutAll: () => call<void>(API.logoutAll),
  me: () => call<MeResponse>(API.me),
  changePassword: (body: { currentPassword: string; newPassword: string }) => call<void>(API.changePassword, { body }),
};

export type { Answers };
