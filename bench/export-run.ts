/**
 * The all-cards export alone, as the stats-db bench measures it: `npx tsx bench/export-run.ts [file] [--tsx] [--runs=N]`.
 * Seeds the bench's district into `file` when it does not exist yet (kept, so later runs skip the seeding), then runs
 * the export in fresh processes, compiled (as the bench's target) and, with --tsx, under tsx too, alternately, and
 * prints each run's time and RSS. Not a bench module (no TARGET): for trying a change to the export quickly.
 */
import { existsSync } from 'node:fs';
import { openDb } from '../src/db/client.js';
import { loadContent } from '../src/content/index.js';
import { DAY_MS, zonedYearPeriod } from '../src/core/visits/pacing.js';
import { bundleExportChild, exportInChild, seed } from './stats-db.bench.js';

const file = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? '/tmp/export-run-district.sqlite';
const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 1);
const withTsx = process.argv.includes('--tsx');
const period = zonedYearPeriod(2017, 'Asia/Shanghai');
// the bench's "now": day 318 of the year
const now = period.startAt + 318 * DAY_MS;
if (!existsSync(file)) {
  const content = loadContent('content');
  if (!content.ok) throw new Error(content.errors.join('\n'));
  const db = openDb(file, { synchronous: 'NORMAL' });
  seed(db, content.content.forms.get('dynamic_card')!, period, now);
  db.$client.close();
}
const bundle = await bundleExportChild();
try {
  for (let i = 0; i < runs; i++) {
    for (const compiled of withTsx ? [true, false] : [true]) {
      const r = await exportInChild(file, now, compiled ? bundle.file : undefined);
      console.log(
        `${compiled ? 'compiled' : 'tsx     '} ${(r.exportMs / 1000).toFixed(1)} s (CPU ${(r.cpuMs / 1000).toFixed(1)} s), RSS ${r.rssBefore.toFixed(0)} → peak ${r.rssPeak.toFixed(0)} MB, ` +
          `sheets of ${r.sheets} rows, ${r.fileMb.toFixed(1)} MB file`,
      );
    }
  }
} finally {
  bundle.remove();
}
