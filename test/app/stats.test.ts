/**
 * `/stats` as use cases: the page of a scope, drill-down, a helper's households, a household at a glance, the chart.
 * Every request is re-checked: other roles, parts outside the scope, and malformed (forged) arguments are refused.
 *
 * Cards: H0001 by 王小明, in person 2017-11-10; H0005 by 张强, in person 2017-11-01, 住房安全 不达标, one open flag.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { actions, ANSWERS, lines, makeFixture, type Fixture } from './supervision-fixture.js';
import { statsChart, statsPage } from '../../src/app/stats/page.js';
import { supervisedHousehold } from '../../src/app/stats/household.js';
import { parseRequest, requestArgs, rootRequest, type StatsRequest } from '../../src/app/stats/request.js';
import { flagsOfCard } from '../../src/db/flags-repo.js';
import { towns } from '../../src/db/schema.js';

let f: Fixture;
let c5: number;
beforeAll(() => {
  f = makeFixture();
  f.card('H0001', 'wang', '2017-11-10');
  c5 = f.card('H0005', 'zhang', '2017-11-01', { ...ANSWERS, housing_status: '不达标' }, [{ code: 'income_drop', level: 'high' }]);
});

const YEAR = 'supervise.period.year(year=2017)';

describe('the figures of a scope', () => {
  it('the district office: title, totals, a line per town; drill into a town, regroup, change the period, the chart', () => {
    const r = statsPage(f.deps, f.actor('wu'));
    if (!r.ok || r.value.kind !== 'figures') throw new Error('no figures');
    const l = lines(r.value.view);
    expect(l[0]).toBe(`supervise.title(title=supervise.district, period=${YEAR})`);
    expect(l).toContain('supervise.households_line(households=6, visits=2, target=6)');
    expect(l).toContain('supervise.flags_line(total=1, households=1)');
    expect(l.filter((x) => x.startsWith('supervise.group_line'))).toHaveLength(2);
    const [T01, T02] = [f.id('towns', 'T01'), f.id('towns', 'T02')];
    expect(actions(r.value.view)).toEqual(
      expect.arrayContaining([
        `stats:view:y:v:t:${T01}`, `stats:view:y:v:t:${T02}`,
        'stats:view:y:u:d:0', 'stats:view:y:v:d:0', 'stats:view:y:h:d:0',
        'stats:view:30:t:d:0', 'stats:view:90:t:d:0', 'stats:view:l:t:d:0',
        'stats:chart:y:t:d:0',
      ]),
    );
    expect(r.value.chart?.report.groups).toHaveLength(2);
  });

  it('a unit head sees the unit; any part outside it is not theirs; malformed arguments are stale', () => {
    const sun = f.actor('sun');
    const r = statsPage(f.deps, sun);
    if (!r.ok) throw new Error(r.reason);
    expect(lines(r.value.view)[0]).toBe(`supervise.title(title=区教育局, period=${YEAR})`);
    expect(lines(r.value.view)).toContain('supervise.households_line(households=4, visits=1, target=6)');
    for (const args of [
      ['y', 'v', 't', String(f.id('towns', 'T02'))],
      ['y', 'h', 'u', String(f.id('units', 'U02'))],
      ['y', 'h', 'v', String(f.id('villages', 'V0201'))],
      ['y', 't', 'd', '0'],
      ['y', '-', 'h', String(f.person('zhang'))],
    ]) {
      expect(statsPage(f.deps, sun, args), args.join(':')).toEqual({ ok: false, reason: 'not_yours' });
      expect(statsChart(f.deps, sun, args).ok, args.join(':')).toBe(false);
    }
    for (const args of [['y', 'x', 't', '1'], ['zz', 'v', 't', '1'], ['y', 'v', 't', '-1'], ['y', 'v', 't'], ['y', 't', 'd', '5'], ['y', 'h', 'h', '3'], ['y', 'v', 'v', '1']]) {
      expect(statsPage(f.deps, sun, args), args.join(':')).toEqual({ ok: false, reason: 'stale' });
    }
  });

  it('a helper and a trainer are refused by role, whatever they ask', () => {
    for (const who of ['wang', 'zhao'] as const) {
      const a = f.actor(who);
      expect(statsPage(f.deps, a)).toEqual({ ok: false, reason: 'role' });
      expect(statsPage(f.deps, a, ['y', 't', 'd', '0'])).toEqual({ ok: false, reason: 'role' });
      expect(statsChart(f.deps, a, ['y', 't', 'd', '0'])).toEqual({ ok: false, reason: 'role' });
      expect(supervisedHousehold(f.deps, a, f.household('H0001'))).toEqual({ ok: false, reason: 'role' });
    }
    expect(statsPage(f.deps, undefined)).toEqual({ ok: false, reason: 'role' });
  });

  it('one helper: their households inside the scope, with pace, each opening the household', () => {
    const args = ['y', '-', 'h', String(f.person('wang'))];
    for (const who of ['wu', 'sun', 'zhou'] as const) {
      const r = statsPage(f.deps, f.actor(who), args);
      if (!r.ok || r.value.kind !== 'helper') throw new Error(`${who}: no helper page`);
      expect(r.value.households.map((h) => [h.code, h.visits, h.pace])).toEqual([['H0001', 1, 'behind'], ['H0002', 0, 'overdue'], ['H0003', 0, 'overdue']]);
      expect(actions(r.value.view)).toEqual(['H0001', 'H0002', 'H0003'].map((c) => `stats:household:${f.household(c)}`));
      expect(lines(r.value.view)[0]).toBe(`supervise.helper_title(name=王小明, period=${YEAR})`);
    }
    expect(statsPage(f.deps, f.actor('zhou'), ['y', '-', 'h', String(f.person('zhang'))])).toEqual({ ok: false, reason: 'not_yours' });
  });

  it('the chart of a page, with translatable texts; none for a page without groups or for a helper', () => {
    const wu = f.actor('wu');
    const r = statsChart(f.deps, wu, ['y', 't', 'd', '0']);
    if (!r.ok) throw new Error(r.reason);
    expect(r.value.report.groups.map((g) => g.label)).toEqual(['城关镇', '河口镇']);
    expect(r.value.title).toEqual({ key: 'supervise.chart_title', params: { title: { key: 'supervise.district' }, by: { key: 'stats.group_by.town' } } });
    expect(Object.keys(r.value.legend)).toEqual(['on_pace', 'behind', 'overdue']);
    const empty = f.db.insert(towns).values({ code: 'T09', name: '空镇' }).returning().get();
    expect(statsChart(f.deps, wu, ['y', 'v', 't', String(empty.id)])).toEqual({ ok: false, reason: 'no_chart' });
    expect(statsChart(f.deps, wu, ['y', '-', 'h', String(f.person('wang'))])).toEqual({ ok: false, reason: 'stale' });
  });
});

describe('a household at a glance', () => {
  it('its latest card, failed items, open flags (each opens), the whole card and sending back', () => {
    const r = supervisedHousehold(f.deps, f.actor('wu'), f.household('H0005'));
    if (!r.ok) throw new Error(r.reason);
    const l = lines(r.value);
    expect(l[0]).toBe('supervise.household_title(code=H0005, head=杨春花, village=南湾村)');
    expect(l).toContain('supervise.card_failed(list=stats.guarantee.housing)');
    expect(l).toContain('  🚩 form.risk.income_drop');
    const flag = flagsOfCard(f.db, c5)[0];
    expect(actions(r.value)).toEqual([`flags:open:${flag.id}`, `flags:card:${c5}`, `review:card:${c5}`]);
  });

  it('a household without a card says so; outside the scope, or forged, it is not theirs', () => {
    const r = supervisedHousehold(f.deps, f.actor('zhou'), f.household('H0003'));
    expect(r.ok && lines(r.value)).toEqual(['supervise.household_title(code=H0003, head=陈老汉, village=西坪村)', 'supervise.no_card']);
    expect(supervisedHousehold(f.deps, f.actor('sun'), f.household('H0005'))).toEqual({ ok: false, reason: 'not_yours' });
    expect(supervisedHousehold(f.deps, f.actor('wu'), 0)).toEqual({ ok: false, reason: 'not_yours' });
    expect(supervisedHousehold(f.deps, f.actor('wu'), 99_999)).toEqual({ ok: false, reason: 'not_yours' });
  });
});

describe('a page as action arguments', () => {
  it('round-trips every kind of page', () => {
    const pages: StatsRequest[] = [
      rootRequest({ kind: 'district' }),
      rootRequest({ kind: 'town', id: 3 }),
      rootRequest({ kind: 'unit', id: 4 }),
      { period: '30', scope: { kind: 'village', id: 7 }, groupBy: 'helper' },
      { period: 'l', scope: { kind: 'helper', id: 9 } },
    ];
    for (const p of pages) expect(parseRequest(requestArgs(p).map(String))).toEqual(p);
    expect(requestArgs(rootRequest({ kind: 'district' }))).toEqual(['y', 't', 'd', 0]);
  });
});
