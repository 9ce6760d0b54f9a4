/**
 * `/stats` counts cards from tallies kept by triggers on cards (household_years for a calendar year, household_days
 * for any other window). The oracle is a recount from the cards themselves (loadStatsData's `recount`): after any
 * sequence of submissions, corrections (date, mode, household moved), deletions and imports (many cards in one
 * transaction), the tallies equal a GROUP BY over cards, and every figure of every period and grouping /stats offers
 * is the same from the tallies as from the recount. The figures /stats shows come from the snapshot (groupedStats);
 * they equal computeStats over the recounted rows for every supervisor scope, every part of it a page can show, every
 * grouping and period, after the roster, flags, drafts, reviews and quiz results change too: as the refreshes left
 * the snapshot, and laid out again with small recent slots, so that periods reach past a slot's edge.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeStats, type GroupBy } from '../../src/core/stats/index.js';
import { DAY_MS, localDateToEpoch, zonedYearPeriod, type Period } from '../../src/core/visits/pacing.js';
import { loadStatsData } from '../../src/db/stats-repo.js';
import { groupedStats, statsSnapshot } from '../../src/db/stats-snapshot-repo.js';
import { compactDays } from '../../src/core/stats/snapshot.js';
import type { Scope, SupervisorScope } from '../../src/core/people/scope.js';
import type { Db } from '../../src/db/client.js';
import { scopeWithin } from '../../src/db/scope-repo.js';
import { makeHarness } from '../support/harness.js';

const TZ = 'Asia/Shanghai';
const GUARANTEES = ['food_status', 'clothing_status', 'education_status', 'medical_status', 'housing_status', 'water_status'];
/** days from 2016-11-01 to 2018-02-28: cards either side of the year and of the windows' edges */
const FIRST_DAY = localDateToEpoch('2016-11-01', TZ);
const DAYS = 485;
const dayOf = (n: number) => new Date(FIRST_DAY + n * DAY_MS + 8 * 3600_000).toISOString().slice(0, 10);

const dayIndex = (date: string) => Math.round((localDateToEpoch(date, TZ) - FIRST_DAY) / DAY_MS);
/** the first days of the periods compared below (2017, 2016's last day, the last 90 and 30 days) and the days before */
const EDGE_DAYS = ['2016-12-31', '2017-01-01', '2017-09-03', '2017-09-04', '2017-11-01', '2017-11-02'].map(dayIndex);

const card = fc.record({
  household: fc.nat(),
  // a card on a period's first day or the day before now and then: that day is then often a recent slot's edge
  day: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: DAYS - 1 }) }, { weight: 1, arbitrary: fc.constantFrom(...EDGE_DAYS) }),
  inPerson: fc.boolean(),
  failed: fc.subarray(GUARANTEES, { maxLength: 2 }),
});
const op = fc.oneof(
  { weight: 5, arbitrary: card.map((c) => ({ kind: 'submit' as const, c })) },
  { weight: 2, arbitrary: fc.array(card, { minLength: 2, maxLength: 12 }).map((cs) => ({ kind: 'import' as const, cs })) },
  { weight: 2, arbitrary: fc.record({ pick: fc.nat(), day: fc.integer({ min: 0, max: DAYS - 1 }) }).map((x) => ({ kind: 'redate' as const, ...x })) },
  { weight: 1, arbitrary: fc.nat().map((pick) => ({ kind: 'mode' as const, pick })) },
  { weight: 1, arbitrary: fc.record({ pick: fc.nat(), household: fc.nat() }).map((x) => ({ kind: 'move' as const, ...x })) },
  { weight: 2, arbitrary: fc.nat().map((pick) => ({ kind: 'delete' as const, pick })) },
  // the roster and supervision around the cards
  { weight: 2, arbitrary: fc.record({ helper: fc.nat(), household: fc.nat() }).map((x) => ({ kind: 'pair' as const, ...x })) },
  { weight: 1, arbitrary: fc.nat().map((pick) => ({ kind: 'unpair' as const, pick })) },
  { weight: 2, arbitrary: fc.record({ helper: fc.nat(), unit: fc.nat() }).map((x) => ({ kind: 'unit' as const, ...x })) },
  { weight: 1, arbitrary: fc.nat().map((helper) => ({ kind: 'revoke' as const, helper })) },
  { weight: 1, arbitrary: fc.record({ pick: fc.nat(), code: fc.constantFrom('income_drop', 'no_visit') }).map((x) => ({ kind: 'flag' as const, ...x })) },
  { weight: 1, arbitrary: fc.nat().map((pick) => ({ kind: 'resolve' as const, pick })) },
  { weight: 1, arbitrary: fc.record({ household: fc.nat(), day: fc.integer({ min: 0, max: DAYS - 1 }), revise: fc.boolean() }).map((x) => ({ kind: 'draft' as const, ...x })) },
  { weight: 1, arbitrary: fc.record({ pick: fc.nat(), status: fc.constantFrom('sent', 'opened', 'revised') }).map((x) => ({ kind: 'review' as const, ...x })) },
  { weight: 1, arbitrary: fc.record({ day: fc.integer({ min: 0, max: DAYS - 1 }), results: fc.array(fc.option(fc.integer({ min: 0, max: 5 })), { minLength: 1, maxLength: 8 }) }).map((x) => ({ kind: 'quiz' as const, ...x })) },
);
const windows = fc.record({ from: fc.integer({ min: 0, max: DAYS - 1 }), length: fc.integer({ min: 1, max: 200 }) });

/** household_failures recounted from the cards: failed items on each household's latest day, as a mask. */
function failureRecount(db: import('better-sqlite3').Database): unknown[] {
  const rows = db.prepare('SELECT household_id, visit_date, answers FROM cards ORDER BY household_id, visit_date').raw().all() as [number, string, string][];
  const latest = new Map<number, { d: string; mask: number }>();
  for (const [hid, d, answers] of rows) {
    const a = JSON.parse(answers) as Record<string, unknown>;
    const mask = GUARANTEES.reduce((m, g, i) => (a[g] === '不达标' ? m | (1 << i) : m), 0);
    const l = latest.get(hid);
    if (!l || d > l.d) latest.set(hid, { d, mask });
    else if (d === l.d) l.mask |= mask;
  }
  return [...latest].filter(([, l]) => l.mask).map(([hid, l]) => [hid, l.mask]);
}

/** Whether `scope` lies inside a supervisor's (as the use case's scope check decides it). */
function within(sup: SupervisorScope, scope: Scope, db: Db): boolean {
  return scopeWithin(db, sup, scope);
}

describe('stats tallies equal a recount of the cards', () => {
  it('after any sequence of submissions, corrections, deletions and imports, for every period and grouping', () => {
    fc.assert(
      // slot: records per household in the snapshot's recent slots when it is laid out again for a second comparison
      // (2: the latest tally alone, so that most windows reach past the slot's edge)
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), windows, fc.array(fc.nat(), { minLength: 3, maxLength: 3 }), fc.integer({ min: 0, max: DAYS - 1 }), fc.integer({ min: 2, max: 5 }), (ops, custom, picks, today, slot) => {
        const h = makeHarness();
        const db = h.db.$client;
        const households = (db.prepare('SELECT id FROM households ORDER BY id').raw().all() as [number][]).map((r) => r[0]);
        const helpers = (db.prepare("SELECT person_id FROM person_roles WHERE role = 'helper' ORDER BY 1").raw().all() as [number][]).map((r) => r[0]);
        const people = (db.prepare('SELECT id FROM people ORDER BY id').raw().all() as [number][]).map((r) => r[0]);
        const units = (db.prepare('SELECT id FROM units ORDER BY id').raw().all() as [number][]).map((r) => r[0]);
        const helper = helpers[0];
        let pushes = 0;
        let draft = 1000;
        const insert = db.prepare(
          "INSERT INTO cards (draft_id, household_id, helper_id, form_id, form_version, visit_date, visit_mode, in_person, answers, revision, submitted_at) VALUES (?, ?, ?, 'dynamic_card', 1, ?, ?, ?, ?, 1, 0)",
        );
        const submit = (c: { household: number; day: number; inPerson: boolean; failed: string[] }) =>
          insert.run(++draft, households[c.household % households.length], helper, dayOf(c.day), c.inPerson ? '入户走访' : '电话联系', c.inPerson ? 1 : 0,
            JSON.stringify(Object.fromEntries(GUARANTEES.map((g) => [g, c.failed.includes(g) ? '不达标' : '达标']))));
        const ids = () => (db.prepare('SELECT id FROM cards ORDER BY id').raw().all() as [number][]).map((r) => r[0]);
        const pick = (n: number) => {
          const all = ids();
          return all.length ? all[n % all.length] : undefined;
        };
        // the snapshot /stats reads is loaded now and refreshed from stats_changes as the operations go on: the
        // comparisons below check what the refreshes made of it, not a fresh load
        const refresh = () => groupedStats(h.db, { supervisor: { kind: 'district' }, scope: { kind: 'district' }, groupBy: 'town', period: zonedYearPeriod(2017, TZ), now: FIRST_DAY }, TZ);
        refresh();
        for (const [n, o] of ops.entries()) {
          if (n % 2) refresh();
          if (o.kind === 'submit') submit(o.c);
          else if (o.kind === 'import') db.transaction(() => o.cs.forEach(submit))();
          else if (o.kind === 'pair') {
            db.prepare("INSERT INTO pairings (helper_id, household_id, start_date) VALUES (?, ?, '2017-01-01') ON CONFLICT DO UPDATE SET end_date = NULL")
              .run(helpers[o.helper % helpers.length], households[o.household % households.length]);
          } else if (o.kind === 'unpair') {
            const all = db.prepare('SELECT rowid FROM pairings WHERE end_date IS NULL ORDER BY rowid').raw().all() as [number][];
            if (all.length) db.prepare("UPDATE pairings SET end_date = '2017-06-01' WHERE rowid = ?").run(all[o.pick % all.length][0]);
          } else if (o.kind === 'unit') {
            // a helper moved to another unit, or to none
            const u = o.unit % (units.length + 1);
            db.prepare('UPDATE people SET unit_id = ? WHERE id = ?').run(u === units.length ? null : units[u], helpers[o.helper % helpers.length]);
          } else if (o.kind === 'revoke') {
            db.prepare('UPDATE people SET revoked_at = CASE WHEN revoked_at IS NULL THEN 1 END WHERE id = ?').run(helpers[o.helper % helpers.length]);
          } else if (o.kind === 'draft') {
            const revise = o.revise ? (pick(0) ?? null) : null;
            db.prepare("INSERT INTO card_drafts (household_id, helper_id, form_id, form_version, state, status, revise_card_id, started_at, updated_at) VALUES (?, ?, 'dynamic_card', 1, '{}', 'open', ?, ?, 0)")
              .run(households[o.household % households.length], helper, revise, FIRST_DAY + o.day * DAY_MS + 3600_000);
          } else if (o.kind === 'quiz') {
            // a push to some people (helpers and others), some of whom finished it with a score
            const created = FIRST_DAY + o.day * DAY_MS;
            const push = Number(db.prepare("INSERT INTO quiz_pushes (trainer_id, questions, selection, audience, deadline, created_at) VALUES (?, ?, '{}', '{}', ?, ?)")
              .run(people[0], JSON.stringify([{ id: 'q1', v: 1 }, { id: 'q2', v: 1 }, { id: 'q3', v: 1 }]), created + DAY_MS, created).lastInsertRowid);
            pushes++;
            o.results.forEach((r, i) => {
              const person = people[(i + pushes) % people.length];
              db.prepare("INSERT OR IGNORE INTO quiz_deliveries (push_id, person_id, status) VALUES (?, ?, 'sent')").run(push, person);
              if (r !== null) {
                db.prepare("INSERT OR IGNORE INTO quiz_attempts (person_id, push_id, kind, questions, position, shown_at, started_at, finished_at, correct_count) VALUES (?, ?, 'push', '[]', 3, 0, 0, ?, ?)")
                  .run(person, push, r > 3 ? null : created + 1000, Math.min(r, 3));
              }
            });
          } else if (o.kind === 'resolve') {
            const all = db.prepare('SELECT id FROM card_flags WHERE resolved_at IS NULL ORDER BY id').raw().all() as [number][];
            if (all.length) db.prepare('UPDATE card_flags SET resolved_at = 1 WHERE id = ?').run(all[o.pick % all.length][0]);
          } else {
            const id = pick(o.pick);
            if (id === undefined) continue;
            if (o.kind === 'redate') db.prepare('UPDATE cards SET visit_date = ? WHERE id = ?').run(dayOf(o.day), id);
            else if (o.kind === 'mode') db.prepare('UPDATE cards SET in_person = 1 - in_person WHERE id = ?').run(id);
            else if (o.kind === 'flag') {
              db.prepare("INSERT INTO card_flags (card_id, household_id, code, level, created_at) SELECT id, household_id, ?, 'high', 0 FROM cards WHERE id = ?").run(o.code, id);
            } else if (o.kind === 'review') {
              db.prepare("INSERT INTO card_reviews (card_id, household_id, supervisor_id, helper_id, field_path, comment, status, created_at) SELECT id, household_id, ?, helper_id, 'food_status', '请核实', ?, 0 FROM cards WHERE id = ?")
                .run(people[people.length - 1], o.status, id);
            } else if (o.kind === 'move') db.prepare('UPDATE cards SET household_id = ? WHERE id = ?').run(households[o.household % households.length], id);
            else {
              // a card deleted with what points at it
              for (const t of ['card_flags', 'card_reviews']) db.prepare(`DELETE FROM ${t} WHERE card_id = ?`).run(id);
              db.prepare('UPDATE card_drafts SET revise_card_id = NULL WHERE revise_card_id = ?').run(id);
              db.prepare('DELETE FROM cards WHERE id = ?').run(id);
            }
          }
        }
        const kept = db.prepare('SELECT household_id, day, cards, in_person FROM household_days ORDER BY 1, 2').raw().all();
        const recount = db.prepare('SELECT household_id, visit_date, count(*), sum(in_person) FROM cards GROUP BY 1, 2 ORDER BY 1, 2').raw().all();
        expect(kept).toEqual(recount);

        const now = localDateToEpoch('2017-12-01', TZ) + 10 * 3600_000;
        const end = localDateToEpoch('2017-12-02', TZ);
        const customFrom = FIRST_DAY + custom.from * DAY_MS;
        const periods: Period[] = [
          zonedYearPeriod(2017, TZ),
          zonedYearPeriod(2016, TZ),
          { startAt: end - 30 * DAY_MS, endAt: end },
          { startAt: end - 90 * DAY_MS, endAt: end },
          { startAt: customFrom, endAt: customFrom + custom.length * DAY_MS },
        ];
        const kept2 = db.prepare('SELECT household_id, mask FROM household_failures ORDER BY 1').raw().all();
        expect(kept2).toEqual(failureRecount(db));
        const idsOf = (table: string) => (db.prepare(`SELECT id FROM ${table} ORDER BY id`).raw().all() as [number][]).map((r) => r[0]);
        const supervisors: SupervisorScope[] = [
          { kind: 'district' },
          ...idsOf('towns').map((id) => ({ kind: 'town' as const, id })),
          ...idsOf('units').map((id) => ({ kind: 'unit' as const, id })),
        ];
        // every part a page may show inside a supervisor's scope (the use case checks it lies inside)
        const parts: Scope[] = [
          { kind: 'district' },
          ...idsOf('towns').map((id) => ({ kind: 'town' as const, id })),
          ...idsOf('villages').map((id) => ({ kind: 'village' as const, id })),
          ...idsOf('units').map((id) => ({ kind: 'unit' as const, id })),
          ...helpers.map((id) => ({ kind: 'helper' as const, id })),
        ];
        const recounts = periods.map((period) => ({
          district: loadStatsData(h.db, { kind: 'district' }, period, TZ, { recount: true }),
          bySupervisor: supervisors.map((sup) => loadStatsData(h.db, sup, period, TZ, { recount: true })),
        }));
        // every supervisor's page and parts of it from the snapshot equal the definition over the recounted rows
        const compare = (layout: string) => {
          for (const [i, period] of periods.entries()) {
            // the windows are judged at their end, as /stats judges them, the years on any day (early on nobody is
            // overdue yet); a target scaled to the window
            const judged = i >= 2 ? period.endAt : FIRST_DAY + today * DAY_MS + 10 * 3600_000;
            const target = i === 2 ? 1 : i === 3 ? 2 : 6;
            for (const [k, sup] of supervisors.entries()) {
              const rows = recounts[i].bySupervisor[k];
              // the supervisor's own page and a few parts inside it
              const inside = parts.filter((p) => within(sup, p, h.db));
              for (const scope of [sup, ...picks.map((n) => inside[n % inside.length])]) {
                for (const groupBy of ['unit', 'town', 'village', 'helper'] as GroupBy[]) {
                  const opts = { scope, groupBy, period, now: judged, target, labels: rows.names[groupBy] as Map<number | string, string> };
                  const grouped = groupedStats(h.db, { supervisor: sup, ...opts }, TZ);
                  expect(grouped, JSON.stringify({ layout, sup, scope, groupBy, period: i })).toEqual(computeStats(rows.input, opts));
                }
              }
            }
          }
        };
        for (const [i, period] of periods.entries()) {
          const fromTallies = loadStatsData(h.db, { kind: 'district' }, period, TZ);
          for (const groupBy of ['unit', 'town', 'village', 'helper'] as GroupBy[]) {
            const opts = { scope: { kind: 'district' } as const, groupBy, period, now, target: 6 };
            expect(computeStats(fromTallies.input, opts)).toEqual(computeStats(recounts[i].district.input, opts));
          }
        }
        // the snapshot as the refreshes left it (households changed since its last load on lists of their own), then
        // every household laid out again with recent slots of `slot` records: periods inside a slot, across its edge
        // (the custom window, last year, often the year and 90 days) and ending before a household's latest tally
        compare('as refreshed');
        compactDays(statsSnapshot(h.db), slot);
        expect(statsSnapshot(h.db).dRecentSlot).toBe(slot);
        compare(`laid out, slots of ${slot}`);
      }),
      { numRuns: 25, seed: 15 },
    );
  }, 180_000);
});

describe('/stats summed in SQL: the rules the random sequences rarely reach', () => {
  it('a helper whose unit has no town is counted in the town of their first household, as computeStats counts them', () => {
    const h = makeHarness();
    const db = h.db.$client;
    // helper 1 (households 1–3, town 1) moves to a unit without a town and takes household 6 (town 2) too
    const unitWithoutTown = (db.prepare('SELECT id FROM units WHERE town_id IS NULL').raw().get() as [number])[0];
    db.prepare('UPDATE people SET unit_id = ? WHERE id = 1').run(unitWithoutTown);
    db.prepare("INSERT INTO pairings (helper_id, household_id, start_date) VALUES (1, 6, '2017-01-01')").run();
    const period = zonedYearPeriod(2017, TZ);
    const opts = { scope: { kind: 'district' } as const, groupBy: 'town' as const, period, now: period.startAt + 100 * DAY_MS, target: 6 };
    const grouped = groupedStats(h.db, { supervisor: { kind: 'district' }, ...opts }, TZ);
    expect(grouped).toEqual(computeStats(loadStatsData(h.db, { kind: 'district' }, period, TZ, { recount: true }).input, opts));
    expect(grouped.groups.map((g) => [g.key, g.helpers.total])).toEqual([[1, 2], [2, 1]]);
  });
});
