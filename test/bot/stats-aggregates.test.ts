/**
 * `/stats` counts cards from tallies kept by triggers on cards (household_years for a calendar year, household_days
 * for any other window). The oracle is a recount from the cards themselves (loadStatsData's `recount`): after any
 * sequence of submissions, corrections (date, mode, household moved), deletions and imports (many cards in one
 * transaction), the tallies equal a GROUP BY over cards, and every figure of every period and grouping /stats offers
 * is the same from the tallies as from the recount.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeStats, type GroupBy } from '../../src/core/stats/index.js';
import { DAY_MS, localDateToEpoch, zonedYearPeriod, type Period } from '../../src/core/visits/pacing.js';
import { loadStatsData } from '../../src/db/stats-repo.js';
import { makeHarness } from '../support/harness.js';

const TZ = 'Asia/Shanghai';
const GUARANTEES = ['food_status', 'clothing_status', 'education_status', 'medical_status', 'housing_status', 'water_status'];
/** days from 2016-11-01 to 2018-02-28: cards either side of the year and of the windows' edges */
const FIRST_DAY = localDateToEpoch('2016-11-01', TZ);
const DAYS = 485;
const dayOf = (n: number) => new Date(FIRST_DAY + n * DAY_MS + 8 * 3600_000).toISOString().slice(0, 10);

const card = fc.record({
  household: fc.nat(),
  day: fc.integer({ min: 0, max: DAYS - 1 }),
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
);
const windows = fc.record({ from: fc.integer({ min: 0, max: DAYS - 1 }), length: fc.integer({ min: 1, max: 200 }) });

describe('stats tallies equal a recount of the cards', () => {
  it('after any sequence of submissions, corrections, deletions and imports, for every period and grouping', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), windows, (ops, custom) => {
        const h = makeHarness();
        const db = h.db.$client;
        const households = (db.prepare('SELECT id FROM households ORDER BY id').raw().all() as [number][]).map((r) => r[0]);
        const helper = (db.prepare("SELECT person_id FROM person_roles WHERE role = 'helper' LIMIT 1").raw().get() as [number])[0];
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
        for (const o of ops) {
          if (o.kind === 'submit') submit(o.c);
          else if (o.kind === 'import') db.transaction(() => o.cs.forEach(submit))();
          else {
            const id = pick(o.pick);
            if (id === undefined) continue;
            if (o.kind === 'redate') db.prepare('UPDATE cards SET visit_date = ? WHERE id = ?').run(dayOf(o.day), id);
            else if (o.kind === 'mode') db.prepare('UPDATE cards SET in_person = 1 - in_person WHERE id = ?').run(id);
            else if (o.kind === 'move') db.prepare('UPDATE cards SET household_id = ? WHERE id = ?').run(households[o.household % households.length], id);
            else db.prepare('DELETE FROM cards WHERE id = ?').run(id);
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
        for (const period of periods) {
          const fromTallies = loadStatsData(h.db, { kind: 'district' }, period, TZ);
          const fromCards = loadStatsData(h.db, { kind: 'district' }, period, TZ, { recount: true });
          for (const groupBy of ['unit', 'town', 'village', 'helper'] as GroupBy[]) {
            const opts = { scope: { kind: 'district' } as const, groupBy, period, now, target: 6 };
            expect(computeStats(fromTallies.input, opts)).toEqual(computeStats(fromCards.input, opts));
          }
        }
      }),
      { numRuns: 25, seed: 15 },
    );
  });
});
