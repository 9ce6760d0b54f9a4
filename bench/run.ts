/**
 * `npm run bench`: runs every bench module in one process, prints their side-by-side figures,
 * then one `TARGET <name> <measured> <limit> PASS|FAIL` line per target. `npm run bench -- stats-db card` runs only the
 * modules whose file name contains one of the words given.
 */
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

const only = process.argv.slice(2);
const all: BenchTarget[] = [];
for (const [name, load] of modules) {
  if (only.length && !only.some((w) => name.includes(w))) continue;
  const { bench } = await load();
  console.log(`\n== ${bench.title}`);
  all.push(...(await bench.run()));
}
console.log('');
let failed = 0;
for (const t of all) {
  const pass = t.measured <= t.limit;
  if (!pass) failed++;
  console.log(`TARGET ${t.name} ${round(t.measured)} ${t.limit} ${pass ? 'PASS' : 'FAIL'}`);
}
process.exitCode = failed ? 1 : 0;

function round(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toFixed(4);
}
