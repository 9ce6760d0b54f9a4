import { describe, expect, it } from 'vitest';
import { makeHarness } from '../support/harness.js';
import { householdYears } from '../../src/db/schema.js';

/** household_years must always equal what a full recount of cards gives, whatever wrote the cards. */
describe('household_years, kept by triggers on cards', () => {
  it('follows inserts, updates that move a card between years or modes, and deletes', () => {
    const h = makeHarness();
    const db = h.db.$client;
    const insert = db.prepare(
      "INSERT INTO cards (draft_id, household_id, helper_id, form_id, form_version, visit_date, visit_mode, in_person, answers, revision, submitted_at) VALUES (?, ?, 1, 'dynamic_card', 1, ?, ?, ?, '{}', 1, 0)",
    );
    const recount = () =>
      db
        .prepare(
          'SELECT household_id AS householdId, substr(visit_date, 1, 4) AS year, count(*) AS cards, coalesce(sum(in_person), 0) AS inPerson, ' +
            'max(CASE WHEN in_person THEN visit_date END) AS lastInPerson, max(visit_date) AS lastVisit FROM cards GROUP BY 1, 2 ORDER BY 1, 2',
        )
        .all();
    const kept = () => h.db.select().from(householdYears).orderBy(householdYears.householdId, householdYears.year).all();

    insert.run(1, 1, '2017-03-02', '入户走访', 1);
    insert.run(2, 1, '2017-05-10', '电话联系', 0);
    insert.run(3, 1, '2018-01-03', '入户走访', 1);
    insert.run(4, 2, '2017-12-31', '入户走访', 1);
    expect(kept()).toEqual(recount());
    expect(kept()[0]).toEqual({ householdId: 1, year: '2017', cards: 2, inPerson: 1, lastInPerson: '2017-03-02', lastVisit: '2017-05-10' });

    db.prepare("UPDATE cards SET visit_date = '2018-02-01' WHERE draft_id = 1").run(); // a revision moves a visit to the next year
    db.prepare("UPDATE cards SET in_person = 1, visit_mode = '入户走访' WHERE draft_id = 2").run();
    expect(kept()).toEqual(recount());
    db.prepare('DELETE FROM cards WHERE draft_id = 4').run();
    expect(kept()).toEqual(recount());
    expect(kept().some((r) => r.householdId === 2)).toBe(false);
    db.prepare("UPDATE cards SET answers = '{\"x\":1}' WHERE draft_id = 3").run(); // other columns: nothing to do
    expect(kept()).toEqual(recount());
  });
});
