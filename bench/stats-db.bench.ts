/**
 * Supervision on a real SQLite file: a synthetic district of 10,000 households, 3,000 helpers, 60,000 cards (answers
 * generated from the card form, about the size of a real card) and 300,000 quiz answers.
 * - stats_db_district_ms: `/stats` for the whole district end to end: the scoped queries (loadStatsData) and the
 *   aggregation (computeStats), median of runs; _30d_ms and _90d_ms for the rolling windows, by_helper_ms for the
 *   largest grouping (3,000 helpers).
 * - stats_db_growth_10x_cards: the same figures with 600,000 cards (years of history added) over those with 60,000.
 *   The district's figures are 3–5 ms each, so each is the median of 41 warm runs (21 before 2026-12-01: on a shared
 *   machine a burst of other work moved a median of 21 by a millisecond, a third of the figure, and the ratio with it).
 *   The ratio is taken from fresh processes taking turns on the two files after both exist (60,000, 600,000, 600,000,
 *   60,000 cards, twice; each file's fastest median), not from two measurements a minute of seeding apart: a machine
 *   slowing down meanwhile read as ×1.69. On a shared machine the same file's medians differed by half within a minute.
 * - stats_db_city_ms: the slowest of year / 30 days / 90 days by town and year by helper for a city of 100,000
 *   households (seedCity), each the median of warm runs.
 * - export_cards_rss_mb, export_cards_s: peak RSS and time of the all-cards export (every field, repeats on their own
 *   sheets: 720,000 rows) streaming to an .xlsx file, in a process of its own running compiled code as the bot does
 *   (bench/export-child.ts bundled by esbuild); the same under tsx is printed beside it.
 */
import { fork } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDb, type Db } from '../src/db/client.js';
import { loadContent } from '../src/content/index.js';
import type { FieldDef, FormDefinition } from '../src/core/forms/index.js';
import { computeStats } from '../src/core/stats/index.js';
import { DAY_MS, zonedYearPeriod, type Period } from '../src/core/visits/pacing.js';
import { localDate } from '../src/core/time.js';
import { loadStatsData } from '../src/db/stats-repo.js';
import { failureMask, groupLabels } from '../src/db/stats-names-repo.js';
import { groupedStats } from '../src/db/stats-snapshot-repo.js';
import type { SupervisorScope } from '../src/core/people/scope.js';
import type { GroupBy } from '../src/core/stats/index.js';
import type { BenchModule, BenchTarget } from './types.js';
import type { ExportChildResult } from './export-child.js';
import { seededRandom } from '../src/core/quiz/random.js';

const TOWNS = 20;
const VILLAGES = 300;
const UNITS = 120;
const HELPERS = 3_000;
const HOUSEHOLDS = 10_000;
const CARDS = 60_000;
const PUSHES = 10;
const QUESTIONS_PER_PUSH = 10;
const TZ = 'Asia/Shanghai';
const GUARANTEES = ['food_status', 'clothing_status', 'education_status', 'medical_status', 'housing_status', 'water_status'];

// Deterministic (mulberry32, the quiz's own) so every run sees the same district.
const rng = seededRandom;

/** A value of the right type for a field (first choice, a round number, a short Chinese text…). */
function valueFor(f: FieldDef, date: string, r: () => number): unknown {
  switch (f.type) {
    case 'select_one':
      return f.choices?.[Math.floor(r() * (f.choices?.length ?? 1))]?.value ?? '';
    case 'select_multiple':
      return f.choices?.slice(0, 2).map((c) => c.value) ?? [];
    case 'integer':
      return Math.floor(r() * 60) + 1;
    case 'decimal':
      return Math.round(r() * 100) / 10;
    case 'money':
      return Math.round(r() * 200000) / 10;
    case 'date':
      return date;
    case 'yes_no':
      return r() < 0.8;
    case 'phone':
      return '13800000000';
    case 'id_number':
      return '11010519491231002X';
    case 'location':
      return { lat: 34.27, lon: 108.95, at: 0, live: true };
    case 'photo':
      return { fileId: 'AgACAgUAAxkBAAIB', at: 0 };
    default:
      return '情况已核实，户主表示满意';
  }
}

function answersFor(form: FormDefinition, date: string, r: () => number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of form.sections.flatMap((s) => s.fields)) {
    if (f.type === 'note' || f.type === 'calculate') continue;
    if (f.type === 'repeat') {
      const n = f.id === 'members' ? 3 : 2;
      out[f.id] = Array.from({ length: n }, () =>
        Object.fromEntries((f.fields ?? []).filter((s) => s.type !== 'note' && s.type !== 'calculate').map((s) => [s.id, valueFor(s, date, r)])),
      );
    } else out[f.id] = valueFor(f, date, r);
  }
  for (const g of GUARANTEES) {
    out[g] = r() < 0.03 ? '不达标' : '达标';
  }
  return out;
}

export function seed(db: Db, form: FormDefinition, period: { startAt: number }, now: number): void {
  const r = rng(2017);
  const pick = (n: number) => Math.floor(r() * n);
  const c = db.$client;
  c.transaction(() => {
    const town = c.prepare('INSERT INTO towns (id, code, name) VALUES (?, ?, ?)');
    for (let i = 1; i <= TOWNS; i++) town.run(i, `T${i}`, `第${i}镇`);
    const village = c.prepare('INSERT INTO villages (id, code, name, town_id) VALUES (?, ?, ?, ?)');
    for (let i = 1; i <= VILLAGES; i++) village.run(i, `V${i}`, `第${i}村`, ((i - 1) % TOWNS) + 1);
    const unit = c.prepare('INSERT INTO units (id, code, name, town_id) VALUES (?, ?, ?, ?)');
    for (let i = 1; i <= UNITS; i++) unit.run(i, `U${i}`, `第${i}单位`, i % 3 === 0 ? null : ((i - 1) % TOWNS) + 1);
    const person = c.prepare('INSERT INTO people (id, code, name, phone, unit_id, created_at) VALUES (?, ?, ?, ?, ?, 0)');
    const role = c.prepare("INSERT INTO person_roles (person_id, role) VALUES (?, 'helper')");
    for (let i = 1; i <= HELPERS; i++) {
      person.run(i, `P${i}`, `帮扶人${i}`, `138${String(i).padStart(8, '0')}`, ((i - 1) % UNITS) + 1);
      role.run(i);
    }
    const trainer = HELPERS + 1;
    person.run(trainer, 'TR', '培训员', null, 1);
    const hh = c.prepare(
      "INSERT INTO households (id, code, head_name, head_id_number, village_id, attribute, status, cause_main) VALUES (?, ?, ?, '11010519491231002X', ?, '一般贫困户', '未脱贫', '因病')",
    );
    const pair = c.prepare("INSERT OR IGNORE INTO pairings (helper_id, household_id, start_date) VALUES (?, ?, '2017-01-01')");
    const helpersOf: number[][] = [];
    for (let i = 1; i <= HOUSEHOLDS; i++) {
      hh.run(i, `H${i}`, `户主${i}`, ((i - 1) % VILLAGES) + 1);
      const hs = r() < 0.3 ? [pick(HELPERS) + 1, pick(HELPERS) + 1] : [pick(HELPERS) + 1];
      helpersOf[i] = hs;
      for (const h of hs) pair.run(h, i);
    }
    const card = c.prepare(
      "INSERT INTO cards (id, draft_id, household_id, helper_id, form_id, form_version, visit_date, visit_mode, in_person, answers, revision, submitted_at) VALUES (?, ?, ?, ?, 'dynamic_card', 1, ?, ?, ?, ?, 1, ?)",
    );
    const span = now - period.startAt;
    for (let i = 1; i <= CARDS; i++) {
      const household = pick(HOUSEHOLDS) + 1;
      const at = period.startAt + Math.floor(r() * span);
      const date = localDate(at, TZ);
      const inPerson = r() < 0.8;
      card.run(i, i, household, helpersOf[household][0], date, inPerson ? '入户走访' : '电话联系', inPerson ? 1 : 0, JSON.stringify(answersFor(form, date, r)), at);
    }
    const flag = c.prepare("INSERT INTO card_flags (card_id, household_id, code, level, created_at) VALUES (?, ?, 'income_drop', 'high', 0)");
    for (let i = 1; i <= 4000; i++) flag.run(i, pick(HOUSEHOLDS) + 1);
    // quizzes: 10 pushes to every helper, 10 questions each; 80 % finished → 3,000 × 10 × 10 = 300,000 answers at most
    const qs = JSON.stringify(Array.from({ length: QUESTIONS_PER_PUSH }, (_, k) => ({ id: `q${k}`, v: 1 })));
    const push = c.prepare("INSERT INTO quiz_pushes (id, trainer_id, questions, selection, audience, deadline, created_at) VALUES (?, ?, ?, '{}', '{}', ?, ?)");
    const delivery = c.prepare("INSERT INTO quiz_deliveries (push_id, person_id, status) VALUES (?, ?, 'sent')");
    const attempt = c.prepare(
      "INSERT INTO quiz_attempts (id, person_id, push_id, kind, questions, position, shown_at, started_at, finished_at, correct_count) VALUES (?, ?, ?, 'push', ?, ?, 0, 0, ?, ?)",
    );
    const answer = c.prepare("INSERT INTO quiz_answers (attempt_id, person_id, push_id, question_id, version, choices, correct, ms, at) VALUES (?, ?, ?, ?, 1, '[0]', ?, 5000, ?)");
    let attemptId = 0;
    for (let p = 1; p <= PUSHES; p++) {
      const created = period.startAt + p * 20 * DAY_MS;
      push.run(p, trainer, qs, created + 7 * DAY_MS, created);
      for (let h = 1; h <= HELPERS; h++) {
        delivery.run(p, h);
        // every assigned helper answered all questions (300,000 answers); 80 % of the sittings are finished
        const finished = r() < 0.8;
        let correct = 0;
        attempt.run(++attemptId, h, p, qs, QUESTIONS_PER_PUSH, finished ? created + DAY_MS : null, 0);
        for (let k = 0; k < QUESTIONS_PER_PUSH; k++) {
          const ok = r() < 0.75;
          if (ok) correct++;
          answer.run(attemptId, h, p, `q${k}`, ok ? 1 : 0, created + DAY_MS);
        }
        c.prepare('UPDATE quiz_attempts SET correct_count = ? WHERE id = ?').run(correct, attemptId);
      }
    }
  })();
}

/** Years of earlier visits: `n` more cards (answers left empty: only counts and dates matter to the figures). */
export function addHistory(db: Db, n: number): void {
  const r = rng(2013);
  const c = db.$client;
  const first = zonedYearPeriod(2013, TZ).startAt;
  const span = zonedYearPeriod(2017, TZ).startAt + 318 * DAY_MS - first;
  const pairs = c.prepare('SELECT household_id, min(helper_id) FROM pairings GROUP BY household_id').raw().all() as [number, number][];
  const card = c.prepare(
    "INSERT INTO cards (draft_id, household_id, helper_id, form_id, form_version, visit_date, visit_mode, in_person, answers, revision, submitted_at) VALUES (?, ?, ?, 'dynamic_card', 1, ?, ?, ?, '{}', 1, ?)",
  );
  const base = (c.prepare('SELECT max(draft_id) FROM cards').raw().get() as number[])[0];
  bulkCards(db, () => {
    for (let i = 1; i <= n; i++) {
      const [household, helper] = pairs[Math.floor(r() * pairs.length)];
      const at = first + Math.floor(r() * span);
      const inPerson = r() < 0.8;
      card.run(base + i, household, helper, localDate(at, TZ), inPerson ? '入户走访' : '电话联系', inPerson ? 1 : 0, at);
    }
  });
}

/**
 * Runs `load` in one transaction as a bulk load would: the tallies' triggers on cards off while it runs (the bench
 * works on a throwaway file), then household_years and household_days recounted whole and the triggers put back.
 */
function bulkCards(db: Db, load: () => void): void {
  const c = db.$client;
  const triggers = c.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'cards' AND name LIKE 'cards_household_%'").raw().all() as [string, string][];
  c.transaction(() => {
    for (const [name] of triggers) c.exec(`DROP TRIGGER ${name}`);
    load();
    c.exec(`DELETE FROM household_years; DELETE FROM household_days;
      INSERT INTO household_years (household_id, year, cards, in_person, last_in_person, last_visit)
        SELECT household_id, substr(visit_date, 1, 4), count(*), coalesce(sum(in_person), 0), max(CASE WHEN in_person THEN visit_date END), max(visit_date)
        FROM cards GROUP BY household_id, substr(visit_date, 1, 4);
      INSERT INTO household_days (household_id, day, cards, in_person)
        SELECT household_id, visit_date, count(*), coalesce(sum(in_person), 0) FROM cards GROUP BY household_id, visit_date;`);
    recountFailures(db);
    for (const [, sql] of triggers) c.exec(sql);
  })();
}

/** household_failures recounted whole, as its migration fills it (the triggers are off during a bulk load). */
function recountFailures(db: Db): void {
  const mask = failureMask('c');
  db.$client.exec(`DELETE FROM household_failures;
    INSERT INTO household_failures (household_id, mask)
      SELECT c.household_id, ${mask} FROM (SELECT household_id, max(visit_date) AS d FROM cards GROUP BY household_id) l
      CROSS JOIN cards c INDEXED BY cards_household_guarantees ON c.household_id = l.household_id AND c.visit_date = l.d
      GROUP BY c.household_id HAVING (${mask}) != 0;`);
}

/**
 * A city of 100,000 households (200 towns, 3,000 villages, 1,200 units, 30,000 helpers), 3 cards a household over the
 * year so far (answers hold only the six guarantee items: the figures read no other answer), 4,000 open flags and 10
 * quiz pushes to every helper (80 % finished). Bulk inserts in one transaction; a minute or so on the bench machine.
 */
export function seedCity(db: Db, period: { startAt: number }, now: number): void {
  const r = rng(2021);
  const pick = (n: number) => Math.floor(r() * n);
  const c = db.$client;
  const [towns, villages, units, helpers, households, cards] = [200, 3_000, 1_200, 30_000, 100_000, 300_000];
  const trainer = helpers + 1;
  const helperOf: number[] = [];
  c.transaction(() => {
    const town = c.prepare('INSERT INTO towns (id, code, name) VALUES (?, ?, ?)');
    for (let i = 1; i <= towns; i++) town.run(i, `T${i}`, `第${i}镇`);
    const village = c.prepare('INSERT INTO villages (id, code, name, town_id) VALUES (?, ?, ?, ?)');
    for (let i = 1; i <= villages; i++) village.run(i, `V${i}`, `第${i}村`, ((i - 1) % towns) + 1);
    const unit = c.prepare('INSERT INTO units (id, code, name, town_id) VALUES (?, ?, ?, ?)');
    for (let i = 1; i <= units; i++) unit.run(i, `U${i}`, `第${i}单位`, i % 3 === 0 ? null : ((i - 1) % towns) + 1);
    const person = c.prepare('INSERT INTO people (id, code, name, phone, unit_id, created_at) VALUES (?, ?, ?, ?, ?, 0)');
    const role = c.prepare("INSERT INTO person_roles (person_id, role) VALUES (?, 'helper')");
    for (let i = 1; i <= helpers; i++) {
      person.run(i, `P${i}`, `帮扶人${i}`, `138${String(i).padStart(8, '0')}`, ((i - 1) % units) + 1);
      role.run(i);
    }
    person.run(trainer, 'TR', '培训员', null, 1);
    const hh = c.prepare(
      "INSERT INTO households (id, code, head_name, head_id_number, village_id, attribute, status, cause_main) VALUES (?, ?, ?, '11010519491231002X', ?, '一般贫困户', '未脱贫', '因病')",
    );
    const pair = c.prepare("INSERT OR IGNORE INTO pairings (helper_id, household_id, start_date) VALUES (?, ?, '2017-01-01')");
    for (let i = 1; i <= households; i++) {
      hh.run(i, `H${i}`, `户主${i}`, ((i - 1) % villages) + 1);
      helperOf[i] = pick(helpers) + 1;
      pair.run(helperOf[i], i);
      if (r() < 0.3) pair.run(pick(helpers) + 1, i);
    }
    const qs = JSON.stringify(Array.from({ length: QUESTIONS_PER_PUSH }, (_, k) => ({ id: `q${k}`, v: 1 })));
    const push = c.prepare("INSERT INTO quiz_pushes (id, trainer_id, questions, selection, audience, deadline, created_at) VALUES (?, ?, ?, '{}', '{}', ?, ?)");
    const delivery = c.prepare("INSERT INTO quiz_deliveries (push_id, person_id, status) VALUES (?, ?, 'sent')");
    const attempt = c.prepare(
      "INSERT INTO quiz_attempts (person_id, push_id, kind, questions, position, shown_at, started_at, finished_at, correct_count) VALUES (?, ?, 'push', ?, ?, 0, 0, ?, ?)",
    );
    for (let p = 1; p <= PUSHES; p++) {
      const created = period.startAt + p * 20 * DAY_MS;
      push.run(p, trainer, qs, created + 7 * DAY_MS, created);
      for (let h = 1; h <= helpers; h++) {
        delivery.run(p, h);
        const finished = r() < 0.8;
        attempt.run(h, p, qs, QUESTIONS_PER_PUSH, finished ? created + DAY_MS : null, finished ? pick(QUESTIONS_PER_PUSH + 1) : 0);
      }
    }
  })();
  const card = c.prepare(
    "INSERT INTO cards (id, draft_id, household_id, helper_id, form_id, form_version, visit_date, visit_mode, in_person, answers, revision, submitted_at) VALUES (?, ?, ?, ?, 'dynamic_card', 1, ?, ?, ?, ?, 1, ?)",
  );
  const ok = JSON.stringify(Object.fromEntries(GUARANTEES.map((g) => [g, '达标'])));
  const span = now - period.startAt;
  bulkCards(db, () => {
    for (let i = 1; i <= cards; i++) {
      const household = pick(households) + 1;
      const at = period.startAt + Math.floor(r() * span);
      const inPerson = r() < 0.8;
      const answers = r() < 0.05 ? JSON.stringify({ ...JSON.parse(ok), [GUARANTEES[pick(6)]]: '不达标' }) : ok;
      card.run(i, i, household, helperOf[household], localDate(at, TZ), inPerson ? '入户走访' : '电话联系', inPerson ? 1 : 0, answers, at);
    }
    const flag = c.prepare("INSERT INTO card_flags (card_id, household_id, code, level, created_at) VALUES (?, ?, 'income_drop', 'high', 0)");
    for (let i = 1; i <= 4000; i++) flag.run(i, pick(households) + 1);
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

interface ChildResult {
  /** the same figures the previous way (loadStatsData + computeStats), interleaved in the same process */
  old?: { yearMs: number; days30Ms: number; days90Ms: number; helperMs: number };
  yearMs: number;
  /** the city: year by town, last 30 and 90 days by town, year by helper (medians) */
  city?: { yearMs: number; days30Ms: number; days90Ms: number; helperMs: number };
  statsMs: number;
  /** the very first /stats of the process (loads the snapshot) */
  coldMs: number;
  /** year by town right after a card was written */
  afterCardMs?: number;
  days30Ms: number;
  days90Ms: number;
  helperMs: number;
  townMs: number;
  /** the growth views' medians of the process's CPU time (year, 30 days, 90 days), beside their wall time */
  cpuMs?: [number, number, number];
}

/**
 * The measurements, each part in a fresh process of its own: the seeding's garbage must neither slow the queries
 * nor inflate RSS, and the export's heap must not slow /stats (nor /stats' inflate the export's RSS).
 */
type Part = 'stats' | 'city' | 'growth';

async function measure(dbFile: string, now: number, part: Part): Promise<Partial<ChildResult>> {
  const db = openDb(dbFile, { synchronous: 'NORMAL' });
  const period = zonedYearPeriod(2017, TZ);
  if (part === 'city') return measureCity(db, period, now);
  if (part === 'growth') return measureGrowth(db, period, now);
  return measureStats(db, period, now);
}

/** The three views the growth target compares (year, 30 and 90 days by town), warm, medians of 41. */
function measureGrowth(db: Db, period: Period, now: number): Partial<ChildResult> {
  const district = { kind: 'district' } as const;
  const views = [period, { startAt: now - 30 * DAY_MS, endAt: now }, { startAt: now - 90 * DAY_MS, endAt: now }];
  for (let i = 0; i < 4; i++) for (const p of views) statsReport(db, district, 'town', p, now);
  // CPU time beside wall time: on a crowded machine a report's wall time also holds the time it waited for a core,
  // which says nothing about the cards (the printed line, not the target, which stays wall time)
  const runs = views.map((p) =>
    Array.from({ length: 41 }, () => {
      const c = process.cpuUsage();
      const a = performance.now();
      statsReport(db, district, 'town', p, now);
      const wall = performance.now() - a;
      const d = process.cpuUsage(c);
      return { wall, cpu: (d.user + d.system) / 1000 };
    }),
  );
  const [yearMs, days30Ms, days90Ms] = runs.map((r) => median(r.map((x) => x.wall)));
  const cpu = runs.map((r) => median(r.map((x) => x.cpu)));
  return { yearMs, days30Ms, days90Ms, cpuMs: [cpu[0], cpu[1], cpu[2]] };
}

/**
 * One /stats report as the bot makes it: from the connection's snapshot (groupedStats) with the grouping's labels; with
 * `recount`, the previous way (every household's rows read by loadStatsData, aggregated by computeStats) for the
 * side-by-side line.
 */
function statsReport(db: Db, scope: SupervisorScope, groupBy: GroupBy, period: Period, now: number, old = false): void {
  if (old) {
    const data = loadStatsData(db, scope, period, TZ);
    computeStats(data.input, { scope, groupBy, period, now, labels: data.names[groupBy] });
    return;
  }
  groupedStats(db, { supervisor: scope, scope, groupBy, period, now, labels: groupLabels(db, groupBy, scope) }, TZ);
}

function measureStats(db: Db, period: { startAt: number; endAt: number }, now: number): Partial<ChildResult> {
  const district = { kind: 'district' } as const;
  const a0 = performance.now();
  statsReport(db, district, 'town', period, now);
  const coldMs = performance.now() - a0;
  const window = (days: number) => ({ startAt: now - days * DAY_MS, endAt: now });
  const pages: [Period, GroupBy][] = [[period, 'town'], [window(30), 'town'], [window(90), 'town'], [period, 'helper']];
  // A running bot answers /stats with warm code: every page three times first. Then the new way, each page the median
  // of 41 (a few ms each: a collector pause or another process's burst in a few of them moves a median of fewer), and after it the previous way (every household's rows to JavaScript), median of 5: interleaved, the old
  // way's garbage landed as collector pauses in the new way's figures.
  for (let i = 0; i < 3; i++) for (const [p, g] of pages) statsReport(db, district, g, p, now);
  const timed = (p: Period, groupBy: GroupBy, old: boolean, runs: number) =>
    median(
      Array.from({ length: runs }, () => {
        const a = performance.now();
        statsReport(db, district, groupBy, p, now, old);
        return performance.now() - a;
      }),
    );
  const [yearMs, days30Ms, days90Ms, helperMs] = pages.map(([p, g]) => timed(p, g, false, 41));
  const townMs = median(
    [0, 1, 2, 3, 4].map(() => {
      const a = performance.now();
      statsReport(db, { kind: 'town', id: 3 }, 'village', period, now);
      return performance.now() - a;
    }),
  );
  const [oldYearMs, oldDays30Ms, oldDays90Ms, oldHelperMs] = pages.map(([p, g]) => timed(p, g, true, 5));
  // a helper submits a card between two reports: the report reads that household's rows again (stats_changes)
  const [hid, helper] = db.$client.prepare('SELECT household_id, helper_id FROM pairings WHERE end_date IS NULL LIMIT 1').raw().get() as [number, number];
  const submit = db.$client.prepare(
    "INSERT INTO cards (draft_id, household_id, helper_id, form_id, form_version, visit_date, visit_mode, in_person, answers, revision, submitted_at) VALUES (?, ?, ?, 'dynamic_card', 1, ?, '入户走访', 1, '{}', 1, ?)",
  );
  const afterCard = Array.from({ length: 9 }, (_, i) => {
    submit.run(-1 - i, hid, helper, localDate(now - DAY_MS, TZ), now); // draft ids no real card has
    const a = performance.now();
    statsReport(db, district, 'town', period, now);
    return performance.now() - a;
  });
  // the file as it was, for the measurements after this one
  db.$client.prepare('DELETE FROM cards WHERE draft_id < 0').run();
  db.$client.close();
  return {
    statsMs: yearMs, yearMs, townMs, coldMs, days30Ms, days90Ms, helperMs, afterCardMs: median(afterCard),
    old: { yearMs: oldYearMs, days30Ms: oldDays30Ms, days90Ms: oldDays90Ms, helperMs: oldHelperMs },
  };
}

/** The city's /stats, whole city, each figure the median of 11 warm runs (after 2 to warm up). */
function measureCity(db: Db, period: { startAt: number; endAt: number }, now: number): Partial<ChildResult> {
  const window = (days: number) => ({ startAt: now - days * DAY_MS, endAt: now });
  const timed = (p: Period, groupBy: GroupBy, old = false) => {
    const times = Array.from({ length: old ? 3 : 13 }, (_, i) => i).map(() => {
      const a = performance.now();
      statsReport(db, { kind: 'district' }, groupBy, p, now, old);
      return performance.now() - a;
    });
    return median(times.slice(old ? 1 : 2));
  };
  const city = { yearMs: timed(period, 'town'), days30Ms: timed(window(30), 'town'), days90Ms: timed(window(90), 'town'), helperMs: timed(period, 'helper') };
  // the previous way, fewer runs (seconds each): year by town and by helper
  const old = { yearMs: timed(period, 'town', true), days30Ms: NaN, days90Ms: NaN, helperMs: timed(period, 'helper', true) };
  db.$client.close();
  return { city, old };
}

const CHILD_ENV = 'STATS_DB_BENCH_FILE';
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * bench/export-child.ts as one ES module, as scripts/build.mjs bundles the bot for `npm start`: the export is measured
 * in compiled code, not under tsx (whose loader thread and compiler hold about 35 MB the bot never has). Written under
 * the repository's tmp/ (ignored by git) so its external packages resolve from node_modules; each module's
 * import.meta.url stays its source file's, so content, migrations and caches are found where they are under tsx.
 */
export async function bundleExportChild(): Promise<{ file: string; remove: () => void }> {
  const { build } = await import('esbuild');
  mkdirSync(path.join(ROOT, 'tmp'), { recursive: true });
  const dir = mkdtempSync(path.join(ROOT, 'tmp', 'bench-export-'));
  const file = path.join(dir, 'export-child.mjs');
  await build({
    entryPoints: [path.join(ROOT, 'bench', 'export-child.ts')],
    outfile: file,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['better-sqlite3', '@resvg/resvg-js', 'exceljs', '@embedpdf/fonts-sc', 'tsx'],
    banner: { js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);" },
    plugins: [
      {
        name: 'own-file-urls',
        setup(b) {
          b.onLoad({ filter: /\.ts$/ }, (args) => {
            const text = readFileSync(args.path, 'utf8');
            if (!text.includes('import.meta.url')) return undefined;
            return { contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
          });
        },
      },
    ],
    logLevel: 'warning',
  });
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The all-cards export in a fresh process: compiled (the bundle) or under tsx (the TypeScript source). */
export function exportInChild(dbFile: string, now: number, bundle: string | undefined): Promise<ExportChildResult> {
  const child = fork(bundle ?? path.join(ROOT, 'bench', 'export-child.ts'), [], {
    execArgv: bundle ? [] : ['--import', 'tsx'],
    env: { ...process.env, EXPORT_BENCH_DB: dbFile, EXPORT_BENCH_NOW: String(now), EXPORT_BENCH_ROOT: ROOT },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m as ExportChildResult));
    child.once('exit', (code) => reject(new Error(`export process exited with ${code}`)));
  });
}

// Child mode: `fork` of this file with the database path in the environment.
if (process.env[CHILD_ENV] && process.send) {
  const r = await measure(process.env[CHILD_ENV], Number(process.env.STATS_DB_BENCH_NOW), (process.env.STATS_DB_BENCH_PART ?? 'stats') as Part);
  process.send(r, () => process.exit(0));
}

export const bench: BenchModule = {
  title: 'supervision on SQLite: /stats end to end, streaming all-cards export',
  async run(): Promise<BenchTarget[]> {
    const dir = mkdtempSync(path.join(tmpdir(), 'stats-db-bench-'));
    try {
      const content = loadContent('content');
      if (!content.ok) throw new Error(content.errors.join('\n'));
      const form = content.content.forms.get('dynamic_card')!;
      const dbFile = path.join(dir, 'district.sqlite');
      const db = openDb(dbFile, { synchronous: 'NORMAL' });
      const period = zonedYearPeriod(2017, TZ);
      const now = period.startAt + 318 * DAY_MS;
      const t0 = performance.now();
      seed(db, form, period, now);
      const counts = db.$client.prepare('SELECT (SELECT count(*) FROM cards), (SELECT count(*) FROM quiz_answers), (SELECT count(*) FROM households)').raw().get() as number[];
      db.$client.close();
      const mb = statSync(dbFile).size / 1024 / 1024;
      console.log(
        `seeded ${counts[2]} households, ${HELPERS} helpers, ${counts[0]} cards, ${counts[1]} quiz answers ` +
          `in ${((performance.now() - t0) / 1000).toFixed(1)} s (${mb.toFixed(0)} MB file)`,
      );
      const bigFile = path.join(dir, 'district-10x.sqlite');
      const inChild = (part: Part, file = dbFile) => {
        const child = fork(fileURLToPath(import.meta.url), [], {
          execArgv: ['--import', 'tsx'],
          env: { ...process.env, [CHILD_ENV]: file, STATS_DB_BENCH_NOW: String(now), STATS_DB_BENCH_PART: part },
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
        return new Promise<Partial<ChildResult>>((resolve, reject) => {
          child.once('message', (m) => resolve(m as Partial<ChildResult>));
          child.once('exit', (code) => reject(new Error(`measuring process exited with ${code}`)));
        });
      };
      const r = (await inChild('stats')) as ChildResult;
      const bundle = await bundleExportChild();
      let ex: ExportChildResult;
      try {
        ex = await exportInChild(dbFile, now, bundle.file);
      } finally {
        bundle.remove();
      }
      const exTsx = await exportInChild(dbFile, now, undefined);
      // the same district after years of visits: 540,000 more cards (10× in all), spread over 2013–2017
      copyFileSync(dbFile, bigFile);
      copyFileSync(`${dbFile}.secret`, `${bigFile}.secret`);
      const big = openDb(bigFile, { synchronous: 'NORMAL' });
      const g0 = performance.now();
      addHistory(big, 9 * CARDS);
      const bigCards = (big.$client.prepare('SELECT count(*) FROM cards').raw().get() as number[])[0];
      big.$client.close();
      console.log(`added history: ${bigCards} cards in all (${((performance.now() - g0) / 1000).toFixed(1)} s)`);
      const b = (await inChild('stats', bigFile)) as ChildResult;
      // the growth target from fresh processes taking turns on the two files (60,000, 600,000, 600,000, 60,000 cards,
      // twice: a machine slowing down or speeding up steadily weighs on both alike), each file's fastest median: the
      // machine's other work only ever adds time
      const turns: Partial<ChildResult>[][] = [[], []];
      for (const j of [0, 1, 1, 0, 0, 1, 1, 0]) turns[j].push(await inChild('growth', j ? bigFile : dbFile));
      const fastest = (rs: Partial<ChildResult>[], key: 'yearMs' | 'days30Ms' | 'days90Ms') => Math.min(...rs.map((x) => x[key]!));
      const growthOf = (key: 'yearMs' | 'days30Ms' | 'days90Ms') => fastest(turns[1], key) / fastest(turns[0], key);
      // a city of 100,000 households, seeded in bulk in a file of its own
      const cityFile = path.join(dir, 'city.sqlite');
      const cityDb = openDb(cityFile, { synchronous: 'NORMAL' });
      const c0 = performance.now();
      seedCity(cityDb, period, now);
      cityDb.$client.close();
      console.log(`seeded a city of 100,000 households, 300,000 cards in ${((performance.now() - c0) / 1000).toFixed(1)} s`);
      const cityRun = (await inChild('city', cityFile)) as ChildResult;
      const city = cityRun.city!;
      rmSync(cityFile, { force: true });
      const cityMs = Math.max(city.yearMs, city.days30Ms, city.days90Ms, city.helperMs);
      const o = r.old!;
      console.log(
        `/stats whole district by town    ${r.statsMs.toFixed(1)} ms median of 41 warm; the first, cold (loads the snapshot): ${r.coldMs.toFixed(1)} ms; ` +
          `right after a card is written: ${r.afterCardMs!.toFixed(1)} ms`,
      );
      console.log(
        `  new / old (rows to JS), same process: year ${r.yearMs.toFixed(1)} / ${o.yearMs.toFixed(1)} ms, 30 days ${r.days30Ms.toFixed(1)} / ${o.days30Ms.toFixed(1)} ms, ` +
          `90 days ${r.days90Ms.toFixed(1)} / ${o.days90Ms.toFixed(1)} ms, by helper ${r.helperMs.toFixed(1)} / ${o.helperMs.toFixed(1)} ms`,
      );
      console.log(`/stats one town by village        ${r.townMs.toFixed(1)} ms median`);
      console.log(`/stats whole district, last 30 days ${r.days30Ms.toFixed(1)} ms, last 90 days ${r.days90Ms.toFixed(1)} ms, year by helper ${r.helperMs.toFixed(1)} ms`);
      const growth = Math.max(growthOf('yearMs'), growthOf('days30Ms'), growthOf('days90Ms'));
      console.log(
        `with 10× the cards                year by town ${b.statsMs.toFixed(1)} ms, 30 days ${b.days30Ms.toFixed(1)} ms, 90 days ${b.days90Ms.toFixed(1)} ms, ` +
          `year by helper ${b.helperMs.toFixed(1)} ms (measured after the seeding: ×${Math.max(b.statsMs / r.statsMs, b.days30Ms / r.days30Ms, b.days90Ms / r.days90Ms).toFixed(2)})`,
      );
      const fig = (rs: Partial<ChildResult>[]) => rs.map((x) => `${x.yearMs!.toFixed(1)} / ${x.days30Ms!.toFixed(1)} / ${x.days90Ms!.toFixed(1)}`).join(', then ');
      console.log(
        `  taking turns, year / 30 / 90 days by town: 60,000 cards ${fig(turns[0])} ms; 600,000 cards ${fig(turns[1])} ms ` +
          `(ratios of the fastest ×${growthOf('yearMs').toFixed(2)} / ×${growthOf('days30Ms').toFixed(2)} / ×${growthOf('days90Ms').toFixed(2)}, largest ×${growth.toFixed(2)})`,
      );
      const cpuOf = (v: number) => Math.min(...turns[1].map((x) => x.cpuMs![v])) / Math.min(...turns[0].map((x) => x.cpuMs![v]));
      console.log(`  the same turns' CPU time (fastest medians): ratios ×${cpuOf(0).toFixed(2)} / ×${cpuOf(1).toFixed(2)} / ×${cpuOf(2).toFixed(2)}`);
      console.log(
        `/stats whole city (100,000 households) year by town ${city.yearMs.toFixed(1)} ms, 30 days ${city.days30Ms.toFixed(1)} ms, ` +
          `90 days ${city.days90Ms.toFixed(1)} ms, year by helper ${city.helperMs.toFixed(1)} ms ` +
          `(old: year by town ${cityRun.old!.yearMs.toFixed(0)} ms, by helper ${cityRun.old!.helperMs.toFixed(0)} ms)`,
      );
      console.log(
        `all-cards export                  ${(ex.exportMs / 1000).toFixed(1)} s (CPU ${(ex.cpuMs / 1000).toFixed(1)} s), sheets of ${ex.sheets} rows, ${ex.fileMb.toFixed(1)} MB file, ` +
          `RSS ${ex.rssBefore.toFixed(0)} → peak ${ex.rssPeak.toFixed(0)} MB (compiled); under tsx ${(exTsx.exportMs / 1000).toFixed(1)} s, ` +
          `RSS ${exTsx.rssBefore.toFixed(0)} → peak ${exTsx.rssPeak.toFixed(0)} MB`,
      );
      return [
        { name: 'stats_db_district_ms', measured: r.statsMs, limit: 30, unit: 'ms' },
        { name: 'stats_db_district_30d_ms', measured: r.days30Ms, limit: 30, unit: 'ms' },
        { name: 'stats_db_district_90d_ms', measured: r.days90Ms, limit: 30, unit: 'ms' },
        { name: 'stats_db_by_helper_ms', measured: r.helperMs, limit: 30, unit: 'ms' },
        { name: 'stats_db_growth_10x_cards', measured: growth, limit: 1.3, unit: 'x' },
        { name: 'stats_db_city_ms', measured: cityMs, limit: 100, unit: 'ms' },
        { name: 'export_cards_rss_mb', measured: ex.rssPeak, limit: 150, unit: 'MB' },
        { name: 'export_cards_s', measured: ex.exportMs / 1000, limit: 20, unit: 's' },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
