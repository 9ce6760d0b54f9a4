/**
 * The periods of the rules through the real bot in-process: the same household's card of 2017-11-02 and its card of
 * today each follow their own period (form, words, the figure income is compared with, flags), and a visit date
 * typed into the other period's card moves a fresh card to that period's form (or is refused once answers exist).
 */
import { describe, expect, it } from 'vitest';
import { buttons, makeHarness, assertNoRawKeys, type Harness, type TestUser } from '../support/harness.js';
import { FIRST_CARD, TODAY_CARD, fillCard } from '../support/card-driver.js';
import { findPeople } from '../../src/db/people-repo.js';
import { flagsOfCard } from '../../src/db/flags-repo.js';
import { cardById, openDrafts } from '../../src/db/cards-repo.js';
import { cards } from '../../src/db/schema.js';
import type { Settings } from '../../src/core/forms/settings.js';

/** This test district's entries: its 2017 line (none is shipped for want of a source) and its 2026 range. */
function district(s: Settings): Settings {
  s.poverty_lines.push({ year: 2017, region: 'national', series: 'exit_line', yuan: 2952, certainty: 'unverified', source: '[PD3]' });
  s.monitoring_ranges.push({ year: 2026, region: 'national', yuan: 9000, certainty: 'unverified', source: '[PD3]' });
  return s;
}

async function signIn(h: Harness): Promise<{ u: TestUser; id: number }> {
  const helper = h.demo.find((d) => d.name === '王小明')!;
  const u = h.user(101);
  await u.send(`/start ${helper.code}`);
  return { u, id: findPeople(h.db, helper.name)[0].id };
}

async function start(u: TestUser): Promise<void> {
  await u.send('/visit');
  await u.press('H0001');
  await u.press('开始填写');
}

async function submit(u: TestUser): Promise<string> {
  if (buttons(u.last()).some((b) => b.text.includes('提醒项已核实'))) await u.press('提醒项已核实');
  await u.press('提交这张卡');
  return u.inbox().at(-2)!.text!;
}

describe('rule periods through the bot', () => {
  it('the household\'s card of 2017-11-02 and its card of today each follow their own period', async () => {
    const h = makeHarness({ settings: district });
    h.clock.now = Date.parse('2017-11-02T02:00:00Z');
    const { u, id } = await signIn(h);

    await start(u);
    expect(u.lastText()).toContain('🗂 脱贫动态信息卡');
    await fillCard(h, u, id, 'H0001', { ...FIRST_CARD, visit_date: 'text:2017-11-02', wage: 'text:2000', business_gross: 'text:0' });
    expect(u.lastText()).toContain('当年贫困标准（元/人·年）：2,952');
    const first = await submit(u);
    expect(first).toContain('已提交');
    expect(first).toContain('低于 2017 年贫困标准 2952 元');

    h.clock.now = Date.parse('2026-11-30T02:00:00Z');
    await start(u);
    expect(u.lastText()).toContain('🗂 防止返贫动态信息卡');
    const { steps } = await fillCard(h, u, id, 'H0001', { ...TODAY_CARD, '@income': 'press:有变化，逐项核对', wage: 'text:9000', business_gross: 'press:不变', business_cost: 'press:不变', other_income: 'press:不变', pension_amt: 'press:不变', medical_out_of_pocket: 'press:不变' });
    expect(steps.map((s) => s.fieldId)).toEqual(expect.arrayContaining(['household_type', 'monitoring_kind', 'risk_types', 'risk_eliminated', 'contact_person']));
    expect(steps.map((s) => s.fieldId)).not.toContain('poor_attribute');
    expect(u.lastText()).toContain('当年防止返贫监测范围（元/人·年）：9,000');
    const second = await submit(u);
    expect(second).toContain('在 2026 年防止返贫监测范围（national 9000 元）以内');
    expect(second).not.toContain('贫困标准');

    const [c2017, c2026] = h.db.select().from(cards).all().map((c) => cardById(h.db, c.id)!);
    expect([c2017.formId, c2026.formId]).toEqual(['dynamic_card', 'dynamic_card_2021']);
    expect(flagsOfCard(h.db, c2017.id).map((f) => f.code)).toContain('income_below_line');
    expect(flagsOfCard(h.db, c2026.id).map((f) => f.code)).toEqual(expect.arrayContaining(['income_in_monitoring_range']));
    expect(flagsOfCard(h.db, c2026.id).map((f) => f.code)).not.toContain('income_near_line');
    assertNoRawKeys(u.takeTexts());
  });

  it('a visit of the last days of 2020 entered in January 2021 moves to the campaign\'s card; with answers given it is refused', async () => {
    const h = makeHarness({ settings: district });
    const { u, id } = await signIn(h);
    h.clock.now = Date.parse('2021-01-03T02:00:00Z');
    await start(u);
    expect(u.lastText()).toContain('🗂 防止返贫动态信息卡');
    expect(openDrafts(h.db, id)[0].formId).toBe('dynamic_card_2021');
    // the example a refused date gives is today, never a date of 2017
    await u.send('上周');
    expect(u.lastText()).toContain('如 2021-01-03');
    expect(u.lastText()).not.toContain('2017');
    await u.send('2020-12-30');
    expect(u.lastText()).toContain('这个日期属于“脱贫攻坚期（至2020年）”：改用脱贫动态信息卡');
    expect(u.lastText()).toContain('走访方式');
    const draft = openDrafts(h.db, id)[0];
    expect([draft.formId, draft.state.formId, draft.state.answers.visit_date]).toEqual(['dynamic_card', 'dynamic_card', '2020-12-30']);

    // answers given, then the date moved into the other period: refused, nothing lost
    await u.press('入户走访');
    await u.press('上一题');
    await u.press('上一题');
    await u.send('2021-01-02');
    expect(u.lastText()).toContain('⚠️');
    expect(u.lastText()).toContain('这个日期属于“巩固拓展脱贫攻坚成果过渡期（2021—2025年）”');
    const still = openDrafts(h.db, id)[0];
    expect([still.formId, still.state.answers.visit_date, still.state.answers.visit_mode]).toEqual(['dynamic_card', '2020-12-30', '入户走访']);
    assertNoRawKeys(u.takeTexts());
  });
});
