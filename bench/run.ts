/**
 * `npm run bench`: runs every bench module in one process, prints their side-by-side figures,
 * then one `TARGET <name> <measured> <limit> PASS|FAIL` line per target.
 */
import type { BenchModule, BenchTarget } from './types.js';

const modules: Array<() => Promise<{ bench: BenchModule }>> = [
  () => import('./forms.bench.js'),
  () => import('./card.bench.js'),
  () => import('./card-actions.bench.js'),
  () => import('./quiz.bench.js'),
  () => import('./reports.bench.js'),
  () => import('./stats-db.bench.js'),
  () => import('./imports.bench.js'),
  () => import('./push-rate.bench.js'),
  () => import('./webhook.bench.js'),
  () => import('./start.bench.js'),
  () => import('./dashboard.bench.js'),
];

const all: BenchTarget[] = [];
for (const load of modules) {
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
