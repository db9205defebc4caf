// Names the functions in a callgrind dump of a Node process started with `--perf-basic-prof`:
// callgrind sees V8's JIT code as bare addresses, and the process's perf map
// (/tmp/perf-<pid>.map: start, size, name per line) says which JavaScript function each
// address range holds. Used by `bench/instructions.ts` with BENCH_PROFILE=1.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

interface CodeRange {
  start: number;
  end: number;
  name: string;
}

function readPerfMap(file: string): CodeRange[] {
  const ranges: CodeRange[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const [start, size, ...name] = line.split(' ');
    if (!start || !size || name.length === 0) continue;
    const from = Number.parseInt(start, 16);
    ranges.push({ start: from, end: from + Number.parseInt(size, 16), name: name.join(' ') });
  }
  return ranges.sort((a, b) => a.start - b.start);
}

function nameAt(ranges: CodeRange[], address: number): string | undefined {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const range = ranges[middle]!;
    if (address < range.start) high = middle - 1;
    else if (address >= range.end) low = middle + 1;
    else return range.name;
  }
  return undefined;
}

/** The `top` functions by their own instructions in `dump`, JIT code named through `perfMap`. */
export function topFunctions(dump: string, perfMap: string, top: number): { name: string; instructions: number }[] {
  const ranges = readPerfMap(perfMap);
  const report = execFileSync('callgrind_annotate', ['--threshold=100', dump], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const totals = new Map<string, number>();
  for (const line of report.split('\n')) {
    const match = /^\s*([\d,]+) \(\s*[\d.]+%\)\s+(.+)$/.exec(line);
    if (!match || line.includes('PROGRAM TOTALS')) continue;
    const address = /^\?\?\?:0x([0-9a-f]+) \[\?\?\?\]/.exec(match[2]!);
    // C++ names lose their argument lists, so overloads and template instances add up.
    const name = address ? (nameAt(ranges, Number.parseInt(address[1]!, 16)) ?? match[2]!) : match[2]!.replace(/^\?\?\?:/, '').replaceAll('(anonymous namespace)', '{anonymous}').replace(/\(.*$/, '');
    totals.set(name, (totals.get(name) ?? 0) + Number(match[1]!.replaceAll(',', '')));
  }
  return [...totals].map(([name, instructions]) => ({ name, instructions })).sort((a, b) => b.instructions - a.instructions).slice(0, top);
}
