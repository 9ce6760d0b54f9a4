/**
 * The pre-visit briefing: who lives there (as of the last card), what changed at the last visit, the problems
 * and measures to check now, what is missing, and what to ask this time — only the sections that apply to
 * this household (school-age children → education, a sick member → medical care, a C/D house → housing).
 * Pure: reads the form definition and previous answers; the bot renders it.
 */
import type { MessageRef, Text } from '../text.js';
import { GUARANTEE_FIELDS, failedItems, type GuaranteeItem } from './guarantees.js';
import type { Answers, FieldDef, FormDefinition, RepeatItem } from '../forms/types.js';
import { ageAt, isDateString } from '../forms/dates.js';

export interface BriefingMember {
  name: string;
  relation: string;
  age: number | null;
  notes: string[];
}

export interface Briefing {
  lastVisit: { date: string; mode: string } | null;
  causeMain: string;
  members: BriefingMember[];
  /** household facts whose value changed between the last two cards */
  changes: { label: Text; from: Text; to: Text }[];
  problems: { category: string; description: string }[];
  /** measures promised last time and not yet done: check them now */
  measures: { content: string; responsible: string; due: string; overdue: boolean }[];
  /** carry-forward facts the last card left empty */
  missing: Text[];
  /** the last card is older than the staleness limit (or there is none) */
  stale: boolean;
  /** the household's open risk flags: asked about first */
  openFlags: MessageRef[];
  /** 两不愁三保障 items the last card marked 不达标, with what the helper noted then */
  failedLastTime: { item: GuaranteeItem; label: Text; note: string }[];
  /** what to ask this time: the form's "how to ask" of the sections that apply; last time's failed items first */
  asks: { topic: string; label: Text; howToAsk: Text; failedLastTime?: boolean }[];
  /** policies to explain: those enjoyed plus those the household's situation calls for */
  policies: string[];
}

export interface BriefingInput {
  form: FormDefinition;
  today: string;
  household: { causeMain: string; attribute: string };
  last: { answers: Answers; visitDate: string; visitMode: string } | null;
  beforeLast: Answers | null;
  /** the household's open flags (their messages) */
  openFlags?: MessageRef[];
  staleAfterDays?: number;
}

const arr = (v: unknown): RepeatItem[] => (Array.isArray(v) ? (v as RepeatItem[]) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

function findField(form: FormDefinition, id: string): FieldDef | undefined {
  for (const s of form.sections) {
    for (const f of s.fields) {
      if (f.id === id) return f;
      for (const g of f.fields ?? []) if (`${f.id}.${g.id}` === id) return g;
    }
  }
  return undefined;
}

function display(field: FieldDef | undefined, v: unknown): Text {
  const raw = Array.isArray(v) ? v.map(str).join('、') : str(v);
  const choice = field?.choices?.find((c) => c.value === raw);
  return choice ? choice.label : { zh: raw || '—', en: raw || '—' };
}

/** Builds the briefing for one household before a visit. */
export function buildBriefing(input: BriefingInput): Briefing {
  const { form, today, last } = input;
  const a = last?.answers ?? {};
  const members = arr(a.members).map((m) => {
    const birth = str(m.birth_date);
    const age = isDateString(birth) ? ageAt(birth, today) : null;
    const notes = [str(m.health), str(m.student_status), str(m.labour)].filter((x) => x && x !== '健康' && x !== '非在校生');
    return { name: str(m.name), relation: str(m.relation), age, notes };
  });

  const changes: Briefing['changes'] = [];
  if (last && input.beforeLast) {
    for (const s of form.sections) {
      for (const f of s.fields) {
        if (!f.carry_forward || f.type === 'repeat') continue;
        const before = input.beforeLast[f.id];
        const now = a[f.id];
        if (JSON.stringify(before ?? null) !== JSON.stringify(now ?? null))
          changes.push({ label: f.label, from: display(f, before), to: display(f, now) });
      }
    }
    const n0 = arr(input.beforeLast.members).length;
    const n1 = arr(a.members).length;
    if (n0 !== n1) changes.push({ label: { zh: '家庭人口', en: 'Household members' }, from: { zh: `${n0}`, en: `${n0}` }, to: { zh: `${n1}`, en: `${n1}` } });
  }

  const missing: Text[] = [];
  if (last) {
    for (const s of form.sections)
      for (const f of s.fields)
        if (f.carry_forward && f.type !== 'repeat' && (a[f.id] === undefined || a[f.id] === null || a[f.id] === '')) missing.push(f.label);
  }

  const measures = arr(a.measures)
    .filter((m) => str(m.measure_status) !== '已落实')
    .map((m) => ({ content: str(m.content), responsible: str(m.responsible), due: str(m.due_date), overdue: isDateString(str(m.due_date)) && str(m.due_date) < today }));

  const ages = members.map((m) => m.age);
  const schoolAge = ages.some((x) => x !== null && x >= 6 && x <= 15) || arr(a.members).some((m) => /学|教育/.test(str(m.student_status)) && str(m.student_status) !== '非在校生');
  const sick = arr(a.members).some((m) => ['长期慢性病', '患有大病', '残疾'].includes(str(m.health)));
  const uninsured = arr(a.members).some((m) => m.insured_basic === false || m.insured_critical === false);
  const grade = str(a.house_grade);
  const unsafeHouse = grade === 'C' || grade === 'D' || grade === '' || grade === '未鉴定';
  const cause = str(a.cause_main) || input.household.causeMain;

  const topics: [string, string, boolean][] = [
    ['members', 'members', true],
    ['food', 'food_status', true],
    ['clothing', 'clothing_status', true],
    ['education', 'education_status', schoolAge || cause === '因学'],
    ['schooling', 'members.student_status', schoolAge],
    ['medical', 'medical_status', sick || uninsured || cause === '因病' || cause === '因残' || !last],
    ['health', 'members.health', sick || cause === '因病' || cause === '因残'],
    ['housing', 'housing_status', unsafeHouse],
    ['water', 'water_status', true],
    ['wage', 'wage', true],
    ['business', 'business_gross', true],
    ['policies', 'policies', true],
    ['measures', 'prev_measures_review', measures.length > 0],
    ['awareness', 'knows_helper', true],
    ['read_back', 'read_back', true],
  ];
  const failed = last ? failedItems(a) : [];
  const failedLastTime = failed.flatMap((item) => {
    const f = findField(form, GUARANTEE_FIELDS[item]);
    return f ? [{ item, label: f.label, note: str(a[`${item}_note`]) }] : [];
  });
  const asks: Briefing['asks'] = [];
  for (const [topic, id, applies] of topics) {
    const f = findField(form, id);
    const wasFailed = failed.some((g) => GUARANTEE_FIELDS[g] === id);
    if ((applies || wasFailed) && f?.how_to_ask) asks.push({ topic, label: f.label, howToAsk: f.how_to_ask, ...(wasFailed ? { failedLastTime: true } : {}) });
  }
  // last time's failed items are what this visit must look at first
  asks.sort((x, y) => Number(!!y.failedLastTime) - Number(!!x.failedLastTime));

  const policies = new Set(arr(a.policies).map((p) => str(p.policy_type)).filter(Boolean));
  if (schoolAge) policies.add('教育资助');
  if (sick || cause === '因病') policies.add('健康扶贫');
  if (grade === 'C' || grade === 'D') policies.add('危房改造');
  if (input.household.attribute === '低保贫困户') policies.add('低保');
  if (input.household.attribute === '特困供养贫困户') policies.add('特困供养');
  if (['缺资金', '缺技术'].includes(cause)) policies.add('扶贫小额信贷');

  const staleAfter = input.staleAfterDays ?? 90;
  const stale = !last || (isDateString(last.visitDate) && daysSince(last.visitDate, today) > staleAfter);
  return {
    lastVisit: last ? { date: last.visitDate, mode: last.visitMode } : null,
    causeMain: cause,
    members,
    changes,
    problems: arr(a.problems).map((p) => ({ category: str(p.category), description: str(p.description) })),
    measures,
    missing,
    stale,
    openFlags: input.openFlags ?? [],
    failedLastTime,
    asks,
    policies: [...policies],
  };
}

function daysSince(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}
