import { createHash } from 'node:crypto';
import { storedLegacyHash } from '../auth/legacy-hash.js';
import { requireValidEmail } from '../auth/email.js';
import { rowTime, utf8Problems } from './mapping.js';
import type { LegacyRow } from './source.js';
import { excerpt, legacyTime, textOrNull } from './values.js';

/**
 * Case-variant duplicates. The predecessor compared emails case-sensitively, so `Ann@x.org`
 * and `ann@x.org` could be two accounts, two passwords, perhaps two people; Mosaic keeps one
 * account per normalized address. The rule:
 * - the account used most recently (latest `last_login`, then latest `created_at`, then the
 *   smallest legacy id) keeps the normalized address;
 * - every other one is imported too, at `<local>+legacy-<12 hex>@<domain>`, an address
 *   derived from its legacy id (plus-addressing still reaches the same mailbox at most
 *   providers), and it still logs in with the address its owner knows: when the password does
 *   not fit the account holding that address, each such duplicate is tried
 *   (src/auth/service.ts). Nobody is locked out.
 * - No account is merged, so nobody sees another's work: work was never linked to accounts
 *   and arrives only by a claim from the browser that held it.
 * A legacy account whose address already belongs to a Mosaic account is treated the same way.
 */
export class AddressOwners {
  private readonly best = new Map<string, { legacyId: string; lastLogin: string; createdAt: string }>();
  private readonly counts = new Map<string, number>();

  /** Called once per legacy user in a first pass, before any account is written. */
  consider(row: LegacyRow): void {
    const email = normalized(row.values.email);
    if (!email) return;
    this.counts.set(email, (this.counts.get(email) ?? 0) + 1);
    const candidate = {
      legacyId: String(row.values.id),
      lastLogin: legacyTime(row.values.last_login, 'last_login').value ?? '',
      createdAt: legacyTime(row.values.created_at, 'created_at').value ?? '',
    };
    const current = this.best.get(email);
    if (!current || ranksAbove(candidate, current)) this.best.set(email, candidate);
  }

  owns(email: string, legacyId: string): boolean {
    return this.best.get(email)?.legacyId === legacyId;
  }

  /** Legacy accounts that share this normalized address. */
  sharing(email: string): number {
    return this.counts.get(email) ?? 0;
  }
}

function ranksAbove(a: { legacyId: string; lastLogin: string; createdAt: string }, b: typeof a): boolean {
  if (a.lastLogin !== b.lastLogin) return a.lastLogin > b.lastLogin;
  if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt;
  return a.legacyId < b.legacyId;
}

function normalized(raw: unknown): string | null {
  try {
    return typeof raw === 'string' ? requireValidEmail(raw) : null;
  } catch {
    return null;
  }
}

/** The address a duplicate gets: plus-addressed, derived from its legacy id, so a re-run gives the same one. */
export function duplicateAddress(email: string, legacyId: string): string {
  const at = email.lastIndexOf('@');
  const tag = createHash('sha256').update(legacyId).digest('hex').slice(0, 12);
  return `${email.slice(0, at)}+legacy-${tag}@${email.slice(at + 1)}`;
}

export interface MappedAccount {
  legacyId: string;
  /** The legacy address, normalized; null when it cannot be (then nothing is imported). */
  email: string | null;
  /** `legacy-sha256$…`, or null when the legacy hash cannot be parsed (the account then has no password). */
  passwordHash: string | null;
  createdAt: string;
  lastActiveAt: string;
  problems: string[];
}

export function mapAccount(row: LegacyRow): MappedAccount {
  const problems = utf8Problems(row);
  const legacyId = String(row.values.id);
  const raw = textOrNull(row.values.email);
  const email = normalized(raw);
  if (!email) problems.push(`email ${raw === null ? 'is empty' : `"${excerpt(raw)}" is not a usable address`}; account not imported`);
  const legacyHash = textOrNull(row.values.password_hash);
  const passwordHash = legacyHash === null || row.invalidUtf8.includes('password_hash') ? null : storedLegacyHash(legacyHash);
  if (email && passwordHash === null) {
    problems.push('password_hash cannot be parsed as sha256:salt; imported without a password (cannot log in by password until it is reset)');
  }
  const lastLogin = legacyTime(row.values.last_login, 'last_login').value;
  const createdAt = rowTime(row.values.created_at, 'created_at', [lastLogin], problems);
  return { legacyId, email, passwordHash, createdAt, lastActiveAt: lastLogin ?? createdAt, problems };
}
