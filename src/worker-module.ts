/**
 * Piscina's `filename` (and `execArgv`) for the worker module `name` beside the module at
 * `callerUrl` (its `import.meta.url`). Under tsx (a checkout, the tests) the worker is the
 * TypeScript source and needs tsx's loader; from dist/ it is plain JavaScript.
 */
export function workerModule(callerUrl: string, name: string): { filename: string; execArgv?: string[] } {
  const fromSource = callerUrl.endsWith('.ts');
  return {
    filename: new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, callerUrl).href,
    ...(fromSource ? { execArgv: ['--import', 'tsx'] } : {}),
  };
}
