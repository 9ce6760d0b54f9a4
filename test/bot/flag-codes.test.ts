/**
 * Every risk-flag code, raised by a card submitted through the real bot: the helper's confirmation names it, and the
 * district supervisor finds it in /flags and opens it. (A flag whose message key was missing once made the submit
 * itself fail, so each code is tried end to end.)
 */
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { buttons, makeHarness, assertNoRawKeys, type Harness, type TestUser } from '../support/harness.js';
import type { DatabaseSnapshot } from '../support/template-db.js';
// first cards typed in full (no registry record): the scenarios script members' facts
import { TYPED_FIRST_CARD as FIRST_CARD, RETURN_CARD, TODAY_CARD, fillCard, withDistrictLine2017, withoutRegistry, type Script } from '../support/card-driver.js';
import type { Settings } from '../../src/core/forms/settings.js';
import { FLAG_CODES, flagMessage, type FlagCode } from '../../src/core/visits/risk-flags.js';
import { findPeople } from '../../src/db/people-repo.js';
import { flagsOfCard } from '../../src/db/flags-repo.js';
import { createDraft, submitDraft } from '../../src/db/cards-repo.js';
import { cards, households } from '../../src/db/schema.js';

/** How a card raises a flag: the first visit's script, and for a change between visits, the second one's. */
interface Scenario {
  first: Script;
  second?: Script;
  setup?: (h: Harness) => void;
  /** the district's settings for this scenario */
  settings?: (s: Settings) => Settings;
  /** the day of the visit, once everyone has signed in (default: the harness's 2017 day) */
  today?: string;
}

/** A second visit where one member's facts are checked one by one and one of them changes. */
const memberChange = (field: string, changes: string[]): Script => ({
  ...RETURN_CARD,
  'members:previous': 'press:逐个核对',
  'members.name': 'press:不变',
  'members.relation': 'press:不变',
  'members.id_number': 'press:不变',
  'members.gender': 'press:不变',
  'members.birth_date': 'press:不变',
  'members.student_status': 'press:不变',
  'members.education': 'press:不变',
  'members.health': 'press:不变',
  'members.labour': 'press:不变',
  'members.work_status': 'press:不变',
  'members.work_months': 'press:不变',
  'members.disability_cert': 'press:否',
  // member 1 keeps, member 2 (the wife) changes, member 3 keeps
  [`members.${field}`]: ['press:不变', ...changes, 'press:不变'],
  members: 'press:这一组填完了',
});

const guaranteeFailed = (label: string, status: string, note: string): Script => ({
  ...FIRST_CARD,
  guarantee_problems: [`press:${label}`, 'press:选好了'],
  [status]: 'press:不达标',
  [note]: 'text:需跟进',
});

const SCENARIOS: Record<FlagCode, Scenario> = {
  income_below_line: { first: { ...FIRST_CARD, wage: 'text:2000', business_gross: 'text:0' }, settings: withDistrictLine2017 },
  income_near_line: { first: { ...FIRST_CARD, wage: 'text:7000' }, settings: withDistrictLine2017 },
  // a card of today, compared with the province's range of today's year (this district's entry)
  income_in_monitoring_range: {
    first: { ...TODAY_CARD, wage: 'text:9000' },
    today: '2026-11-30T02:00:00Z',
    settings: (s) => {
      s.monitoring_ranges.push({ year: 2026, region: 'national', yuan: 9000, certainty: 'unverified', source: '[PD3]' });
      return s;
    },
  },
  income_drop: { first: FIRST_CARD, second: { ...RETURN_CARD, '@income': 'press:有变化，逐项核对', wage: 'text:1000', business_gross: 'press:不变', business_cost: 'press:不变', other_income: 'press:不变', pension_amt: 'press:不变', medical_out_of_pocket: 'press:不变' } },
  transfer_dependence: { first: { ...FIRST_CARD, wage: 'text:0', business_gross: 'text:0' } },
  large_medical_costs: { first: { ...FIRST_CARD, medical_out_of_pocket: 'text:1.2万' } },
  new_serious_illness: { first: FIRST_CARD, second: memberChange('health', ['press:修改', 'press:患有大病']) },
  new_disability: { first: FIRST_CARD, second: memberChange('health', ['press:修改', 'press:残疾']) },
  lost_ability_to_work: { first: FIRST_CARD, second: { ...memberChange('labour', ['press:修改', 'press:丧失劳动力']), 'members.work_status': ['press:不变', 'press:修改', 'press:未务工', 'press:不变'] } },
  job_lost: { first: FIRST_CARD, second: memberChange('work_status', ['press:修改', 'press:未务工']) },
  insurance_lapsed: { first: FIRST_CARD, second: { ...RETURN_CARD, 'members[*].insured_basic': ['press:2 ✅医保', 'press:选好了'] } },
  dropout: { first: { ...FIRST_CARD, 'members.student_status': 'press:非在校生', 'members.education': ['press:小学', 'press:初中', 'press:小学'] } },
  earner_left: { first: FIRST_CARD, second: { ...RETURN_CARD, members: ['press:删第 2 项', 'press:确认删除', 'press:这一组填完了'], 'members:previous': 'press:逐个核对', 'members.name': 'press:不变', 'members.relation': 'press:不变', 'members.id_number': 'press:不变', 'members.gender': 'press:不变', 'members.birth_date': 'press:不变', 'members.student_status': 'press:不变', 'members.education': 'press:不变', 'members.health': 'press:不变', 'members.labour': 'press:不变', 'members.work_status': 'press:不变', 'members.work_months': 'press:不变' } },
  disaster: { first: { ...FIRST_CARD, guarantee_problems: ['press:遭受灾害', 'press:选好了'] } },
  house_newly_dangerous: { first: { ...FIRST_CARD, house_grade: 'press:C 级' } },
  dangerous_house: { first: { ...FIRST_CARD, house_grade: 'press:C 级' }, second: RETURN_CARD },
  water_lost: { first: FIRST_CARD, second: { ...RETURN_CARD, guarantee_problems: ['press:饮水安全', 'press:选好了'] } },
  loan_overdue: { first: { ...FIRST_CARD, policies: ['press:扶贫小额信贷', 'press:这一组填完了'], 'policies.amount_yuan': 'text:30000', 'policies.loan_repayment': 'press:逾期' } },
  welfare_job_ended: { first: { ...FIRST_CARD, policies: ['press:就业扶贫', 'press:这一组填完了'] }, second: { ...RETURN_CARD, 'policies:previous': 'press:逐个核对', 'policies.policy_type': 'press:不变', 'policies.detail': 'press:不变', 'policies.amount_yuan': 'press:不变', 'policies.start_date': 'press:不变', 'policies.end_date': 'press:跳过', policies: ['press:删第 1 项', 'press:确认删除', 'press:这一组填完了'] } },
  guarantee_failed_food: { first: guaranteeFailed('不愁吃', 'food_status', 'food_note') },
  guarantee_failed_clothing: { first: guaranteeFailed('不愁穿', 'clothing_status', 'clothing_note') },
  guarantee_failed_education: { first: guaranteeFailed('义务教育', 'education_status', 'education_note') },
  guarantee_failed_medical: { first: guaranteeFailed('基本医疗', 'medical_status', 'medical_note') },
  guarantee_failed_housing: { first: guaranteeFailed('住房安全', 'housing_status', 'housing_note') },
  guarantee_failed_water: { first: { ...guaranteeFailed('饮水安全', 'water_status', 'water_note'), water_problems: ['press:水质不达标', 'press:选好了'] } },
  short_visit: { first: { ...FIRST_CARD, duration_min: 'text:15分钟' } },
  far_from_household: {
    first: FIRST_CARD,
    setup: (h) => void h.db.update(households).set({ lat: 34.3, lon: 109.1 }).where(eq(households.code, 'H0001')).run(),
  },
  late_entry: { first: { ...FIRST_CARD, visit_date: 'text:2017-11-01' } },
  same_place: {
    first: FIRST_CARD,
    // two other households' cards entered from the same place a few minutes before
    setup: (h) => {
      const helperId = findPeople(h.db, '王小明')[0].id;
      for (const code of ['H0002', 'H0003']) {
        const householdId = h.db.select().from(households).where(eq(households.code, code)).get()!.id;
        const draft = createDraft(h.db, { householdId, helperId, formId: 'dynamic_card', formVersion: 2, state: { formId: 'dynamic_card', formVersion: 2, cursor: null, answers: {}, previous: {}, origins: {}, closed: [], confirmedWarnings: [], startedAtMs: 0 } }, h.clock.now);
        const answers = { visit_date: '2017-11-15', visit_mode: '入户走访', location_start: { lat: 34.271, lon: 108.95, atMs: h.clock.now } };
        submitDraft(h.db, draft, { visitDate: '2017-11-15', visitMode: '入户走访', inPerson: true, answers, changes: [] }, [], helperId, h.clock.now);
      }
    },
  },
};

async function submitCard(h: Harness, u: TestUser, helperId: number, script: Script): Promise<string> {
  await u.send('/visit');
  await u.press('H0001');
  await u.press('开始填写');
  await fillCard(h, u, helperId, 'H0001', script);
  // warnings a flag comes with (a dropout, a late entry) are confirmed, as a helper does after checking
  if (buttons(u.last()).some((b) => b.text.includes('提醒项已核实'))) {
    // only warnings left: the summary asks to check them, not to fix problems that are not there
    expect(u.last().text).toContain('提醒项请逐条核实');
    expect(u.last().text).not.toContain('请先处理');
    await u.press('提醒项已核实');
  }
  await u.press('提交这张卡');
  return u.inbox().at(-2)!.text!;
}

async function signIn(h: Harness, helper: TestUser, office: TestUser): Promise<void> {
  await helper.send(`/start ${h.demo.find((d) => d.name === '王小明')!.code}`);
  await office.send(`/start ${h.demo.find((d) => d.name === '吴主任')!.code}`);
}

/** Both signed in and the plain first card submitted, once: the start of every change-between-visits scenario. */
let afterFirstCard: DatabaseSnapshot | undefined;
async function submitFirstCard(): Promise<DatabaseSnapshot> {
  const h = makeHarness();
  withoutRegistry(h.db);
  const helper = h.user(101);
  await signIn(h, helper, h.user(203));
  expect(await submitCard(h, helper, findPeople(h.db, '王小明')[0].id, FIRST_CARD)).toContain('已提交');
  assertNoRawKeys(helper.takeTexts());
  const snapshot = h.snapshot();
  h.db.$client.close();
  return snapshot;
}

describe('every risk flag, end to end', () => {
  it('covers every code', () => {
    expect(Object.keys(SCENARIOS).sort()).toEqual([...FLAG_CODES].sort());
  });

  it.each([...FLAG_CODES])('%s: the helper is told and the supervisor sees it and opens it', async (code) => {
    const scenario = SCENARIOS[code];
    // a change between visits that starts from the plain first card starts from one database where it was submitted
    const shared = scenario.second && scenario.first === FIRST_CARD && !scenario.setup && !scenario.settings && !scenario.today;
    const h = shared ? makeHarness({ from: (afterFirstCard ??= await submitFirstCard()) }) : makeHarness({ settings: scenario.settings });
    if (!shared) withoutRegistry(h.db);
    const helper = h.user(101);
    const office = h.user(203);
    const helperId = findPeople(h.db, '王小明')[0].id;
    let confirmation = '';
    if (!shared) {
      scenario.setup?.(h);
      await signIn(h, helper, office);
      if (scenario.today) h.clock.now = Date.parse(scenario.today);
      confirmation = await submitCard(h, helper, helperId, scenario.first);
    }
    if (scenario.second) {
      h.clock.now += 20 * 86_400_000;
      confirmation = await submitCard(h, helper, helperId, scenario.second);
    }
    const card = h.db.select().from(cards).all().filter((c) => c.householdId !== undefined).at(-1)!;
    const flag = flagsOfCard(h.db, card.id).find((f) => f.code === code);
    expect(flag, `no ${code} flag; raised: ${flagsOfCard(h.db, card.id).map((f) => f.code).join(', ')}`).toBeDefined();
    const t = h.deps.i18n.forLocale('zh-CN');
    const m = flagMessage(code, flag!.params);
    const text = t(m.key, m.params);
    // a fresh flag carries every parameter its message has (the gap mark is only for rows of older versions)
    expect(text).not.toContain(t('flags.not_recorded'));
    expect(confirmation).toContain('已提交');
    expect(confirmation).toContain(text);

    await office.send('/flags');
    expect(office.lastText()).toContain(text);
    const item = buttons(office.last()).find((b) => b.callback_data === `fl:o:${flag!.id}`);
    expect(item).toBeDefined();
    await office.pressData(item!.callback_data!);
    expect(office.lastText()).toContain(text);
    expect(office.lastText()).toContain('未处理');
    assertNoRawKeys([...helper.takeTexts(), ...office.takeTexts()]);
  });
});
