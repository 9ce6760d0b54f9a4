import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/content/settings-loader.js';
import type { Answers, RepeatItem } from '../../src/core/forms/index.js';
import { evidenceFlags, riskFlags } from '../../src/core/visits/risk-flags.js';

const s = loadSettings('content/settings.yaml');
if (!s.ok) throw new Error(s.errors.join('\n'));
const settings = s.settings;
// this test district entered its own 2017 line (none is shipped for want of a source) and its province's 2026 range
settings.poverty_lines.push({ year: 2017, region: 'national', series: 'exit_line', yuan: 2952, certainty: 'unverified', source: '[PD3]' });
settings.monitoring_ranges.push({ year: 2026, region: 'national', yuan: 9000, certainty: 'unverified', source: '[PD3]' });
const member = (o: object): RepeatItem => ({ name: '甲', birth_date: '1970-01-01', health: '健康', labour: '普通劳动力', work_status: '省外务工', insured_basic: true, ...o });
const base: Answers = {
  visit_date: '2017-11-02', wage: 20000, business_gross: 0, business_cost: 0, property: 0, transfer_total: 1000,
  members: [member({}), member({ name: '乙', work_status: '未务工' })],
  food_status: '达标', clothing_status: '达标', medical_status: '达标', housing_status: '达标', water_status: '达标',
  house_grade: 'B', disaster_hit: false,
};
const codes = (a: Answers, prev: Answers | null = null) => riskFlags(a, prev, settings).map((f) => f.code).sort();

describe('riskFlags (domain.md §5.4) and guarantee failures', () => {
  it.each<[string, Answers, Answers | null, string[]]>([
    ['a stable household raises nothing', base, base, []],
    ['per-capita below the 2017 line (2952)', { ...base, wage: 4000 }, null, ['income_below_line']],
    ['below 1.5× the line', { ...base, wage: 7000 }, null, ['income_near_line']],
    ['income fell ≥ 30 %', { ...base, wage: 12000 }, base, ['income_drop']],
    ['serious illness newly', { ...base, members: [member({ health: '患有大病' }), (base.members as RepeatItem[])[1]] }, base, ['new_serious_illness']],
    ['working member left', { ...base, members: [(base.members as RepeatItem[])[1]], wage: 20000 }, base, ['earner_left']],
    ['dropout aged 11', { ...base, members: [...(base.members as RepeatItem[]), member({ name: '丙', birth_date: '2006-03-01', student_status: '非在校生', work_status: undefined })] }, null, ['dropout']],
    ['house newly C', { ...base, house_grade: 'C' }, base, ['house_newly_dangerous']],
    ['water lost and failed', { ...base, water_status: '不达标' }, base, ['guarantee_failed_water', 'water_lost']],
    ['insurance lapsed', { ...base, members: [member({ insured_basic: false }), (base.members as RepeatItem[])[1]] }, base, ['insurance_lapsed']],
    ['disaster', { ...base, disaster_hit: true, disaster_types: ['房屋受损'] }, null, ['disaster']],
    ['overdue microcredit', { ...base, policies: [{ policy_type: '扶贫小额信贷', loan_repayment: '逾期' }] }, null, ['loan_overdue']],
    ['transfer dependence', { ...base, wage: 2000, transfer_total: 9000 }, null, ['transfer_dependence']],
    // a child whose illness or disability prevents study is not a dropout; home teaching is schooling [S37]
    ['no dropout: disabled child out of school', { ...base, members: [...(base.members as RepeatItem[]), member({ name: '丙', birth_date: '2006-03-01', student_status: '非在校生', health: '残疾', work_status: undefined })] }, null, []],
    ['no dropout: taught at home', { ...base, members: [...(base.members as RepeatItem[]), member({ name: '丙', birth_date: '2006-03-01', student_status: '送教上门', health: '残疾', work_status: undefined })] }, null, []],
    ['no dropout: finished junior middle school at 15', { ...base, members: [...(base.members as RepeatItem[]), member({ name: '丙', birth_date: '2002-03-01', student_status: '初中毕业未升学', work_status: undefined })] }, null, []],
    ['overdue microcredit under its 2021 name', { ...base, policies: [{ policy_type: '脱贫人口小额信贷', loan_repayment: '逾期' }] }, null, ['loan_overdue']],
  ])('%s', (_n, answers, prev, expected) => {
    expect(codes(answers, prev)).toEqual(expected);
  });

  it('explains why with a message key and figures', () => {
    const [f] = riskFlags({ ...base, wage: 4000 }, null, settings);
    expect(f).toEqual({ code: 'income_below_line', level: 'high', message: { key: 'form.risk.income_below_line', params: { income: 2500, line: 2952, year: 2017 } } });
  });

  it('a card from 2021 is compared with the monitoring range of its own year, never with 1.5 × an old line', () => {
    const today = { ...base, visit_date: '2026-11-02', wage: 16000 }; // (16000 + 1000) / 2 = 8500 a head
    const monitored = (a: Answers) => riskFlags(a, null, settings, { incomeCheck: 'monitoring_range' });
    expect(monitored(today).map((f) => [f.code, f.message.params])).toEqual([
      ['income_in_monitoring_range', { income: 8500, range: 9000, year: 2026, region: 'national' }],
    ]);
    expect(monitored({ ...today, wage: 20000 }).map((f) => f.code)).toEqual([]);
    // no row for 2025 (no national figure after 2021): nothing is compared, not even with another year's
    expect(monitored({ ...today, visit_date: '2025-06-01' }).map((f) => f.code)).toEqual([]);
    // the 2017 poverty-line check does not apply to it
    expect(monitored({ ...base, wage: 4000 }).map((f) => f.code)).toEqual([]);
  });

  it('income per head counts public-welfare job pay, home-used produce and support from relatives', () => {
    // 3000 wage + 2000 welfare job + 1000 produce + 1000 support + 1000 other transfer = 8000 for 2 = 4000 a head,
    // below 1.5 × 2952 = 4428
    const { transfer_total: _t, ...items } = base; // the items' sum, as a card that asks for them stores it
    const [f] = riskFlags({ ...items, wage: 3000, welfare_job_pay: 2000, self_consumed_value: 1000, family_support_amt: 1000, other_transfer: 1000 }, null, settings);
    expect(f.code).toBe('income_near_line');
    expect(f.message.params).toMatchObject({ income: 4000 });
  });

  it('evidence flags: short visit, far location, late entry', () => {
    const a: Answers = { ...base, visit_mode: '入户走访', duration_min: 10, location_start: { lat: 36.7, lon: 117.12, atMs: 0 } };
    const flags = evidenceFlags(a, settings, { today: '2017-11-20', householdLocation: { lat: 36.65, lon: 117.12 } });
    expect(flags.map((f) => [f.code, f.message.params])).toEqual([
      ['short_visit', { minutes: 10, min: 30 }],
      ['far_from_household', { meters: 5560, max: 1000, which: 'location_start' }],
      ['late_entry', { days: 18, max: 7 }],
    ]);
  });
});
