#!/usr/bin/env node
// The `mosaic` command. In a checkout (sources present and dev dependencies
// installed) it runs the TypeScript sources through tsx, so `npx mosaic …`
// works right after `npm install` and never runs a stale build. An install
// without dev dependencies (the Docker image, `npm ci --omit=dev`) runs the
// compiled dist/ made by `npm run build`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = `${root}src/cli/main.ts`;
const built = `${root}dist/cli/main.js`;

async function loadTsx() {
  try {
    return await import('tsx/esm/api');
  } catch {
    return null;
  }
}

const tsx = existsSync(source) && process.env.MOSAIC_RUN_DIST !== '1' ? await loadTsx() : null;
if (tsx) {
  tsx.register();
  // In a checkout the web app is built when missing, so `npm install && npm start` serves it.
  // A child process: Vite sets NODE_ENV=production in the process that builds.
  if (process.argv[2] === 'serve' && !existsSync(`${root}web/dist/index.html`) && existsSync(`${root}web/index.html`)) {
    console.error('mosaic: building the web app (web/dist is missing)…');
    const build = spawnSync(process.execPath, ['--import', 'tsx', `${root}scripts/build-web.ts`, '--if-missing'], { stdio: 'inherit' });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  await import(pathToFileURL(source).href);
} else if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  console.error('mosaic: no build found; run `npm install` (development) or `npm run build` (production)');
  process.exit(2);
}
