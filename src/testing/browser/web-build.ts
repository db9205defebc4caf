import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WEB = path.join(ROOT, 'web');
const BUILT_PAGE = path.join(WEB, 'dist', 'index.html');
/** The package script that builds web/dist (Vite, then the size budget). */
export const WEB_BUILD_SCRIPT = 'build:web';

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** The build step itself: a change there (e.g. the compressed copies it writes) makes a build stale too. */
const BUILD_SCRIPT = path.join(ROOT, 'scripts', 'build-web.ts');

/** True when web/dist is missing or older than a file under web/ or the build script (so tests never run a stale page). */
export function webBuildIsStale(): boolean {
  if (!fs.existsSync(BUILT_PAGE)) return true;
  return Math.max(newestSource(WEB), fs.statSync(BUILD_SCRIPT).mtimeMs) > fs.statSync(BUILT_PAGE).mtimeMs;
}

/**
 * Builds the web app when its build is missing or stale. `npm test` calls this once before
 * the test files start, so parallel files never build at the same time.
 */
export function buildWebIfStale(log: (line: string) => void = console.log): void {
  if (!webBuildIsStale()) return;
  log(`test: building the web app (npm run ${WEB_BUILD_SCRIPT}): web/dist is missing or older than web/`);
  try {
    execFileSync('npm', ['run', '--silent', WEB_BUILD_SCRIPT], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const failed = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`npm run ${WEB_BUILD_SCRIPT} failed:\n${failed.stdout ?? ''}${failed.stderr ?? ''}`);
  }
}

/** A browser test file's guard: the page it is about to test must be built. */
export function ensureWebBuild(): void {
  if (!fs.existsSync(BUILT_PAGE)) buildWebIfStale();
}
