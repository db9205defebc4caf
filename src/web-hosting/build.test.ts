// The web app's build as `mosaic serve` runs it from a fresh checkout: whatever NODE_ENV says
// (many people have NODE_ENV=development set), what is served is the production build, within
// the first-load budget. Built into a folder of its own, never over web/dist.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('the web build', () => {
  it('is the production build within the budget under NODE_ENV=development', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-web-build-')), 'dist');
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/build-web.ts', '--out', out], {
        cwd: ROOT,
        env: { ...process.env, NODE_ENV: 'development' },
      });
      assert.match(stdout, /first-load JavaScript .* gzipped of a 150\.0 KB budget/);
      assert.doesNotMatch(stdout, /OVER BUDGET/);
      assert.ok(fs.existsSync(path.join(out, 'index.html')));
      const scripts = fs.readdirSync(path.join(out, 'assets')).filter((file) => file.endsWith('.js'));
      const bundle = scripts.map((file) => fs.readFileSync(path.join(out, 'assets', file), 'utf8')).join('\n');
      // React's development build carries its dev-only warnings; the production build does not.
      assert.doesNotMatch(bundle, /react-dom\.development|Warning: Each child in a list should have a unique "key" prop/);
    } finally {
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
    }
  });
});
