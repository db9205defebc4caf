// Builds the web app (web/) with Vite into web/dist, writes a brotli (.br) and a gzip (.gz) copy
// of each text asset beside it (served by content negotiation, src/web-hosting/static.ts), and prints
// the size budget: the JavaScript the first page loads, gzipped, must stay within
// FIRST_LOAD_BUDGET or the build fails.
// `npm run build:web` runs it; `mosaic serve` in a checkout runs it when web/dist is missing.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WEB = path.join(ROOT, 'web');
export const WEB_DIST = path.join(WEB, 'dist');
export const FIRST_LOAD_BUDGET = 150 * 1024;

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}

export interface FirstLoad {
  files: { file: string; bytes: number; gzipBytes: number }[];
  gzipBytes: number;
  cssGzipBytes: number;
}

/** The entry chunk and everything it imports statically: what the browser must load first. */
export function measureFirstLoad(dist: string): FirstLoad {
  const manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const seen = new Set<string>();
  const css = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || seen.has(key)) return;
    seen.add(key);
    for (const file of chunk.css ?? []) css.add(file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  const sizeOf = (file: string) => {
    const bytes = fs.readFileSync(path.join(dist, file));
    return { file, bytes: bytes.length, gzipBytes: gzipSync(bytes).length };
  };
  const files = [...seen].map((key) => sizeOf(manifest[key]!.file));
  return {
    files,
    gzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0),
    cssGzipBytes: [...css].map(sizeOf).reduce((sum, f) => sum + f.gzipBytes, 0),
  };
}

/** What is worth compressing: text. Images and fonts in modern formats are compressed already. */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|webmanifest|txt|map)$/;

/**
 * Writes `<file>.br` (brotli at its best quality) and `<file>.gz` (gzip -9) beside every
 * compressible file under `dir`, each only when smaller than the original. Done once at build
 * time, so serving costs no CPU and the densest settings are affordable.
 */
export function writeCompressedCopies(dir: string): { file: string; bytes: number; br?: number; gz?: number }[] {
  const written: { file: string; bytes: number; br?: number; gz?: number }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !COMPRESSIBLE.test(entry.name)) continue;
    const full = path.join(entry.parentPath, entry.name);
    // The Vite manifest is read by the build, never served (dot folder).
    if (path.relative(dir, full).startsWith('.')) continue;
    const bytes = fs.readFileSync(full);
    const br = brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    });
    const gz = gzipSync(bytes, { level: 9 });
    const result: { file: string; bytes: number; br?: number; gz?: number } = { file: path.relative(dir, full), bytes: bytes.length };
    if (br.length < bytes.length) {
      fs.writeFileSync(`${full}.br`, br);
      result.br = br.length;
    }
    if (gz.length < bytes.length) {
      fs.writeFileSync(`${full}.gz`, gz);
      result.gz = gz.length;
    }
    written.push(result);
  }
  return written;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export function printBudget(load: FirstLoad): boolean {
  for (const f of load.files) console.log(`web: first load  ${f.file}  ${kb(f.bytes)} (${kb(f.gzipBytes)} gzipped)`);
  const within = load.gzipBytes <= FIRST_LOAD_BUDGET;
  console.log(
    `web: first-load JavaScript ${kb(load.gzipBytes)} gzipped of a ${kb(FIRST_LOAD_BUDGET)} budget ` +
      `(${((100 * load.gzipBytes) / FIRST_LOAD_BUDGET).toFixed(0)} %); CSS ${kb(load.cssGzipBytes)} gzipped` +
      (within ? '' : ' — OVER BUDGET'),
  );
  return within;
}

/**
 * Builds into a fresh folder and moves it into place, so a server reading web/dist never sees
 * half a build. With `replace` false an existing web/dist (another process built it first) wins.
 */
export async function buildWeb({ replace, dist = WEB_DIST }: { replace: boolean; dist?: string }): Promise<void> {
  // What the server serves is always the production build: with NODE_ENV=development in the
  // environment (as many people have it) Vite would bundle React's development build, which
  // is over the budget and slower. This script runs in a process of its own.
  process.env.NODE_ENV = 'production';
  const { build } = await import('vite');
  const out = path.join(WEB, `.dist-${process.pid}-${Date.now().toString(36)}`);
  try {
    await build({ configFile: path.join(WEB, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir: out, emptyOutDir: true } });
    const copies = writeCompressedCopies(out);
    const total = (pick: (c: (typeof copies)[number]) => number) => copies.reduce((sum, c) => sum + pick(c), 0);
    console.log(
      `web: ${copies.length} files compressed: ${kb(total((c) => c.bytes))} → brotli ${kb(total((c) => c.br ?? c.bytes))}, gzip ${kb(total((c) => c.gz ?? c.bytes))}`,
    );
    if (!printBudget(measureFirstLoad(out))) {
      throw new Error(`the first page loads more than ${kb(FIRST_LOAD_BUDGET)} of gzipped JavaScript`);
    }
    if (replace) fs.rmSync(dist, { recursive: true, force: true });
    try {
      fs.renameSync(out, dist);
    } catch (error) {
      if (!fs.existsSync(path.join(dist, 'index.html'))) throw error;
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  // --if-missing (from `mosaic serve`): a build another process finished first is kept.
  // --out DIR builds elsewhere than web/dist (the tests' build under NODE_ENV=development).
  const outAt = process.argv.indexOf('--out');
  const dist = outAt > 0 ? path.resolve(process.argv[outAt + 1] ?? '') : WEB_DIST;
  buildWeb({ replace: !process.argv.includes('--if-missing'), dist }).catch((error: unknown) => {
    console.error(`web: build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
