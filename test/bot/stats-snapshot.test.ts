/**
 * The `/stats` snapshot is refreshed from stats_changes: only what changed is read again, a change of structure reloads
 * it whole, and a reader so far behind that the rows it needs were pruned reloads it whole too. After each step the
 * report equals computeStats over the recounted rows (the oracle of stats-aggregates.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { computeStats } from '../../src/core/stats/index.js';
import { DAY_MS, zonedYearPeriod } from '../../src/core/visits/pacing.js';
import { loadStatsData } from '../../src/db/stats-repo.js';
import { groupedStats, statsSnapshot } from '../../src/db/stats-snapshot-repo.js';
import { makeHarness, type Harness } from '../support/harness.js';
import { compactDays } from '../../src/core/stats/snapshot.js';
import type { SupervisorScope } from '../../src/core/people/scope.js';
import { scopeSql } from '../../src/db/scope-sql.js';
import { groupLabels } from '../../src/db/stats-names-repo.js';

const TZ = 'Asia/Shanghai';
const period = zonedYearPeriod(2017, TZ);
const now = period.startAt + 300 * DAY_MS;

function expectOracle(h: Harness): void {
  for (const groupBy of ['town', 'helper', 'unit'] as const) {
    const opts = { scope: { kind: 'district' } as const, groupBy, period, now, target: 6 };
    const report = groupedStats(h.db, { supervisor: { kind: 'district' }, ...opts }, TZ);
    expect(report, groupBy).toEqual(computeStats(loadStatsData(h.db, { kind: 'district' }, period, TZ, { recount: true }).input, opts));
  }
}

function cardWriter(h: Harness) {
  const db = h.db.$client;
  const [helper] = db.prepare("SELECT person_id FROM person_roles WHERE role = 'helper' ORDER BY 1").raw().get() as [number];
  let draft = 5000;
  const insert = db.prepare(
    "INSERT INTO cards (draft_id, household_id, helper_id, form_id, form_version, visit_date, visit_mode, in_person, answers, revision, submitted_at) VALUES (?, ?, ?, 'dynamic_card', 1, ?, '入户走访', 1, ?, 1, 0)",
  );
  return (household: number, date: string, failed = false) =>
    Number(insert.run(++draft, household, helper, date, JSON.stringify({ food_status: failed ? '不达标' : '达标' })).lastInsertRowid);
}

describe('the /stats snapshot', () => {
  it('reads again only the households a card changed; a pairing reloads it whole', () => {
    const h = makeHarness();
    const db = h.db.$client;
    const submit = cardWriter(h);
    expectOracle(h);
    const loaded = statsSnapshot(h.db);
    const households = loaded.hId;
    const id = submit(1, '2017-10-20', true);
    db.prepare("INSERT INTO card_flags (card_id, household_id, code, level, created_at) VALUES (?, 1, 'income_drop', 'high', 0)").run(id);
    db.prepare("INSERT INTO card_reviews (card_id, household_id, supervisor_id, helper_id, field_path, comment, status, created_at) SELECT id, household_id, helper_id, helper_id, 'food_status', '请核实', 'sent', 0 FROM cards WHERE id = ?").run(id);
    expectOracle(h);
    expect(statsSnapshot(h.db).hId).toBe(households);
    const s = statsSnapshot(h.db);
    expect(s.extras.get(s.hIndex.get(1)!)?.flags).toEqual(['income_drop']);
    db.prepare("UPDATE card_reviews SET status = 'revised' WHERE card_id = ?").run(id);
    db.prepare('UPDATE card_flags SET resolved_at = 1 WHERE card_id = ?').run(id);
    db.prepare("UPDATE cards SET visit_date = '2017-10-25', in_person = 0 WHERE id = ?").run(id);
    expectOracle(h);
    expect(statsSnapshot(h.db).hId).toBe(households);
    db.prepare("INSERT INTO pairings (helper_id, household_id, start_date) VALUES ((SELECT person_id FROM person_roles WHERE role = 'helper' ORDER BY 1 DESC LIMIT 1), 1, '2017-01-01')").run();
    expectOracle(h);
    expect(statsSnapshot(h.db).hId).not.toBe(households);
    // the changed households' tallies laid out again among the others
    submit(3, '2017-08-08');
    expectOracle(h);
    expect(statsSnapshot(h.db).dChanged.size).toBeGreaterThan(0);
    compactDays(statsSnapshot(h.db));
    expect(statsSnapshot(h.db).dChanged.size).toBe(0);
    expectOracle(h);
  });

  it("counts a visit on the year's first day and not one on the day before in the year's sums kept by household", () => {
    const h = makeHarness();
    const submit = cardWriter(h);
    submit(2, '2016-12-31');
    submit(2, '2017-01-01');
    submit(3, '2016-12-31');
    submit(3, '2017-06-30');
    // laid out again: the households' year sums are made from their tallies (a changed household keeps its own list)
    compactDays(statsSnapshot(h.db));
    expect(statsSnapshot(h.db).dYearFrom).toBe(20170101);
    expect(statsSnapshot(h.db).dChanged.size).toBe(0);
    expectOracle(h);
  });

  it("follows each quiz push's deliveries and finished attempts", () => {
    const h = makeHarness();
    const db = h.db.$client;
    expectOracle(h);
    const people = (db.prepare('SELECT id FROM people ORDER BY id').raw().all() as [number][]).map((r) => r[0]);
    const pushes: number[] = [];
    for (let k = 0; k < 3; k++) {
      const at = period.startAt + (100 + k) * DAY_MS;
      const push = Number(
        db.prepare("INSERT INTO quiz_pushes (trainer_id, questions, selection, audience, deadline, created_at) VALUES (?, '[1,2,3]', '{}', '{}', ?, ?)").run(people[0], at + DAY_MS, at).lastInsertRowid,
      );
      pushes.push(push);
      for (const person of people) db.prepare("INSERT INTO quiz_deliveries (push_id, person_id, status) VALUES (?, ?, 'sent')").run(push, person);
      expectOracle(h);
      db.prepare("INSERT INTO quiz_attempts (person_id, push_id, kind, questions, position, shown_at, started_at, finished_at, correct_count) VALUES (?, ?, 'push', '[]', 3, 0, 0, NULL, 0)").run(people[k % people.length], push);
      db.prepare('UPDATE quiz_attempts SET finished_at = ?, correct_count = ? WHERE push_id = ?').run(at + 1000, k + 1, push);
      expectOracle(h);
    }
    db.prepare('DELETE FROM quiz_attempts WHERE push_id = ?').run(pushes[1]);
    db.prepare('DELETE FROM quiz_deliveries WHERE push_id = ? AND person_id = ?').run(pushes[2], people[0]);
    expectOracle(h);
  });

  it('reloads whole when the changes it had not read yet were pruned', () => {
    const h = makeHarness();
    const db = h.db.$client;
    const submit = cardWriter(h);
    expectOracle(h);
    const households = statsSnapshot(h.db).hId;
    submit(2, '2017-09-01', true);
    // more changes than are kept (100,000) after the card's: its rows are pruned before the snapshot reads them
    const noise = db.prepare("INSERT INTO stats_changes (kind, ref) VALUES ('helper', NULL)");
    db.transaction(() => {
      for (let i = 0; i < 101_000; i++) noise.run();
    })();
    expect((db.prepare('SELECT count(*) FROM stats_changes').raw().get() as [number])[0]).toBeLessThan(101_000);
    expectOracle(h);
    expect(statsSnapshot(h.db).hId).not.toBe(households);
  });

  it("names each supervisor's helpers as the people table does, a rename included", () => {
    const h = makeHarness();
    const db = h.db.$client;
    const expected = (sup: SupervisorScope) => {
      const f = scopeSql(sup).helpers;
      const rows = db.prepare(`SELECT pe.id, pe.name FROM people pe JOIN person_roles pr ON pr.person_id = pe.id AND pr.role = 'helper' WHERE pe.revoked_at IS NULL AND (${f.where}) ORDER BY pe.id`).raw().all(...f.args);
      return new Map(rows as [number, string][]);
    };
    const ids = (t: string) => (db.prepare(`SELECT id FROM ${t} ORDER BY id`).raw().all() as [number][]).map((r) => r[0]);
    const sups: SupervisorScope[] = [{ kind: 'district' }, ...ids('towns').map((id) => ({ kind: 'town' as const, id })), ...ids('units').map((id) => ({ kind: 'unit' as const, id }))];
    const check = () => {
      for (const sup of sups) expect([...groupLabels(h.db, 'helper', sup)].sort(), JSON.stringify(sup)).toEqual([...expected(sup)].sort());
    };
    check();
    const [helper] = db.prepare("SELECT person_id FROM person_roles WHERE role = 'helper' ORDER BY 1").raw().get() as [number];
    db.prepare("UPDATE people SET name = '新名字' WHERE id = ?").run(helper);
    check();
    expect(groupLabels(h.db, 'helper', { kind: 'district' }).get(helper)).toBe('新名字');
    db.prepare('UPDATE people SET revoked_at = 1 WHERE id = (SELECT max(person_id) FROM person_roles WHERE role = ?)').run('helper');
    check();
  });
});
