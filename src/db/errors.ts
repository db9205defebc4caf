/** A unique constraint refused a write, on either backend. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** A foreign key refused a write: a row it points at is gone, on either backend. */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/**
 * Runs a write that points at rows the request found earlier (its user, a file, a résumé).
 * One of them may be deleted meanwhile (the account deleted by a parallel request): the
 * foreign key then refuses the write, and the client gets `gone()` (401/404), not a 500.
 */
export async function onMissingReference<T>(write: Promise<T>, gone: () => Error): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (isForeignKeyViolation(error)) throw gone();
    throw error;
  }
}
