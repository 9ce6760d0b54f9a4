/**
 * The web dashboard on a 10,000-household district (3,000 helpers, 300 villages, 60,000 cards, 4,000 open flags),
 * over real HTTP in this process, side by side with the bot answering card steps in the same process:
 * - dashboard_page_median_ms: the slowest page's median (home; district by town, by village, by helper; flags; one
 *   flag; one card; review queue; the map of every household; exports; requirements: a supervisor's nav), each fetched with
 *   a session cookie and rendered in full;
 * - card_step_worst_wait_under_dashboard_ms: a card answer through the bot (step 50 of a 100-field form,
 *   synchronous=FULL, median) plus the longest time a page held the event loop: one process serves both, so that is
 *   how long an answer arriving during the slowest page waits at worst.
 * Cards here carry a short set of answers (the guarantee items), not a whole card: the stats bench measures big ones.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { BenchModule, BenchTarget } from './types.js';
import { measureInterleaved } from './card.bench.js';
import { Metrics } from '../src/app/metrics.js';
import { statsPage } from '../src/app/stats/page.js';
import { actorByPersonId } from '../src/db/people-repo.js';
import { loadConfig } from '../src/config.js';
import { loadContent } from '../src/content/index.js';
import { localDate } from '../src/core/time.js';
import { zonedYearPeriod } from '../src/core/visits/pacing.js';
import { seededRandom } from '../src/core/quiz/random.js';
import { openDb, type Db } from '../src/db/client.js';
import { createWebSession } from '../src/db/web-auth-repo.js';
import { createTranslator } from '../src/i18n.js';
import { createLogger } from '../src/logger.js';
import { createWebApp } from '../src/web/server.js';
import { offThreadReports } from '../src/app/stats/off-thread.js';

const TOWNS = 20;
const VILLAGES = 300;
const UNITS = 120;
const HELPERS = 3_000;
const HOUSEHOLDS = 10_000;
const CARDS = 60_000;
const FLAGS = 4_000;
const TZ = 'Asia/Shanghai';
const NOW = Date.parse('2017-11-15T02:00:00Z');
const ROUNDS = 15;

function seed(db: Db): number {
  const r = seededRandom(2017);
  const pick = (n: number) => Math.floor(r() * n);
  const c = db.$client;
  const start = zonedYearPeriod(2017, TZ).startAt;
  const supervisor = HELPERS + 1;
  c.transaction(() => {
    const town = c.prepare('INSERT INTO towns (id, code, name) VALUES (?, ?, ?)');
    for (let i = 1; i <= TOWNS; i++) town.run(i, `T${i}`, `第${i}镇`);
    const village = c.prepare('INSERT INTO villages (id, code, name, town_id) VALUES (?, ?, ?, ?)');
    for (let i = 1; i <= VILLAGES; i++) village.run(i, `V${i}`, `第${i}村`, ((i - 1) % TOWNS) + 1);
    const unit = c.prepare('INSERT INTO units (id, code, name, town_id) VALUES (?, ?, ?, ?)');
    for (let i = 1; i <= UNITS; i++) unit.run(i, `U${i}`, `第${i}单位`, ((i - 1) % TOWNS) + 1);
    const person = c.prepare('INSERT INTO people (id, code, name, phone, unit_id, created_at) VALUES (?, ?, ?, ?, ?, 0)');
    const role = c.prepare("INSERT INTO person_roles (person_id, role) VALUES (?, 'helper')");
    for (let i = 1; i <= HELPERS; i++) {
      person.run(i, `P${i}`, `帮扶人${i}`, null, ((i - 1) % UNITS) + 1);
      role.run(i);
    }
    person.run(supervisor, 'SUP', '区督导', null, 1);
    c.prepare("INSERT INTO person_roles (person_id, role, scope_kind) VALUES (?, 'supervisor', 'district')").run(supervisor);
    const hh = c.prepare("INSERT INTO households (id, code, head_name, village_id, attribute, status, cause_main) VALUES (?, ?, ?, ?, '一般贫困户', '未脱贫', '因病')");
    const pair = c.prepare("INSERT OR IGNORE INTO pairings (helper_id, household_id, start_date) VALUES (?, ?, '2017-01-01')");
    const helperOf: number[] = [];
    for (let i = 1; i <= HOUSEHOLDS; i++) {
      hh.run(i, `H${i}`, `户主${i}`, ((i - 1) % VILLAGES) + 1);
      helperOf[i] = pick(HELPERS) + 1;
      pair.run(helperOf[i], i);
    }
    const card = c.prepare(
      "INSERT INTO cards (id, draft_id, household_id, helper_id, form_id, form_version, visit_date, visit_mode, in_person, answers, revision, submitted_at) VALUES (?, ?, ?, ?, 'dynamic_card', 1, ?, ?, ?, ?, 1, ?)",
    );
    for (let i = 1; i <= CARDS; i++) {
      const household = pick(HOUSEHOLDS) + 1;
      const at = start + Math.floor(r() * (NOW - start));
      const date = localDate(at, TZ);
      const inPerson = r() < 0.8;
      const answers: Record<string, string> = { visit_date: date, visit_mode: inPerson ? '入户走访' : '电话联系', household_code: `H${household}` };
      for (const g of ['food_status', 'clothing_status', 'education_status', 'medical_status', 'housing_status', 'water_status']) answers[g] = r() < 0.03 ? '不达标' : '达标';
      card.run(i, i, household, helperOf[household], date, answers.visit_mode, inPerson ? 1 : 0, JSON.stringify(answers), at);
    }
    const flag = c.prepare("INSERT INTO card_flags (card_id, household_id, code, level, created_at) VALUES (?, ?, 'guarantee_failed_food', 'high', 0)");
    for (let i = 1; i <= FLAGS; i++) {
      const cardId = pick(CARDS) + 1;
      flag.run(cardId, (c.prepare('SELECT household_id AS h FROM cards WHERE id = ?').get(cardId) as { h: number }).h);
    }
  })();
  return supervisor;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export const bench: BenchModule = {
  title: 'Web dashboard on a 10,000-household district (ms per page, median) beside card steps in the same process',
  async run(): Promise<BenchTarget[]> {
    const dir = mkdtempSync(join(tmpdir(), 'bench-dashboard-'));
    const cfg = loadConfig({ DATABASE_PATH: join(dir, 'db.sqlite'), LOG_LEVEL: 'silent', PORT: '1' });
    const content = loadContent('content');
    if (!cfg.ok || !content.ok) throw new Error('config or content');
    const db = openDb(cfg.config.databasePath);
    const supervisor = seed(db);
    const log = createLogger(process.env.BENCH_LOG ?? 'silent');
    const deps = { config: cfg.config, db, content: content.content, log, now: () => NOW, notifier: { send: () => Promise.resolve({ status: 'sent' as const }) } };
    // as the running bot serves them: /stats pages computed in the report worker
    const reports = offThreadReports(deps);
    const app = createWebApp({
      log,
      health: { db, metrics: new Metrics(), updateQueueDepth: () => 0, backupDir: dir, now: () => NOW },
      dashboard: { ...deps, reports, i18n: createTranslator('zh-CN'), botToken: undefined, secureCookies: false },
    });
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
    await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { token } = createWebSession(db, supervisor, 'link', 'zh-CN', NOW, 3600_000);
    const cookie = `bangfu_session=${token}`;
    const flagId = (db.$client.prepare('SELECT id FROM card_flags ORDER BY id LIMIT 1').get() as { id: number }).id;
    const cardId = (db.$client.prepare('SELECT card_id AS c FROM card_flags WHERE id = ?').get(flagId) as { c: number }).c;
    // every page of the nav (the map draws all 10,000 households), and a flag and its card
    const pages = [
      '/web', '/web/stats', '/web/stats?v=y.v.d.0', '/web/stats?v=y.h.d.0&sort=visits&dir=desc', '/web/flags', `/web/flags/${flagId}`, `/web/cards/${cardId}`,
      '/web/review', '/web/map', '/web/export', '/web/requirements',
    ];
    const get = async (path: string) => {
      const t0 = performance.now();
      const res = await fetch(base + path, { headers: { cookie } });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.slice(0, 200)}`);
      return performance.now() - t0;
    };
    const times = new Map<string, number[]>(pages.map((p) => [p, []]));
    const loopHeld = monitorEventLoopDelay({ resolution: 5 });
    loopHeld.enable();
    for (let i = 0; i < ROUNDS + 2; i++) for (const p of pages) {
      const ms = await get(p);
      if (i >= 2) times.get(p)!.push(ms);
    }
    for (const p of pages) console.log(`  ${p.padEnd(44)} ${median(times.get(p)!).toFixed(1)} ms`);
    // how much of a stats page is the use case itself (the same call /stats makes in chat)
    const actor = actorByPersonId(db, supervisor)!;
    for (const v of [undefined, 'y.v.d.0', 'y.h.d.0']) {
      const xs: number[] = [];
      for (let i = 0; i < 7; i++) {
        const t0 = performance.now();
        statsPage(deps, actor, v?.split('.'));
        xs.push(performance.now() - t0);
      }
      console.log(`  statsPage use case alone (${v ?? 'first page'}): ${median(xs).toFixed(1)} ms`);
    }
    loopHeld.disable();
    const slowest = Math.max(...pages.map((p) => median(times.get(p)!)));

    const quiet = await measureInterleaved('FULL', [50]);
    const stepMs = quiet.card.get(50)! / 1000;
    // one process: a card answer that arrives while a page is being computed waits for it (the event loop is held)
    const worst = loopHeld.max / 1e6;
    console.log(`  event loop held by a page: up to ${worst.toFixed(0)} ms (p99 ${(loopHeld.percentile(99) / 1e6).toFixed(0)} ms)`);
    console.log(`  card step 50 through the bot: ${stepMs.toFixed(2)} ms alone; at worst ${(stepMs + worst).toFixed(0)} ms when it arrives during the slowest page`);
    await new Promise((r) => server.close(r));
    console.log(`  /stats pages computed in the report worker: ${reports.counts().worker}, on the main thread: ${reports.counts().here}`);
    await reports.close();
    db.$client.close();
    return [
      { name: 'dashboard_page_median_ms', measured: slowest, limit: 200, unit: 'ms' },
      { name: 'card_step_worst_wait_under_dashboard_ms', measured: stepMs + worst, limit: 200, unit: 'ms' },
    ];
  },
};

if (process.argv[1]?.endsWith('dashboard.bench.ts')) {
  for (const t of await bench.run()) console.log(`TARGET ${t.name} ${t.measured.toFixed(2)} ${t.limit} ${t.measured <= t.limit ? 'PASS' : 'FAIL'}`);
}
