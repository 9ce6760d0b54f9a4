/**
 * Where a `/stats` report's time goes: `npx tsx bench/stats-profile.ts [--city] [file]`. Seeds the stats-db bench's
 * district (or, with --city, its city of 100,000 households) into `file` when it does not exist yet (kept, so later
 * runs skip the minute of seeding), loads the /stats snapshot (timed), then runs groupedStats whole-district for the
 * year by town, the last 30 days by town and the year by helper, and prints each one's median with the share of any
 * SQL it ran (the snapshot's refresh; none when nothing changed). Not a bench module (no TARGET).
 */
import { existsSync } from 'node:fs';
import { openDb } from '../src/db/client.js';
import { loadContent } from '../src/content/index.js';
import { DAY_MS, zonedYearPeriod, type Period } from '../src/core/visits/pacing.js';
import type { GroupBy } from '../src/core/stats/index.js';
import { groupLabels } from '../src/db/stats-names-repo.js';
import { groupedStats, statsSnapshot } from '../src/db/stats-snapshot-repo.js';
import { seed, seedCity } from './stats-db.bench.js';

const TZ = 'Asia/Shanghai';
const city = process.argv.includes('--city');
const file = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? `/tmp/stats-profile-${city ? 'city' : 'district'}.sqlite`;
const period = zonedYearPeriod(2017, TZ);
// the bench's "now": day 318 of the year
const now = period.startAt + 318 * DAY_MS;
const fresh = !existsSync(file);
const db = openDb(file, { synchronous: 'NORMAL' });
if (fresh) {
  const t0 = performance.now();
  if (city) seedCity(db, period, now);
  else {
    const content = loadContent('content');
    if (!content.ok) throw new Error(content.errors.join('\n'));
    seed(db, content.content.forms.get('dynamic_card')!, period, now);
  }
  console.log(`seeded ${file} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

/** What a statement is for, from its text (the parts of groupedStats and quizRows). */
function part(sql: string): string {
  if (sql.includes('FROM quiz_')) return 'quiz';
  if (sql.includes('FROM card_flags')) return 'open flags';
  if (sql.includes('FROM household_failures')) return 'failed items';
  // before drafts: the figures' text holds the drafts' too
  if (sql.includes('FROM f CROSS JOIN')) return sql.includes('JOIN k ON') ? 'figures per group' : 'figures, totals';
  if (sql.includes('FROM card_drafts')) return 'open drafts';
  if (sql.includes('FROM sh LEFT JOIN units')) return 'helpers (town, last visit)';
  if (sql.includes('JOIN hp ON hp.hid = hs.hid ORDER BY hp.pid')) return "helpers' villages";
  if (/SELECT (k\.k|NULL), count\(\*\) FROM (k|hs) GROUP BY/.test(sql)) return 'households per group';
  if (sql.includes('SELECT id, name FROM') || sql.includes('SELECT pe.id, pe.name')) return 'labels';
  return sql.replace(/\s+/g, ' ').slice(0, 60);
}

// every statement's .all() timed (groupedStats reads with .all() only)
const times = new Map<string, number>();
const proto = Object.getPrototypeOf(db.$client.prepare('SELECT 1')) as { all: (...a: unknown[]) => unknown };
const all = proto.all;
proto.all = function (this: { source: string }, ...a: unknown[]) {
  const t = performance.now();
  try {
    return all.apply(this, a);
  } finally {
    const k = part(this.source);
    times.set(k, (times.get(k) ?? 0) + performance.now() - t);
  }
};

const l0 = performance.now();
statsSnapshot(db);
console.log(`snapshot loaded in ${(performance.now() - l0).toFixed(0)} ms`);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const window = (days: number): Period => ({ startAt: now - days * DAY_MS, endAt: now });
const district = { kind: 'district' } as const;
for (const [name, p, groupBy] of [['year by town', period, 'town'], ['last 30 days by town', window(30), 'town'], ['year by helper', period, 'helper']] as [string, Period, GroupBy][]) {
  const runs: { total: number; parts: Map<string, number> }[] = [];
  for (let i = 0; i < (city ? 5 : 9); i++) {
    times.clear();
    const a = performance.now();
    groupedStats(db, { supervisor: district, scope: district, groupBy, period: p, now, labels: groupLabels(db, groupBy, district) }, TZ);
    if (i >= 2) runs.push({ total: performance.now() - a, parts: new Map(times) });
  }
  const total = median(runs.map((r) => r.total));
  console.log(`\n${name}: ${total.toFixed(1)} ms (median of ${runs.length} warm runs)`);
  const keys = [...new Set(runs.flatMap((r) => [...r.parts.keys()]))];
  const rows = keys.map((k) => [k, median(runs.map((r) => r.parts.get(k) ?? 0))] as const).sort((a, b) => b[1] - a[1]);
  for (const [k, ms] of rows) console.log(`  ${ms.toFixed(1).padStart(7)} ms ${((ms * 100) / total).toFixed(0).padStart(3)} %  ${k}`);
  const sql = rows.reduce((s, [, ms]) => s + ms, 0);
  console.log(`  ${(total - sql).toFixed(1).padStart(7)} ms ${(((total - sql) * 100) / total).toFixed(0).padStart(3)} %  outside SQLite (JavaScript)`);
}
db.$client.close();
