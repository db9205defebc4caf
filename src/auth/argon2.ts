// Argon2id with Mosaic's parameters, run synchronously: on a password thread (this module is
// the Piscina worker, see passwords.ts) or in the bench's ceiling process.
import { hashSync, verifySync } from '@node-rs/argon2';

// OWASP Password Storage Cheat Sheet: Argon2id, m=19 MiB, t=2, p=1.
const ARGON2ID = 2; // Algorithm.Argon2id (a const enum, which isolated modules cannot import)
export const ARGON2ID_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export type PasswordTask = { op: 'hash'; password: string } | { op: 'verify'; passwordHash: string; password: string };

export function hashNow(password: string): string {
  return hashSync(password, ARGON2ID_OPTIONS);
}

/** False for a wrong password and for a stored hash that cannot be read. */
export function verifyNow(passwordHash: string, password: string): boolean {
  try {
    return verifySync(passwordHash, password);
  } catch {
    return false;
  }
}

export default function run(task: PasswordTask): string | boolean {
  return task.op === 'hash' ? hashNow(task.password) : verifyNow(task.passwordHash, task.password);
}
