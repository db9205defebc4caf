#!/usr/bin/env node
// The `mosaic` command. In a checkout (sources present and dev dependencies
// installed) it runs the TypeScript sources through tsx, so `npx mosaic …`
// works right after `npm install` and never runs a stale build. An install
// without dev dependencies (the Docker image, `npm ci --omit=dev`) runs the
// compiled dist/ made by `npm run build`.
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
  if (process.argv[2] === 'serve' && !existsSync(`${root}web/dist/index.html`) && existsSync(`${root}web/index.html`)) {
    const { buildWeb } = await import(pathToFileURL(`${root}scripts/build-web.ts`).href);
    console.error('mosaic: building the web app (web/dist is missing)…');
    await buildWeb({ replace: false });
  }
  await import(pathToFileURL(source).href);
} else if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  console.error('mosaic: no build found; run `npm install` (development) or `npm run build` (production)');
  process.exit(2);
}
