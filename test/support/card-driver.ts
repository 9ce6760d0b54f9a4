/**
 * Drives a card through the bot's UI like a helper would (typing, pressing buttons, sharing a location),
 * choosing each answer from a script keyed by field id. The engine is consulted only to know which field
 * the bot is asking, so the test checks the bot, not itself.
 */
import { currentPrompt, type FormDefinition } from '../../src/core/forms/index.js';
import type { Db } from '../../src/db/client.js';
import { openDrafts } from '../../src/db/cards-repo.js';
import { householdRegistry } from '../../src/db/schema.js';
import type { EngineContext } from '../../src/core/forms/index.js';
import type { AppDeps } from '../../src/app/deps.js';
import { engineContextFor } from '../../src/app/card-context.js';
import { householdsOfHelper } from '../../src/db/household-repo.js';
import type { Settings } from '../../src/core/forms/settings.js';

/** `text:…` types, `press:…` presses a button by label, `loc:lat,lon` shares a location, `photo` sends one. */
export type Action = string;
export type Script = Record<string, Action | Action[]>;

export interface DriverIO {
  send(text: string): Promise<void>;
  press(label: string | RegExp): Promise<void>;
  location(lat: number, lon: number): Promise<void>;
  photo(): Promise<void>;
}

/** A chat the driver talks through: the bot over the fake Telegram, or the use cases directly (test/support/app-chat.ts). */
export interface DriverChat extends DriverIO {
  location(lat: number, lon: number, forwarded?: boolean): Promise<void>;
  sticker(): Promise<void>;
  inbox(): { text?: string }[];
  lastText(): string;
}

export interface Step {
  path: string;
  fieldId: string;
  action: Action;
}

/**
 * The field the focused open draft of a helper is asking now, or null at the summary. `forms` gives the draft's own
 * form (a card of 2017 and one of today are different forms); a single form is used as is.
 */
export function currentField(db: Db, helperId: number, forms: FormDefinition | ReadonlyMap<string, FormDefinition>, ectx: EngineContext) {
  const draft = openDrafts(db, helperId)[0];
  if (!draft) return undefined;
  const form = forms instanceof Map ? forms.get(draft.formId)! : (forms as FormDefinition);
  const p = currentPrompt(form, draft.state, ectx);
  return p.done ? null : p;
}

export function pickAction(script: Script, key: string, occurrence: number): Action | undefined {
  const a = script[key];
  if (a === undefined) return undefined;
  return Array.isArray(a) ? a[Math.min(occurrence, a.length - 1)] : a;
}

export async function perform(io: DriverIO, action: Action): Promise<void> {
  if (action.startsWith('text:')) return io.send(action.slice(5));
  if (action.startsWith('press:')) return io.press(action.slice(6));
  if (action.startsWith('loc:')) {
    const [lat, lon] = action.slice(4).split(',').map(Number);
    return io.location(lat, lon);
  }
  if (action === 'photo') return io.photo();
  throw new Error(`unknown action ${action}`);
}

/**
 * A key for the question on screen: a field id, `repeat.field` for a list item's field, the path of a question over
 * all items (`members[*].insured_basic`) or of a section's "the same as last time?" (`@household`), or a checklist's id
 * (`living_facts`).
 */
export function keyOf(p: { kind: string; path: string; fieldId: string; repeat?: { id: string } }): string {
  if (p.kind === 'across' || p.kind === 'confirm') return p.path;
  return p.repeat ? `${p.repeat.id}.${p.fieldId}` : p.fieldId;
}

/**
 * Script key, followed by `:<household code>`: actions made from the summary of that household's first card carried
 * from the registry (what changed since the registry's record), once, before the summary is final. Other cards
 * never perform them.
 */
export const REGISTRY_CHANGES = '@registry_changes';

/** Items a list holds before the helper adds any: the head is member 1 from the start. */
const LIST_OFFSET: Record<string, number> = { members: 1 };

/** Valid ID numbers (GB 11643 check digits) of the demo household's members. */
export const DEMO_IDS = { head: '41052319650302123X', spouse: '410523196807150022', son: '410523200506010033' } as const;

/**
 * A realistic first visit to the demo household H0001 (因病; 李大山 52, his wife 49, their son 12), as a helper fills it
 * on a phone: one problem and one measure recorded, one policy. What is not in the script is not asked.
 */
export const FIRST_CARD: Script = {
  visit_date: 'text:2017-11-10',
  visit_mode: 'press:入户走访',
  duration_min: 'text:75分钟',
  location_start: 'loc:34.2710,108.9500',
  companions: 'text:村主任 张三',
  head_id: `text:${DEMO_IDS.head}`,
  identified_year: 'text:2015',
  identification_standard: 'press:国家标准',
  road_type: 'press:水泥路',
  // the living-and-production checklist after the registry's facts were confirmed (power ticked, toilet not): grain,
  // poultry, a need for animal-raising skills; the rest 否 / none
  living_facts: ['press:种：粮食作物', 'press:养：家禽', 'press:需要：养殖技术', 'press:选好了'],
  // each field alone (an edit from the summary)
  household_electricity: 'press:是',
  sanitary_toilet: 'press:否',
  main_fuel: 'press:柴草',
  crops: ['press:粮食作物', 'press:选好了'],
  livestock: ['press:家禽', 'press:选好了'],
  cooperative_member: 'press:否',
  project_dividend: 'press:否',
  tech_needs: ['press:养殖技术', 'press:选好了'],
  'members.ethnicity': 'text:汉族',
  'members.chronic_outpatient': 'press:是',
  exit_candidate: 'press:否',
  cause_other: ['press:缺技术', 'press:选好了'],
  farmland_mu: 'text:3.5亩',
  forest_mu: 'press:0（没有）',
  road_km: 'text:2',
  housing_area_m2: 'text:80',
  members: [`text:张秀兰 配偶 ${DEMO_IDS.spouse}`, `text:李小军 之子 ${DEMO_IDS.son}`, 'press:这一组填完了'],
  'members.student_status': 'press:小学',
  'members.education': ['press:小学', 'press:初中'],
  'members.health': ['press:长期慢性病', 'press:健康', 'press:健康'],
  'members.labour': ['press:弱劳动力或半劳动力', 'press:普通劳动力'],
  'members.work_status': ['press:未务工', 'press:乡(镇)内务工'],
  'members.work_months': 'text:8个月',
  'members[*].insured_basic': 'press:选好了',
  guarantee_problems: 'press:选好了',
  house_grade: 'press:B',
  house_structure: 'press:砖混',
  water_source: 'press:自来水',
  wage: 'text:1.6万',
  business_gross: 'text:6000',
  business_cost: 'text:1500',
  other_income: ['press:养老金', 'press:选好了'],
  pension_amt: 'text:1200',
  medical_out_of_pocket: 'text:3000',
  policies: ['press:健康扶贫', 'press:这一组填完了'],
  'policies.detail': 'text:慢病签约家庭医生，门诊报销',
  'policies.amount_yuan': 'text:800',
  'policies.start_date': 'text:2017-01-01',
  knows_helper: 'press:是',
  policies_named: ['press:健康扶贫', 'press:选好了'],
  satisfaction: 'press:满意',
  problems: ['press:医疗', 'press:这一组填完了'],
  'problems.description': 'text:户主慢性病用药负担重',
  measures: ['press:健康扶贫', 'press:这一组填完了'],
  'measures.content': 'text:协助办理慢病卡',
  'measures.responsible': 'press:王小明',
  'measures.due_date': 'text:2017-12-31',
  next_visit_date: 'text:2017-12-10',
  read_back_signed: 'press:已念读，户主签字',
  // asked only after other answers (a changed card, the fuzz tests pressing buttons at random)
  food_note: 'text:口粮不足，需跟进',
  clothing_note: 'text:冬衣不足，需跟进',
  education_note: 'text:需跟进',
  medical_note: 'text:需跟进',
  housing_note: 'text:需跟进',
  water_note: 'text:需跟进',
  food_status: 'press:不达标',
  clothing_status: 'press:不达标',
  education_status: 'press:不达标',
  medical_status: 'press:不达标',
  housing_status: 'press:不达标',
  water_status: 'press:不达标',
  water_problems: ['press:水量不足', 'press:选好了'],
  disaster_types: ['press:农作物受灾', 'press:选好了'],
  exit_year: 'text:2016',
  accepts_exit: 'press:不适用',
  household_opinion: 'text:希望孩子们多回家看看',
  'members.disability_cert': 'press:否',
  'members.relation': 'press:其他',
  'members.name': 'text:李四',
  'members.gender': 'press:男',
  'members.birth_date': 'text:1970-01-01',
  'members.id_number': 'press:跳过',
  dibao_amt: 'text:1800',
  tekun_amt: 'text:3000',
  property: 'text:500',
  family_planning_amt: 'text:600',
  eco_comp_amt: 'text:300',
  other_transfer: 'text:200',
  'policies.loan_term_months': 'text:36',
  'policies.loan_repayment': 'press:正常还款',
  'policies.end_date': 'press:跳过',
  household_signer: 'text:张秀兰',
  // a first card carried from the registry (the demo's H0001): what changed since the registry's record, made from
  // the summary once the registry is confirmed. 张秀兰 works in the township now (8 months), so the card records
  // the same household as a first card typed in full.
  [`${REGISTRY_CHANGES}:H0001`]: ['press:修改某一项', 'press:C. 家庭成员', 'press:成员 2 · 务工状况：未务工', 'press:乡(镇)内务工', 'text:8个月'],
  // from the second visit on: the facts of a section confirmed at once, last time's lists kept, measures reviewed
  '@household': 'press:全部没变',
  '@guarantees': 'press:全部没变',
  '@income': 'press:全部没变',
  '@living': 'press:全部没变',
  // asked only after other answers: water figures when water is ticked, medical aid after costs in hospital
  water_litres_per_day: 'text:15',
  water_fetch_minutes: 'text:40',
  water_days_without: 'text:60',
  medical_aid: 'press:是',
  pay_after_treatment: 'press:是',
  self_consumed_value: 'text:1500',
  welfare_job_pay: 'text:6000',
  family_support_amt: 'text:1200',
  'prev_measures_review.review': 'press:已落实',
};

/**
 * The same first visit to a household the registry brought nothing for (`withoutRegistry`): every fact typed or
 * ticked on the card, power among the checklist's ticks.
 */
export const TYPED_FIRST_CARD: Script = {
  ...FIRST_CARD,
  living_facts: ['press:通生活用电', 'press:种：粮食作物', 'press:养：家禽', 'press:需要：养殖技术', 'press:选好了'],
};

/** Forgets the registry's records, so first cards are typed in full as for a household the registry has no record of. */
export function withoutRegistry(db: Db): void {
  db.delete(householdRegistry).run();
}

/**
 * The next visit to the same household when nothing has changed: the household's facts, members, income and
 * policies confirmed as last time, last time's measure reviewed, nothing new found.
 */
export const RETURN_CARD: Script = {
  ...FIRST_CARD,
  visit_date: 'text:2017-12-05',
  next_visit_date: 'text:2018-01-05',
  problems: 'press:这一组填完了',
  measures: 'press:这一组填完了',
};

/**
 * A visit today (2026) to the same household under today's rules (dynamic-card-2021.yaml): an ex-poor household
 * monitored as 脱贫不稳定户 for illness, its risk not yet removed, the helper as contact person, a measure for the
 * illness risk and a policy under its 2021 name. The shared sections answer as in FIRST_CARD.
 */
export const TODAY_CARD: Script = {
  ...FIRST_CARD,
  visit_date: 'text:2026-11-28',
  household_type: 'press:脱贫户',
  exit_year: 'text:2019',
  monitored: 'press:是',
  monitoring_kind: 'press:脱贫不稳定户',
  monitoring_since: 'text:2026-03-01',
  risk_types: ['press:因病', 'press:选好了'],
  risk_eliminated: 'press:否',
  contact_person: 'press:王小明',
  policies: ['press:健康帮扶', 'press:这一组填完了'],
  'policies.start_date': 'text:2026-01-01',
  policies_named: ['press:健康帮扶', 'press:选好了'],
  measures: ['press:因病', 'press:这一组填完了'],
  'measures.measure_type': 'press:健康帮扶',
  'measures.due_date': 'text:2026-12-31',
  next_visit_date: 'text:2026-12-28',
};

/** A wrong input to try at a field before the right one: `text:…`, `loc-fwd:lat,lon`, `sticker`. */
export type BadInputs = Record<string, Action[]>;

/**
 * Fills the focused card of `helperId` through the UI until the summary, trying each bad input first and
 * checking that the bot answered with a warning and asked the same question again.
 */
export async function fillCard(
  h: { db: Db; deps: AppDeps },
  u: DriverChat,
  helperId: number,
  householdCode: string,
  script: Script,
  bad: BadInputs = {},
): Promise<{ steps: Step[]; rejected: { key: string; action: Action; reply: string }[] }> {
  const form = h.deps.content.forms;
  const hh = householdsOfHelper(h.db, helperId).find((x) => x.code === householdCode)!;
  const seen = new Map<string, number>();
  const steps: Step[] = [];
  const rejected: { key: string; action: Action; reply: string }[] = [];
  const io: DriverIO = { send: u.send, press: u.press, location: (a, b) => u.location(a, b), photo: () => u.photo() };
  let changed = false;
  for (let i = 0; i < 400; i++) {
    const p = currentField(h.db, helperId, form, engineContextFor(h.deps, hh, helperId));
    const changes = script[`${REGISTRY_CHANGES}:${householdCode}`];
    if (p === null && !changed && Array.isArray(changes) && openDrafts(h.db, helperId)[0]?.state.previousFrom === 'registry') {
      changed = true;
      for (const action of changes) {
        steps.push({ path: REGISTRY_CHANGES, fieldId: REGISTRY_CHANGES, action });
        await perform(io, action);
      }
      continue;
    }
    if (p === null) return { steps, rejected };
    if (p === undefined) throw new Error('no open draft');
    const key = keyOf(p);
    for (const b of bad[key] ?? []) {
      const before = u.inbox().length;
      if (b.startsWith('loc-fwd:')) {
        const [lat, lon] = b.slice(8).split(',').map(Number);
        await u.location(lat, lon, true);
      } else if (b === 'sticker') await u.sticker();
      else await perform(io, b);
      const replies = u.inbox().slice(before).map((m) => m.text ?? '');
      if (!replies[0]?.startsWith('⚠️')) throw new Error(`bad input ${b} at ${key} was not refused: ${replies.join(' | ')}`);
      const again = currentField(h.db, helperId, form, engineContextFor(h.deps, hh, helperId));
      if (!again || again.path !== p.path) throw new Error(`after bad input ${b} the card moved from ${p.path}`);
      if (!replies.some((r) => r.includes(p.label.zh))) throw new Error(`the question was not asked again after ${b}: ${replies.join(' | ')}`);
      rejected.push({ key, action: b, reply: replies[0] });
    }
    delete bad[key];
    // a list that offers last time's items: kept as they were, unless the script says otherwise (`policies:previous`)
    const offersPrevious = p.kind === 'list' && !!p.list?.previousItems?.length && !p.list.items.length;
    const n = seen.get(key) ?? 0;
    if (!offersPrevious) seen.set(key, n + 1);
    const action = offersPrevious ? (pickAction(script, `${key}:previous`, 0) ?? 'press:全部不变') : pickAction(script, key, n);
    if (!action) throw new Error(`no scripted answer for ${key} (${p.path}); bot said: ${u.lastText()}`);
    steps.push({ path: p.path, fieldId: key, action });
    await perform(io, action);
  }
  throw new Error(`card did not reach the summary in 400 steps; last: ${steps.slice(-6).map((x) => `${x.path}=${x.action}`).join(' | ')}; bot said: ${u.lastText()}`);
}

/**
 * The scripted action for the prompt on screen, chosen from the card's own state rather than from a count of
 * what was sent: after a crash some sends were applied and some were not, and only the state knows which.
 * Lists: the n-th entry while n items exist; repeat items: the entry of the item's index; multi-select: the
 * first toggle not yet ticked, then the last entry ("done").
 */
export function actionFor(
  script: Script,
  p: { kind: string; path: string; fieldId: string; type: string; repeat?: { id: string; index: number }; list?: { items: unknown[] }; selected?: string[]; choices?: { value: string; label: { zh: string } }[] },
): Action | undefined {
  const a = script[keyOf(p)];
  if (a === undefined || !Array.isArray(a)) return a;
  if (p.list) return a[Math.min(Math.max(0, p.list.items.length - (LIST_OFFSET[p.fieldId] ?? 0)), a.length - 1)];
  if (p.type === 'select_multiple') {
    const ticked = new Set(p.selected ?? []);
    const toggle = a.slice(0, -1).find((x) => {
      const label = x.replace(/^press:/, '');
      const choice = p.choices?.find((c) => c.label.zh.includes(label));
      return choice && !ticked.has(choice.value);
    });
    return toggle ?? a[a.length - 1];
  }
  if (p.repeat) return a[Math.min(p.repeat.index, a.length - 1)];
  return a[0];
}

/**
 * A district that entered its own 2017 poverty line (content ships none for 2017: no source was found for any 2017
 * figure, docs/rule-periods.md). 2952 is this test district's entry, in the exit-line series it chose.
 */
export function withDistrictLine2017(s: Settings): Settings {
  s.poverty_lines.push({ year: 2017, region: 'national', series: 'exit_line', yuan: 2952, certainty: 'unverified', source: '[PD3]' });
  return s;
}
