/**
 * The workbook's query keys. Kept apart from the hooks (no imports) so main.tsx can name the
 * persisted ones without pulling the workbook screen into the first page's JavaScript.
 */
export const workbookKeys = {
  /** The live run; a prefix of every workbook key (invalidating it refreshes runs too). */
  live: () => ['workbook'] as const,
  runs: () => [...workbookKeys.live(), 'runs'] as const,
  run: (id: number) => [...workbookKeys.live(), 'run', id] as const,
  /** The questions, the same for everyone. */
  flow: () => ['flow'] as const,
};
