/** A helper's households with pace, and the 明白卡 of a card: only for the helper paired with the household. */
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { ANSWERS, lines, makeFixture, type Fixture } from './supervision-fixture.js';
import { householdsWithPace, myHouseholds } from '../../src/app/households.js';
import { householdReceipt, receiptAction } from '../../src/app/receipt.js';
import { pairings } from '../../src/db/schema.js';

let f: Fixture;
let c1: number;
let c5: number;
beforeAll(() => {
  f = makeFixture();
  c1 = f.card('H0001', 'wang', '2017-11-10', {
    ...ANSWERS,
    policies: [{ policy_type: '健康扶贫', detail: '慢病签约', amount_yuan: 800 }],
    measures: [{ content: '协助办理慢病卡', responsible: '王小明', due_date: '2017-12-31' }],
  }, [{ code: 'income_drop', level: 'high' }]);
  f.card('H0001', 'wang', '2017-09-01');
  c5 = f.card('H0005', 'zhang', '2017-11-01');
});

describe('my households', () => {
  it('each with visits of the year against the target, last visit, next due, pace and open flags', () => {
    const r = myHouseholds(f.deps, f.actor('wang'));
    if (!r.ok) throw new Error(r.reason);
    expect(r.value.households.map((h) => [h.household.code, h.pacing.count, h.pacing.pace, h.openFlags])).toEqual([
      ['H0001', 2, 'behind', 1],
      ['H0002', 0, 'overdue', 0],
      ['H0003', 0, 'overdue', 0],
    ]);
    const l = lines(r.value.view);
    expect(l[0]).toBe('households.title(year=2017, target=6)');
    // the rules of today's period: its words and this year's figure (none set for 2017)
    expect(l[1]).toBe('rules.line(period=脱贫攻坚期（至2020年）, term=贫困户, threshold=当年贫困标准, figure=rules.no_figure(year=2017))');
    expect(l[2]).toBe('households.line(code=H0001, head=李大山, village=东沟村)');
    // four visits left spread over the 51 days after the last one: the next in 12.75 days
    expect(l[3]).toBe('   households.visits(count=2, target=6) · households.last(date=2017-11-10) · households.next(date=2017-11-23) · households.pace_behind · households.flags(count=1)');
    expect(l[5]).toBe('   households.visits(count=0, target=6) · households.never · households.next(date=2017-03-02) · households.pace_overdue');
    expect(r.value.view.blocks).toHaveLength(4);
    expect(r.value.view.actions).toEqual([]);
  });

  it('the nudge judges the same way', () => {
    const mine = myHouseholds(f.deps, f.actor('wang'));
    expect(householdsWithPace(f.deps, f.person('wang')).households).toEqual(mine.ok && mine.value.households);
  });

  it('a helper without households is told so; a supervisor who is not a helper is refused', () => {
    f.db.update(pairings).set({ endDate: '2017-10-01' }).where(eq(pairings.helperId, f.person('li'))).run();
    const r = myHouseholds(f.deps, f.actor('li'));
    expect(r.ok && lines(r.value.view)).toEqual(['households.empty']);
    expect(myHouseholds(f.deps, f.actor('wu'))).toEqual({ ok: false, reason: 'role' });
    expect(myHouseholds(f.deps, undefined)).toEqual({ ok: false, reason: 'role' });
  });
});

describe('明白卡', () => {
  it('the card\'s policies and measures, the helper with their own phone; drawn in Chinese', () => {
    const r = householdReceipt(f.deps, f.actor('wang'), c1);
    if (!r.ok) throw new Error(r.reason);
    expect(r.value.data).toMatchObject({
      householdHead: '李大山', address: '城关镇 · 东沟村', visitDate: '2017-11-10',
      helper: { name: '王小明', unit: '区教育局', phone: '13800000001' },
      policies: [{ name: '健康扶贫', detail: '慢病签约', amountYuan: 800 }],
      measures: [{ content: '协助办理慢病卡', responsible: '王小明', deadline: '2017-12-31' }],
    });
    expect(r.value).toMatchObject({ locale: 'zh-CN', fileName: 'receipt-H0001.png', caption: { key: 'receipt.caption', params: { code: 'H0001', head: '李大山' } } });
    expect(receiptAction(c1)).toEqual({ op: 'receipt', args: [c1], label: { key: 'receipt.btn' } });
  });

  it('another helper, a supervisor, a stranger or a forged id: not theirs', () => {
    for (const a of [f.actor('li'), f.actor('sun'), undefined]) expect(householdReceipt(f.deps, a, c1)).toEqual({ ok: false, reason: 'not_yours' });
    expect(householdReceipt(f.deps, f.actor('wang'), c5)).toEqual({ ok: false, reason: 'not_yours' });
    expect(householdReceipt(f.deps, f.actor('wang'), 0)).toEqual({ ok: false, reason: 'not_yours' });
  });
});
