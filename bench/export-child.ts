/**
 * Child process of bench/stats-db.bench.ts: the all-cards export of the seeded district, its time and peak RSS sent
 * back to the parent. The bench runs it compiled (bundleExportChild: one esbuild bundle, as `npm start` runs the bot
 * from dist/), and under tsx for a side figure: tsx's loader (a module-hooks thread of its own and its compiler)
 * holds about 35 MB the bot never has, which a peak-RSS target would otherwise count against the export.
 * Environment: EXPORT_BENCH_DB (the seeded file), EXPORT_BENCH_NOW, EXPORT_BENCH_ROOT (the repository).
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { openDb } from '../src/db/client.js';
import { loadContent } from '../src/content/index.js';
import { writeExport } from '../src/app/export.js';

export interface ExportChildResult {
  exportMs: number;
  /** CPU time of the whole process meanwhile (every thread: the deflaters too), less sensitive to load than exportMs */
  cpuMs: number;
  rssBefore: number;
  rssPeak: number;
  sheets: string;
  fileMb: number;
}

const rssMb = () => process.memoryUsage().rss / 1024 / 1024;

async function measureExport(dbFile: string, now: number, root: string): Promise<ExportChildResult> {
  // what the bot holds anyway: its content (the card form) and a connection to its database
  const content = loadContent(path.join(root, 'content'));
  if (!content.ok) throw new Error(content.errors.join('\n'));
  const form = content.content.forms.get('dynamic_card')!;
  const db = openDb(dbFile, { synchronous: 'NORMAL', migrationsFolder: path.join(root, 'drizzle') });
  const rssBefore = rssMb();
  let rssPeak = rssBefore;
  const timer = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb())), 20);
  const file = path.join(path.dirname(dbFile), 'cards.xlsx');
  const e0 = performance.now();
  const c0 = process.cpuUsage();
  const summary = await writeExport(db, 'cards', file, {
    scope: { kind: 'district' }, t: (k) => k, locale: 'zh-CN', form, timeZone: 'Asia/Shanghai', now, target: 6, by: { personId: null, via: 'cli' },
  });
  const exportMs = performance.now() - e0;
  const cpu = process.cpuUsage(c0);
  clearInterval(timer);
  rssPeak = Math.max(rssPeak, rssMb());
  db.$client.close();
  return { exportMs, cpuMs: (cpu.user + cpu.system) / 1000, rssBefore, rssPeak, sheets: summary.sheets.map((x) => x.rows).join(' + '), fileMb: statSync(file).size / 1024 / 1024 };
}

if (process.env.EXPORT_BENCH_DB && process.send) {
  const r = await measureExport(process.env.EXPORT_BENCH_DB, Number(process.env.EXPORT_BENCH_NOW), process.env.EXPORT_BENCH_ROOT ?? process.cwd());
  process.send(r, () => process.exit(0));
}
