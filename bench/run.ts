/**
 * `npm run bench`: runs every bench module, prints their side-by-side figures, then one
 * `TARGET <name> <measured> <limit> PASS|FAIL` line per target. `npm run bench -- stats-db card` runs only the
 * modules whose file name contains one of the words given.
 *
 * Each module runs in a process of its own, as each part runs in the bot (a `/stats` report in the report worker, not
 * in a heap that has just built another module's synthetic district): one module's garbage and heap growth once
 * showed up as another's figures. Figures compared within a module are still measured side by side in one process.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchModule, BenchTarget } from './types.js';

const modules: Array<[string, () => Promise<{ bench: BenchModule }>]> = [
  ['forms', () => import('./forms.bench.js')],
  ['card', () => import('./card.bench.js')],
  ['card-actions', () => import('./card-actions.bench.js')],
  ['quiz', () => import('./quiz.bench.js')],
  ['reports', () => import('./reports.bench.js')],
  ['stats-db', () => import('./stats-db.bench.js')],
  ['imports', () => import('./imports.bench.js')],
  ['push-rate', () => import('./push-rate.bench.js')],
  ['webhook', () => import('./webhook.bench.js')],
  ['start', () => import('./start.bench.js')],
  ['dashboard', () => import('./dashboard.bench.js')],
];

/** How a child hands its targets back: one line each, after its own output. */
const RESULT = 'BENCH_RESULT ';

const one = process.env.BENCH_MODULE;
if (one) {
  const { bench } = await modules.find(([name]) => name === one)![1]();
  console.log(`\n== ${bench.title}`);
  for (const t of await bench.run()) console.log(RESULT + JSON.stringify(t));
} else {
  const only = process.argv.slice(2);
  const all: BenchTarget[] = [];
  for (const [name] of modules) {
    if (only.length && !only.some((w) => name.includes(w))) continue;
    all.push(...(await runModule(name)));
  }
  console.log('');
  let failed = 0;
  for (const t of all) {
    const pass = t.measured <= t.limit;
    if (!pass) failed++;
    console.log(`TARGET ${t.name} ${round(t.measured)} ${t.limit} ${pass ? 'PASS' : 'FAIL'}`);
  }
  process.exitCode = failed ? 1 : 0;
}

/** Runs one module in a child process (same node and loader flags), echoing its output, and returns its targets. */
function runModule(name: string): Promise<BenchTarget[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
      env: { ...process.env, BENCH_MODULE: name },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const targets: BenchTarget[] = [];
    let rest = '';
    child.stdout.on('data', (b: Buffer) => {
      const lines = (rest + b.toString('utf8')).split('\n');
      rest = lines.pop()!;
      for (const l of lines) {
        if (l.startsWith(RESULT)) targets.push(JSON.parse(l.slice(RESULT.length)) as BenchTarget);
        else console.log(l);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (rest) console.log(rest);
      if (code !== 0) reject(new Error(`bench module ${name} exited with ${code}`));
      else resolve(targets);
    });
  });
}

function round(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toFixed(4);
}
