// Summarizes a V8 CPU profile (`node --cpu-prof`): self time per package (node_modules/<pkg>),
// per Mosaic source folder, Node internals, GC, and the top functions, as shares of busy time.
// Usage: node --import tsx bench/profile-summary.ts <file.cpuprofile> [top=15]
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: profile-summary <file.cpuprofile> [top]');
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMicros = new Map<number, number>();
profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

function category(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (!url) return `(${functionName || 'native'})`.replace(/^\(\((.*)\)\)$/, '($1)');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node internals';
  const own = /\/(?:src|dist)\/([^/]+)\//.exec(url);
  return own ? `mosaic ${own[1]}` : url;
}

const categories = new Map<string, number>();
const functions = new Map<string, number>();
let busy = 0;
for (const [id, micros] of selfMicros) {
  const node = byId.get(id)!;
  const name = category(node);
  if (name === '(idle)') continue;
  busy += micros;
  categories.set(name, (categories.get(name) ?? 0) + micros);
  const where = node.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(src|dist)\//, '$1/');
  const fn = `${node.callFrame.functionName || '(anonymous)'} ${where}:${node.callFrame.lineNumber + 1}`;
  functions.set(fn, (functions.get(fn) ?? 0) + micros);
}
const share = (micros: number) => `${((100 * micros) / busy).toFixed(1).padStart(5)} %`;
console.log(`busy ${(busy / 1e6).toFixed(2)} s of CPU in ${file}\n`);
console.log('self time by package / folder:');
for (const [name, micros] of [...categories].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${share(micros)}  ${name}`);
console.log(`\ntop ${topArg ?? 15} functions by self time:`);
for (const [name, micros] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 15))) console.log(`  ${share(micros)}  ${name}`);
