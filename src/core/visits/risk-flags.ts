/**
 * Flags raised when a card is submitted, for the household's supervisors and the helper:
 * relapse-risk triggers (PD5 in docs/content-sources.md), failed 两不愁三保障 / water items, and evidence flags (short visit,
 * far from the household, late entry). Reads the field ids of content/forms/dynamic-card.yaml. Pure.
 */
import type { MessageRef } from '../text.js';
import type { KeysUnder } from '../i18n-keys.js';
import { failedItems } from './guarantees.js';
import type { Answers, LocationValue, RepeatItem } from '../forms/types.js';
import { monitoringRangeFor, povertyLineFor, type Settings } from '../forms/settings.js';
import type { IncomeCheck } from '../rules/periods.js';
import { ageAt, daysBetween, isDateString } from '../forms/dates.js';

/**
 * Every flag code. A code is the key of its message under `form.risk` in the locales, so a code without a message
 * (or a message without a code, checked by a test) fails the type check instead of a user's submit.
 */
export const FLAG_CODES = [
  'income_below_line', 'income_near_line', 'income_in_monitoring_range', 'income_drop', 'transfer_dependence', 'large_medical_costs',
  'new_serious_illness', 'new_disability', 'lost_ability_to_work', 'job_lost', 'insurance_lapsed', 'dropout',
  'earner_left', 'disaster', 'house_newly_dangerous', 'dangerous_house', 'water_lost', 'loan_overdue',
  'welfare_job_ended', 'guarantee_failed_food', 'guarantee_failed_clothing', 'guarantee_failed_education',
  'guarantee_failed_medical', 'guarantee_failed_housing', 'guarantee_failed_water', 'short_visit',
  'far_from_household', 'late_entry', 'same_place',
] as const satisfies readonly KeysUnder<'form.risk'>[];
export type FlagCode = (typeof FLAG_CODES)[number];

/**
 * Flags about one visit (how it was done) rather than the household's condition: they stay open until a supervisor
 * handles them; a later card of the household does not supersede them.
 */
export const EVIDENCE_FLAGS: ReadonlySet<FlagCode> = new Set<FlagCode>(['short_visit', 'far_from_household', 'late_entry', 'same_place']);

/** Whether a stored code is one this version knows (rows are read back from the database). */
export function isFlagCode(s: string): s is FlagCode {
  return (FLAG_CODES as readonly string[]).includes(s);
}

/** The message of a flag (the key is typed: `form.risk.<code>`). */
export function flagMessage(code: FlagCode, params?: Record<string, string | number>): MessageRef {
  return params ? { key: `form.risk.${code}`, params } : { key: `form.risk.${code}` };
}

/** One flag: a stable code, how serious it is, and a message saying why. */
export interface Flag {
  code: FlagCode;
  level: 'high' | 'medium';
  message: MessageRef;
}
const WORKING = (m: RepeatItem) => typeof m.work_status === 'string' && m.work_status !== '未务工';
const flag = (code: FlagCode, level: Flag['level'], params?: Record<string, string | number>): Flag => ({
  code,
  level,
  message: flagMessage(code, params),
});

const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const members = (a: Answers): RepeatItem[] => (Array.isArray(a.members) ? (a.members as RepeatItem[]) : []);

/** The transfer items a card records; their sum is the transfer income (older cards stored the total itself). */
const TRANSFER_ITEMS = ['dibao_amt', 'tekun_amt', 'pension_amt', 'family_planning_amt', 'eco_comp_amt', 'family_support_amt', 'other_transfer'] as const;

/** Transfer income: the stored total of a card that asked for it, else the sum of the items. */
export function transferOf(a: Answers): number {
  if (typeof a.transfer_total === 'number') return a.transfer_total;
  return Math.round(TRANSFER_ITEMS.reduce((acc, k) => acc + n(a[k]), 0) * 100) / 100;
}

/**
 * Household net income and per-capita net income (null when there are no members): wages with public-welfare job
 * pay, business with home-used produce at market price, property, transfers; per head of the registered members.
 */
export function incomeOf(a: Answers): { net: number; perCapita: number | null; gross: number } {
  const gross = Math.round((n(a.wage) + n(a.welfare_job_pay) + n(a.business_gross) + n(a.self_consumed_value) + n(a.property) + transferOf(a)) * 100) / 100;
  const net = Math.round((gross - n(a.business_cost)) * 100) / 100;
  const count = members(a).length;
  return { net, gross, perCapita: count ? Math.round((net / count) * 100) / 100 : null };
}

/** A member on two cards is the same person when the ID number matches, else the name. */
function sameMember(a: RepeatItem, b: RepeatItem): boolean {
  if (typeof a.id_number === 'string' && typeof b.id_number === 'string') return a.id_number === b.id_number;
  return a.name === b.name;
}

/**
 * Relapse-risk and guarantee flags of a submitted card. `previous` is the household's last card (or null).
 * `incomeCheck` is the card's period's (content/rule-periods.yaml): up to 2020 the poverty line of the card's own
 * year and the near-line multiple; from 2021 the monitoring range of the card's own year (never 1.5 × an old line).
 * `region` picks the row (default settings.default_region). A year without a row raises no income flag.
 */
export function riskFlags(
  answers: Answers,
  previous: Answers | null,
  settings: Settings,
  opts: { region?: string; incomeCheck?: IncomeCheck } = {},
): Flag[] {
  const out: Flag[] = [];
  const { region } = opts;
  const visitDate = typeof answers.visit_date === 'string' && isDateString(answers.visit_date) ? answers.visit_date : null;
  const year = visitDate ? Number(visitDate.slice(0, 4)) : null;
  const monitoring = opts.incomeCheck === 'monitoring_range';
  const line = year && !monitoring ? povertyLineFor(settings, year, region) : null;
  const range = year && monitoring ? monitoringRangeFor(settings, year, region) : null;
  const inc = incomeOf(answers);
  if (range && inc.perCapita !== null && inc.perCapita < range.yuan) {
    out.push(flag('income_in_monitoring_range', 'high', { income: inc.perCapita, range: range.yuan, year: range.year, region: range.region }));
  }
  if (line && inc.perCapita !== null) {
    const threshold = Math.round(line.yuan * settings.relapse.income_multiple);
    if (inc.perCapita < line.yuan) out.push(flag('income_below_line', 'high', { income: inc.perCapita, line: line.yuan, year: line.year }));
    else if (inc.perCapita < threshold) {
      out.push(flag('income_near_line', 'medium', { income: inc.perCapita, threshold, multiple: settings.relapse.income_multiple }));
    }
  }
  if (previous) {
    const before = incomeOf(previous).perCapita;
    if (before !== null && before > 0 && inc.perCapita !== null) {
      const drop = Math.round(((before - inc.perCapita) / before) * 100);
      if (drop >= settings.relapse.income_drop_percent) out.push(flag('income_drop', 'high', { drop, before, now: inc.perCapita }));
    }
  }
  if (inc.gross > 0 && (transferOf(answers) / inc.gross) * 100 >= settings.relapse.transfer_share_percent) {
    out.push(flag('transfer_dependence', 'medium', { share: Math.round((transferOf(answers) / inc.gross) * 100) }));
  }
  if (n(answers.medical_out_of_pocket) >= settings.relapse.large_medical_cost_yuan) {
    out.push(flag('large_medical_costs', 'high', { amount: n(answers.medical_out_of_pocket) }));
  }
  memberFlags(answers, previous, visitDate, out);
  if (answers.disaster_hit === true) {
    const types = Array.isArray(answers.disaster_types) ? (answers.disaster_types as string[]).join('、') : '';
    out.push(flag('disaster', 'high', { types }));
  }
  const grade = answers.house_grade;
  if (grade === 'C' || grade === 'D') {
    const wasDangerous = previous && (previous.house_grade === 'C' || previous.house_grade === 'D');
    out.push(flag(wasDangerous ? 'dangerous_house' : 'house_newly_dangerous', 'high', { grade }));
  }
  if (previous?.water_status === '达标' && answers.water_status === '不达标') out.push(flag('water_lost', 'high'));
  policyFlags(answers, previous, out);
  for (const g of failedItems(answers)) out.push(flag(`guarantee_failed_${g}`, 'high'));
  return out;
}

function memberFlags(answers: Answers, previous: Answers | null, visitDate: string | null, out: Flag[]): void {
  const now = members(answers);
  const before = previous ? members(previous) : [];
  for (const m of now) {
    const was = before.find((b) => sameMember(b, m));
    const name = String(m.name ?? '');
    if (m.health === '患有大病' && was && was.health !== '患有大病') out.push(flag('new_serious_illness', 'high', { name }));
    if (m.health === '残疾' && was && was.health !== '残疾') out.push(flag('new_disability', 'high', { name }));
    const lost = (v: unknown) => v === '丧失劳动力' || v === '无劳动力';
    if (lost(m.labour) && was && !lost(was.labour) && was.labour !== undefined) out.push(flag('lost_ability_to_work', 'high', { name }));
    if (was && WORKING(was) && m.work_status === '未务工') out.push(flag('job_lost', 'medium', { name }));
    if (was && was.insured_basic === true && m.insured_basic === false) out.push(flag('insurance_lapsed', 'high', { name }));
    if (visitDate && typeof m.birth_date === 'string' && isDateString(m.birth_date)) {
      const age = ageAt(m.birth_date, visitDate);
      // only a child who could study: illness or disability that prevents it is not dropping out [S37 in docs/content-sources.md]
      if (age >= 6 && age <= 15 && m.student_status === '非在校生' && m.health === '健康') out.push(flag('dropout', 'high', { name, age }));
    }
  }
  for (const b of before) {
    if (WORKING(b) && !now.some((m) => sameMember(b, m))) out.push(flag('earner_left', 'high', { name: String(b.name ?? '') }));
  }
}

function policyFlags(answers: Answers, previous: Answers | null, out: Flag[]): void {
  const pol = (a: Answers | null): RepeatItem[] => (a && Array.isArray(a.policies) ? (a.policies as RepeatItem[]) : []);
  // the campaign's and the transition's names of the same policies (the two card forms)
  const LOANS = ['扶贫小额信贷', '脱贫人口小额信贷'];
  const JOBS = ['就业扶贫', '公益岗位'];
  if (pol(answers).some((p) => LOANS.includes(String(p.policy_type)) && p.loan_repayment === '逾期')) out.push(flag('loan_overdue', 'high'));
  const hadJob = pol(previous).some((p) => JOBS.includes(String(p.policy_type)));
  if (hadJob && !pol(answers).some((p) => JOBS.includes(String(p.policy_type)))) out.push(flag('welfare_job_ended', 'medium'));
}

/** Great-circle distance in meters. */
export function distanceMeters(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return Math.round(2 * 6_371_000 * Math.asin(Math.sqrt(h)));
}

/**
 * Evidence flags of a card: in-person visit shorter than the minimum, a shared location far from the household's
 * known position, a card entered later than the allowed back-dating. ("Many cards from one place at one time"
 * needs other cards: the db layer checks it with settings.evidence.same_place_*.)
 */
export function evidenceFlags(
  answers: Answers,
  settings: Settings,
  facts: { today: string; householdLocation?: { lat: number; lon: number } | null },
): Flag[] {
  const out: Flag[] = [];
  const inPerson = settings.visits.counted_modes.includes(String(answers.visit_mode));
  if (inPerson && typeof answers.duration_min === 'number' && answers.duration_min < settings.visits.min_duration_minutes) {
    out.push(flag('short_visit', 'medium', { minutes: answers.duration_min, min: settings.visits.min_duration_minutes }));
  }
  const home = facts.householdLocation;
  if (home) {
    for (const key of ['location_start', 'location_end']) {
      const loc = answers[key] as LocationValue | undefined;
      if (!loc || typeof loc !== 'object' || !('lat' in loc)) continue;
      const d = distanceMeters(loc, home);
      if (d > settings.evidence.far_from_household_meters) {
        out.push(flag('far_from_household', 'medium', { meters: d, max: settings.evidence.far_from_household_meters, which: key }));
      }
    }
  }
  if (typeof answers.visit_date === 'string' && isDateString(answers.visit_date)) {
    const late = daysBetween(answers.visit_date, facts.today);
    if (late > settings.visits.max_backdate_days) out.push(flag('late_entry', 'medium', { days: late, max: settings.visits.max_backdate_days }));
  }
  return out;
}
