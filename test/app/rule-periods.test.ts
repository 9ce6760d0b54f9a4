/**
 * The period of the rules is data (content/rule-periods.yaml): a card dated 2017-11-02 and a card dated today for
 * the same household each follow their own period, through the use cases. The 2017 card is the campaign's form,
 * compared with the 2017 poverty line; today's is the transition form (脱贫户/监测对象, risk, contact person),
 * compared with the province's monitoring range of today's year, never with 1.5 × an old line. The household's
 * facts carry forward across the periods, and the 2017 card stays readable with its own form.
 */
import { describe, expect, it } from 'vitest';
import { appWorld, AppChat } from '../support/app-world.js';
import { FIRST_CARD, TODAY_CARD, fillCard } from '../support/card-driver.js';
import { startVisit } from '../../src/app/card/visit.js';
import { reviewFields, reviewSections } from '../../src/app/review.js';
import { myHouseholds } from '../../src/app/households.js';
import { statsPage } from '../../src/app/stats/page.js';
import { exportCardRows } from '../../src/db/export-repo.js';
import { exportSheets } from '../../src/reports/export-sheets.js';
import { pieceText } from '../../src/app/views.js';
import { periodFor } from '../../src/core/rules/periods.js';
import { createTranslator } from '../../src/i18n.js';
import { flagsOfCard } from '../../src/db/flags-repo.js';
import { householdsOfHelper } from '../../src/db/household-repo.js';
import { cards } from '../../src/db/schema.js';
import { cardById } from '../../src/db/cards-repo.js';
import type { Settings } from '../../src/core/forms/settings.js';

/** This test district's own entries: its 2017 line (none is shipped) and its province's 2026 range. */
function district(s: Settings): Settings {
  s.poverty_lines.push({ year: 2017, region: 'national', series: 'exit_line', yuan: 2952, certainty: 'unverified', source: '[PD3]' });
  s.monitoring_ranges.push({ year: 2026, region: 'national', yuan: 9000, certainty: 'unverified', source: '[PD3]' });
  return s;
}

/** Warnings confirmed after checking, as a helper does, then submitted. */
async function submit(chat: AppChat): Promise<void> {
  if (chat.inbox().at(-1)!.actions.some((a) => pieceText(a.label, createTranslator('zh-CN').forLocale('zh-CN'), 'zh-CN').includes('提醒项已核实'))) {
    await chat.press('提醒项已核实');
  }
  await chat.press('提交这张卡');
  expect(chat.inbox().at(-2)!.text).toContain('已提交');
}

describe('rule periods', () => {
  it('the periods cover every day from the campaign on, in order, each with its form', () => {
    const w = appWorld();
    const { periods, forms } = w.deps.content;
    expect(periods.map((p) => [p.id, p.from, p.until, p.card_form])).toEqual([
      ['campaign', null, '2020-12-31', 'dynamic_card'],
      ['transition', '2021-01-01', '2025-12-31', 'dynamic_card_2021'],
      ['after', '2026-01-01', null, 'dynamic_card_2021'],
    ]);
    expect(periodFor(periods, '2017-11-02')?.id).toBe('campaign');
    expect(periodFor(periods, '2020-12-31')?.id).toBe('campaign');
    expect(periodFor(periods, '2021-01-01')?.id).toBe('transition');
    expect(periodFor(periods, '2026-11-30')?.id).toBe('after');
    expect(periodFor(periods, 'garbage')).toBeNull();
    for (const p of periods) expect(forms.has(p.card_form)).toBe(true);
  });

  it('a card of 2017-11-02 and a card of today for one household each follow their own period', async () => {
    const w = appWorld({ settings: district });
    w.clock.now = Date.parse('2017-11-02T02:00:00Z');
    const helper = w.actor('王小明');
    const sup = w.actor('孙局长');
    const hh = householdsOfHelper(w.deps.db, helper.personId).find((h) => h.code === 'H0001')!;
    const chat = new AppChat(w, helper);

    // 2017: the campaign's card, its household words, the 2017 line
    const first = startVisit(w.deps, helper, hh.id);
    if (!first.ok) throw new Error(first.reason);
    await chat.open(first.value.draftId);
    expect(chat.lastText()).toContain('🗂 脱贫动态信息卡');
    await fillCard(w, chat, helper.personId, hh.code, { ...FIRST_CARD, visit_date: 'text:2017-11-02', wage: 'text:2000', business_gross: 'text:0' });
    expect(chat.lastText()).toContain('当年贫困标准（元/人·年）：2,952');
    await submit(chat);
    const old = cardById(w.deps.db, w.deps.db.select().from(cards).all()[0].id)!;
    expect(old.formId).toBe('dynamic_card');
    expect(old.answers).toMatchObject({ poor_attribute: '一般贫困户', identification_standard: '国家标准' });
    expect(old.answers).not.toHaveProperty('household_type');
    expect(flagsOfCard(w.deps.db, old.id).map((f) => f.code)).toContain('income_below_line');

    // today: the transition's card; the members, living conditions and income of 2017 carry forward
    w.clock.now = Date.parse('2026-11-30T02:00:00Z');
    const second = startVisit(w.deps, helper, hh.id);
    if (!second.ok) throw new Error(second.reason);
    await chat.open(second.value.draftId);
    expect(chat.lastText()).toContain('🗂 防止返贫动态信息卡');
    const { steps } = await fillCard(w, chat, helper.personId, hh.code, { ...TODAY_CARD, '@income': 'press:有变化，逐项核对', wage: 'text:9000', business_gross: 'press:不变', business_cost: 'press:不变', other_income: 'press:不变', pension_amt: 'press:不变', medical_out_of_pocket: 'press:不变' });
    const asked = steps.map((s) => s.fieldId);
    // today's household questions, not the campaign's
    expect(asked).toEqual(expect.arrayContaining(['household_type', 'monitored', 'monitoring_kind', 'risk_types', 'risk_eliminated', 'contact_person']));
    expect(asked).not.toContain('poor_attribute');
    expect(asked).not.toContain('exit_candidate');
    // the members of 2017 were offered as last time's, not typed again
    expect(asked).not.toContain('members.name');
    const summary = chat.lastText();
    expect(summary).toContain('当年防止返贫监测范围（元/人·年）：9,000');
    expect(summary).not.toContain('当年贫困标准');
    await submit(chat);
    const now = cardById(w.deps.db, w.deps.db.select().from(cards).all()[1].id)!;
    expect(now.formId).toBe('dynamic_card_2021');
    expect(now.answers).toMatchObject({ household_type: '脱贫户', monitored: true, monitoring_kind: '脱贫不稳定户', risk_types: ['因病'], risk_eliminated: false, contact_person: '王小明' });
    expect((now.answers.members as unknown[]).length).toBe(3);
    const codes = flagsOfCard(w.deps.db, now.id).map((f) => f.code);
    expect(codes).toContain('income_in_monitoring_range');
    expect(codes).not.toContain('income_near_line');
    expect(codes).not.toContain('income_below_line');

    // the 2017 card is still read with its own form: its campaign fields, under their labels
    const sections = reviewSections(w.deps, sup, old.id);
    if (!sections.ok) throw new Error(sections.reason);
    const household = reviewFields(w.deps, sup, old.id, 1, 1);
    if (!household.ok) throw new Error(household.reason);
    const t = createTranslator('zh-CN').forLocale('zh-CN');
    const labels = household.value.actions.flat().map((a) => pieceText(a.label, t, 'zh-CN'));
    expect(labels).toContain('贫困户属性：一般贫困户');
    expect(labels).toContain('识别标准：国家标准');

    // /households and /stats say today's period, its words and this year's figure
    const mine = myHouseholds(w.deps, helper);
    if (!mine.ok) throw new Error(mine.reason);
    expect(w.text(mine.value.view)).toContain('📘 常态化帮扶（2026年起）：帮扶对象为脱贫户和防止返贫致贫对象；收入比照本省当年防止返贫致贫对象认定标准：9000 元/人·年（2026年，national）');
    const stats = statsPage(w.deps, sup);
    if (!stats.ok) throw new Error(stats.reason);
    expect(w.text(stats.value.view)).toContain('📘 常态化帮扶（2026年起）');

    // the cards export holds both cards, each read with its own form: the 2017 card's campaign fields and figures,
    // today's card's monitoring fields and range
    const rows = { households: () => [], cards: () => exportCardRows(w.deps.db, { kind: 'district' }), quizDeliveries: () => [], quizSummary: () => [], archive: () => [] };
    const [group] = exportSheets('cards', rows, {
      t, locale: 'zh-CN', form: w.deps.content.forms.get('dynamic_card_2021')!, forms: w.deps.content.forms, timeZone: 'Asia/Shanghai',
      now: w.clock.now, target: 6, settings: w.deps.content.settings,
    });
    if (!('sheets' in group)) throw new Error('the cards export is one group of sheets');
    const headers = group.sheets[0].columns.map((c) => c.header);
    expect(headers).toEqual(expect.arrayContaining(['户类型', '监测对象类别', '风险已消除', '贫困户属性', '当年贫困标准（元/人·年）', '当年防止返贫监测范围（元/人·年）']));
    // card rows come as values in column order: read them back by the columns' keys
    const keys = group.sheets[0].columns.map((c) => c.key);
    const main = [...(group.rows as Iterable<{ sheet: number; row: readonly unknown[] }>)]
      .filter((x) => x.sheet === 0)
      .map((x): Record<string, unknown> => Object.fromEntries(keys.map((k, i) => [k, x.row[i]])));
    const [r2017, r2026] = main;
    expect(r2017).toMatchObject({ poor_attribute: '一般贫困户', poverty_line: 2952 });
    expect(r2017.household_type ?? null).toBeNull();
    expect(r2026).toMatchObject({ household_type: '脱贫户', monitoring_kind: '脱贫不稳定户', monitoring_range: 9000 });
    expect(r2026.poverty_line ?? null).toBeNull();
  });

  it('/households in 2017 says the campaign and that the district has not set the 2017 line', () => {
    const w = appWorld();
    const helper = w.actor('王小明');
    const mine = myHouseholds(w.deps, helper);
    if (!mine.ok) throw new Error(mine.reason);
    expect(w.text(mine.value.view)).toContain('📘 脱贫攻坚期（至2020年）：帮扶对象为贫困户；收入比照当年贫困标准：2017 年的数字尚未设置');
  });
});
