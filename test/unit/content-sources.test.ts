/**
 * Content checks of the card, the settings and the periods: every source id they cite is defined in
 * docs/content-sources.md, and the facts the card's fixes rest on are in the content (each with its source), so a
 * later edit that drops one fails here.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadContent } from '../../src/content/index.js';
import type { FieldDef, FormDefinition } from '../../src/core/forms/index.js';

const defined = new Set([...readFileSync('docs/content-sources.md', 'utf8').matchAll(/^\*\*([A-Z]{1,6}\d*p?)\*\*/gm)].map((m) => m[1]));
const files = ['content/settings.yaml', 'content/rule-periods.yaml', ...readdirSync('content/forms').map((f) => join('content/forms', f))];
const loaded = loadContent('content');
if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
const { forms, settings } = loaded.content;

function field(form: FormDefinition, id: string): FieldDef {
  const all = (fs: FieldDef[]): FieldDef[] => fs.flatMap((f) => [f, ...(f.fields ? all(f.fields) : [])]);
  const f = all(form.sections.flatMap((s) => s.fields)).find((x) => x.id === id);
  if (!f) throw new Error(`${form.id} has no field ${id}`);
  return f;
}
const values = (f: FieldDef) => (f.choices ?? []).map((c) => c.value);
const campaign = forms.get('dynamic_card')!;
const today = forms.get('dynamic_card_2021')!;

describe('content sources and the card\'s fixes', () => {
  it('a topic code names one topic in every bank (a clash silently relabelled another bank\'s topic)', () => {
    const labels = new Map<string, Set<string>>();
    for (const f of readdirSync('content/quizzes')) {
      const topics = (parse(readFileSync(join('content/quizzes', f), 'utf8')) as { topics?: Record<string, { zh: string }> }).topics ?? {};
      for (const [code, t] of Object.entries(topics)) labels.set(code, new Set([...(labels.get(code) ?? []), t.zh]));
    }
    expect([...labels].filter(([, l]) => l.size > 1).map(([c, l]) => `${c}: ${[...l].join(' / ')}`)).toEqual([]);
  });

  it.each(files)('%s cites only source ids defined in docs/content-sources.md', (file) => {
    const text = readFileSync(file, 'utf8');
    const cited = [...text.matchAll(/\[([A-Z]{1,6}\d*p?)\]/g)].map((m) => m[1]).filter((id) => !['LOCAL', 'UNVERIFIED'].includes(id));
    expect(cited.length).toBeGreaterThan(0);
    expect(cited.filter((id) => !defined.has(id))).toEqual([]);
    expect(text).not.toMatch(/research|domain\.md|design\.md|contract\.md/);
  });

  it('every poverty line and monitoring range names its series or year, a source and a certainty; no unsourced 2017–2019 line', () => {
    for (const l of settings.poverty_lines) expect([l.series, l.source.length > 0, l.certainty]).not.toContain(undefined);
    expect(settings.poverty_lines.filter((l) => l.region === 'national' && l.year >= 2017 && l.year <= 2019)).toEqual([]);
    expect(settings.monitoring_ranges.filter((r) => r.region === 'national').map((r) => r.year)).toEqual([2021]);
  });

  it('the relation list is the registry\'s 21 values, one per sex, in both forms', () => {
    for (const form of [campaign, today]) {
      const rel = values(field(form, 'relation'));
      expect(rel).toHaveLength(21);
      expect(rel).toEqual(expect.arrayContaining(['之女婿', '之孙子', '之孙女', '之外孙女', '之父', '之母', '之岳父', '之婆婆', '之外祖母', '其他']));
      expect(rel).not.toContain('之孙子女');
      expect(rel).not.toContain('之父母');
    }
  });

  it('schooling has 送教上门, special school and junior middle school finished; the dropout rule asks for a healthy child', () => {
    expect(values(field(campaign, 'student_status'))).toEqual(expect.arrayContaining(['送教上门', '特殊教育', '初中毕业未升学', '非在校生']));
    const rule = campaign.rules!.find((r) => r.id === 'dropout')!;
    expect(JSON.stringify(rule.when)).toContain('"健康"');
  });

  it('medical questions: 城乡居民医保 and "enrolled?", no separate 大病保险 question, 医疗救助, 先诊疗后付费, 门诊慢特病', () => {
    const insured = field(campaign, 'insured_basic');
    expect(insured.how_to_ask!.zh).toContain('参保了没有');
    expect(insured.how_to_ask!.zh).toContain('新农合已并入城乡居民医保');
    expect(field(campaign, 'insured_critical').autofill).toEqual({ field: 'insured_basic' });
    for (const id of ['medical_aid', 'pay_after_treatment', 'chronic_outpatient']) expect(field(today, id).type).toBe('yes_no');
  });

  it('water: the thresholds are in the how-to-fill text, asked when water is a problem, and checked', () => {
    const text = field(campaign, 'guarantee_problems').how_to_fill!.zh;
    for (const t of ['35 升', '20 升', '20 分钟', '800 米', '80 米', '36 天']) expect(text).toContain(t);
    expect(settings.water).toEqual({ min_litres_per_person_day: 35, max_fetch_minutes: 20, max_days_without_per_year: 36 });
    for (const id of ['water_litres_per_day', 'water_fetch_minutes', 'water_days_without']) expect(field(campaign, id).relevant).toBeDefined();
    expect(campaign.rules!.some((r) => r.id === 'water_below_standard_rated_safe')).toBe(true);
  });

  it('registry fields, production and income items are on both cards', () => {
    for (const form of [campaign, today]) {
      for (const id of ['ethnicity', 'road_type', 'household_electricity', 'sanitary_toilet', 'main_fuel', 'cooperative_member', 'crops', 'livestock', 'project_dividend', 'tech_needs', 'self_consumed_value', 'welfare_job_pay', 'family_support_amt']) {
        field(form, id);
      }
    }
    expect(values(field(campaign, 'identification_standard'))).toEqual(['国家标准', '省定标准', '市定标准']);
    expect(field(campaign, 'members').how_to_ask!.zh).toContain('外出打工、在外上学的也要录入');
  });

  it('today\'s card records the household type and monitoring, the risk and its removal, the contact person, measures by risk', () => {
    expect(values(field(today, 'household_type'))).toEqual(['脱贫户', '一般农户']);
    expect(values(field(today, 'monitoring_kind'))).toEqual(['脱贫不稳定户', '边缘易致贫户', '突发严重困难户']);
    expect(values(field(today, 'risk_elimination_mode'))).toEqual(['帮扶消除', '自然消除']);
    for (const id of ['risk_types', 'risk_eliminated', 'risk_eliminated_date', 'contact_person', 'for_risk']) field(today, id);
    expect(values(field(today, 'policy_type'))).toEqual(expect.arrayContaining(['脱贫人口小额信贷', '就业帮扶', '健康帮扶']));
    expect(values(field(today, 'policy_type'))).not.toContain('扶贫小额信贷');
    // the campaign's words stay on the campaign's card only
    expect(JSON.stringify(today)).not.toContain('贫困户属性');
  });
});
