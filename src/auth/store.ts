import type { Kysely, Selectable } from 'kysely';
import type { DB, SessionsTable, UsersTable } from '../db/schema.js';
import { compiledOnce } from '../db/prepared.js';

export type UserRow = Selectable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;

export function findUserById(db: Kysely<DB>, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserByEmail(db: Kysely<DB>, email: string): Promise<UserRow | undefined> {
  return (await userByEmail(db, email))[0];
}

// Every login looks the user up by email: compiled once (see db/prepared.ts).
const userByEmail = compiledOnce((db: Kysely<DB>, email: string) => db.selectFrom('users').selectAll().where('email', '=', email));

export function insertUser(
  db: Kysely<DB>,
  user: { email: string | null; passwordHash: string | null; now: string },
): Promise<UserRow> {
  return db
    .insertInto('users')
    .values({
      email: user.email,
      password_hash: user.passwordHash,
      created_at: user.now,
      updated_at: user.now,
      last_active_at: user.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Gives a guest an email and password; only a user still without an email is changed. */
export function setUserCredentials(
  db: Kysely<DB>,
  userId: number,
  credentials: { email: string; passwordHash: string; now: string },
): Promise<UserRow | undefined> {
  return db
    .updateTable('users')
    .set({ email: credentials.email, password_hash: credentials.passwordHash, updated_at: credentials.now })
    .where('id', '=', userId)
    .where('email', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/**
 * The one way a password is set (a change, a reset): every caller gets what this writes, so
 * anything that must go with a new password belongs here.
 */
export async function updatePasswordHash(db: Kysely<DB>, userId: number, passwordHash: string, now: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash, updated_at: now }).where('id', '=', userId).execute();
}

/** Replaces an imported account's legacy hash by Argon2id; false when the stored hash changed meanwhile. */
export async function replaceLegacyHash(db: Kysely<DB>, userId: number, legacyHash: string, passwordHash: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ password_hash: passwordHash, updated_at: now })
    .where('id', '=', userId)
    .where('password_hash', '=', legacyHash)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Imported accounts whose legacy address normalizes to `email` but that were given another one. */
export function findLegacyDuplicates(db: Kysely<DB>, email: string): Promise<UserRow[]> {
  return db
    .selectFrom('legacy_accounts')
    .innerJoin('users', 'users.id', 'legacy_accounts.user_id')
    .selectAll('users')
    .where('legacy_accounts.email', '=', email)
    .where('users.email', '<>', email)
    .orderBy('users.id')
    .execute();
}

export async function touchUser(db: Kysely<DB>, userId: number, now: string): Promise<void> {
  await db.updateTable('users').set({ last_active_at: now }).where('id', '=', userId).execute();
}

export async function insertSession(db: Kysely<DB>, session: Omit<SessionRow, 'id'>): Promise<SessionRow> {
  const [row] = await sessionInsert(
    db,
    session.user_id,
    session.token_hash,
    session.created_at,
    session.expires_at,
    session.refreshed_at,
    session.user_agent,
    session.ip,
  );
  if (!row) throw new Error('insert into sessions returned no row');
  return row;
}

// Every login inserts one: compiled once (see db/prepared.ts).
const sessionInsert = compiledOnce(
  (
    db: Kysely<DB>,
    user_id: number,
    token_hash: string,
    created_at: string,
    expires_at: string,
    refreshed_at: string,
    user_agent: string | null,
    ip: string | null,
  ) => db.insertInto('sessions').values({ user_id, token_hash, created_at, expires_at, refreshed_at, user_agent, ip }).returningAll(),
);

/** The session with this token hash and its user, in one round trip. */
// Every authenticated request runs this lookup: compiled once (see db/prepared.ts).
const sessionByTokenHash = compiledOnce((db: Kysely<DB>, tokenHash: string) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as sessionId',
      'sessions.user_id as userId',
      'sessions.created_at as sessionCreatedAt',
      'sessions.expires_at as expiresAt',
      'sessions.refreshed_at as refreshedAt',
      'users.email as email',
      'users.email_verified_at as emailVerifiedAt',
      'users.created_at as userCreatedAt',
    ])
    .where('sessions.token_hash', '=', tokenHash),
);

export type SessionLookup = NonNullable<Awaited<ReturnType<typeof findSessionByTokenHash>>>;

export async function findSessionByTokenHash(db: Kysely<DB>, tokenHash: string) {
  return (await sessionByTokenHash(db, tokenHash))[0];
}

/** The same lookup answered at once (the row, or null for none) where the database allows; else undefined. */
export function findSessionByTokenHashNow(db: Kysely<DB>, tokenHash: string): SessionLookup | null | undefined {
  const rows = sessionByTokenHash.now(db, tokenHash);
  return rows && (rows[0] ?? null);
}

export async function extendSession(
  db: Kysely<DB>,
  sessionId: number,
  times: { expiresAt: string; refreshedAt: string },
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ expires_at: times.expiresAt, refreshed_at: times.refreshedAt })
    .where('id', '=', sessionId)
    .execute();
}

export async function deleteSessionById(db: Kysely<DB>, sessionId: number): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

export async function deleteUserSessions(db: Kysely<DB>, userId: number, exceptSessionId?: number): Promise<number> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptSessionId !== undefined) query = query.where('id', '<>', exceptSessionId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Ends the user's sessions beyond the newest `keep` (by id, the order they were created in). */
export async function endOldestSessions(db: Kysely<DB>, userId: number, keep: number): Promise<number> {
  const newest = db.selectFrom('sessions').select('id').where('user_id', '=', userId).orderBy('id', 'desc').limit(1).offset(keep - 1);
  const result = await db
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .where('id', '<', newest)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteExpiredSessions(db: Kysely<DB>, now: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes guests (no email) last active before `before`; their data goes with them by cascade. */
export async function deleteInactiveGuests(db: Kysely<DB>, before: string): Promise<number> {
  const result = await db
    .deleteFrom('users')
    .where('email', 'is', null)
    .where('last_active_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function hasLoginDevice(db: Kysely<DB>, userId: number, tokenHash: string): Promise<boolean> {
  const row = await db
    .selectFrom('login_devices')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row !== undefined;
}

export async function upsertLoginDevice(db: Kysely<DB>, userId: number, tokenHash: string, now: string): Promise<void> {
  await db
    .insertInto('login_devices')
    .values({ user_id: userId, token_hash: tokenHash, last_login_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'token_hash']).doUpdateSet({ last_login_at: now }))
    .execute();
}

export async function deleteLoginDevicesBefore(db: Kysely<DB>, before: string): Promise<number> {
  const result = await db.deleteFrom('login_devices').where('last_login_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Keeps the user's `keep` most recently used devices, deleting older ones. */
export async function trimLoginDevices(db: Kysely<DB>, userId: number, keep: number): Promise<void> {
  const newest = db
    .selectFrom('login_devices')
    .select('token_hash')
    .where('user_id', '=', userId)
    .orderBy('last_login_at', 'desc')
    .limit(keep);
  await db.deleteFrom('login_devices').where('user_id', '=', userId).where('token_hash', 'not in', newest).execute();
}
