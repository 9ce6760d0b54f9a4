/**
 * Before and around a visit: pick a household, read the briefing (what to ask this time), start or continue its
 * card, correct the last one, resume a paused card. Each use case checks that the actor is a helper paired with
 * the household; a refusal is a result.
 */
import { startCard as engineStart } from '../../core/forms/index.js';
import { cardFormOn } from '../../core/rules/periods.js';
import { hasRole, type Actor } from '../../core/people/roles.js';
import { buildBriefing, type Briefing } from '../../core/visits/briefing.js';
import { flagMessage } from '../../core/visits/risk-flags.js';
import { cardBefore, createDraft, latestCard, openDrafts } from '../../db/cards-repo.js';
import { openFlagsOfHousehold } from '../../db/flags-repo.js';
import { setFocus } from '../../db/focus-repo.js';
import { helperHousehold, householdsOfHelper, type HouseholdSummary } from '../../db/household-repo.js';
import { registryFacts } from '../../db/roster-repo.js';
import { carriedAnswers, engineContextFor } from '../card-context.js';
import { ok, refuse, type AppDeps, type Result } from '../deps.js';
import { content, join, msg, raw, ViewBuilder, type ChatView, type Piece } from '../views.js';
import { seededRandom } from '../../core/quiz/index.js';
import { shuffled } from '../../core/quiz/random.js';
import { localDate } from '../../core/time.js';
import { startAttempt } from '../../db/quiz-attempt-repo.js';
import type { QuestionRef } from '../../db/quiz-repo.js';
import { catalogOf } from '../quiz/catalog.js';
import { sittingView } from '../quiz/sitting.js';
import { openCard, type OpenRefusal } from './session.js';
import { currentView } from './show.js';

export type VisitRefusal = 'not_helper' | 'not_yours';

const householdLabel = (h: HouseholdSummary): Piece => raw(`${h.code} ${h.headName}（${h.villageName}）`);

/** The helper's households to pick one for a visit. */
export function householdPicker(deps: AppDeps, actor: Actor | undefined): Result<ChatView, 'not_helper' | 'no_households'> {
  if (!hasRole(actor, 'helper')) return refuse('not_helper');
  const list = householdsOfHelper(deps.db, actor!.personId);
  if (!list.length) return refuse('no_households');
  const v = new ViewBuilder().line(msg('visit.pick'));
  for (const h of list) v.action(householdLabel(h), 'visit:household', h.id).row();
  return ok(v.build());
}

function ownHousehold(deps: AppDeps, actor: Actor | undefined, householdId: number): Result<HouseholdSummary, VisitRefusal> {
  if (!hasRole(actor, 'helper')) return refuse('not_helper');
  const h = helperHousehold(deps.db, actor!.personId, householdId);
  return h ? ok(h) : refuse('not_yours');
}

/** The pre-visit briefing, then "start the card" (or continue / throw away the open one) and "correct the last card". */
export function briefing(deps: AppDeps, actor: Actor | undefined, householdId: number): Result<ChatView, VisitRefusal> {
  const own = ownHousehold(deps, actor, householdId);
  if (!own.ok) return own;
  const h = own.value;
  const last = latestCard(deps.db, h.id);
  const ectx = engineContextFor(deps, h, actor!.personId);
  const b = buildBriefing({
    // what to ask follows the rules of today's period (the card started from here is today's form)
    form: cardFormOn(deps.content, ectx.today),
    today: ectx.today,
    household: { causeMain: h.causeMain, attribute: h.attribute },
    last: last ? { answers: last.answers, visitDate: last.visitDate, visitMode: last.visitMode } : null,
    beforeLast: last ? (cardBefore(deps.db, h.id, last.visitDate, last.id)?.answers ?? null) : null,
    openFlags: openFlagsOfHousehold(deps.db, h.id).map((f) => flagMessage(f.code, f.params)),
  });
  const visits = { count: Number(ectx.householdFacts?.in_person_visits_this_year ?? 0), target: deps.content.settings.visits.target };
  const v = briefingBody(new ViewBuilder(), b, h, visits, !last && registryFacts(deps.db, h.id) !== null);
  const open = openDrafts(deps.db, actor!.personId).find((d) => d.householdId === h.id);
  if (open) {
    v.action(msg('visit.btn_continue'), 'visit:continue', open.id).row();
    v.action(msg('visit.btn_discard'), 'card', 'dd', open.id, open.step).row();
  } else v.action(msg('visit.btn_start'), 'visit:start', h.id).row();
  if (last) v.action(msg('visit.btn_correct_last'), 'visit:correct', last.id).row();
  if (policyQuestions(deps, b.policies, `${h.id}`).length > 0) v.action(msg('visit.btn_policy_check'), 'visit:policies', h.id).row();
  return ok(v.build());
}

/**
 * Which questions speak about a policy, by words in their text or explanation: a product heuristic, not a fact. A
 * household's policies (enjoyed, or called for by its situation: the briefing's list) pick the questions.
 */
const POLICY_WORDS: Record<string, readonly string[]> = {
  教育资助: ['教育', '辍学', '资助', '学生'],
  健康扶贫: ['医疗', '医保', '大病', '慢性病', '健康扶贫', '签约'],
  危房改造: ['危房', '住房安全'],
  低保: ['低保', '兜底'],
  特困供养: ['特困', '五保', '兜底'],
  扶贫小额信贷: ['小额信贷', '贷款'],
  易地扶贫搬迁: ['搬迁'],
  生态补偿: ['生态', '护林'],
  产业扶持: ['产业'],
  就业扶贫: ['就业', '务工', '公益岗'],
  资产收益: ['光伏', '资产收益'],
};

/** Questions in the policy check before a visit. */
export const POLICY_CHECK_COUNT = 3;

/** Up to three questions in force on the household's policies, one policy after another, the same for one day. */
function policyQuestions(deps: AppDeps, policies: readonly string[], seed: string): QuestionRef[] {
  const cat = catalogOf(deps);
  const random = seededRandom(`${seed}:${localDate(deps.now(), deps.config.timezone)}`);
  const pools = policies
    .map((p) => POLICY_WORDS[p] ?? [])
    .map((words) => shuffled(cat.questions.filter((q) => words.some((w) => q.text.zh.includes(w) || q.explanation.zh.includes(w))), random));
  const out: QuestionRef[] = [];
  for (let round = 0; out.length < POLICY_CHECK_COUNT && pools.some((p) => p.length > round); round++) {
    for (const pool of pools) {
      const q = pool[round];
      if (q && out.length < POLICY_CHECK_COUNT && !out.some((r) => r.id === q.id)) out.push({ id: q.id, v: q.version });
    }
  }
  return out;
}

/** "检查我对这户政策的掌握": a three-question practice on the policies this household receives or qualifies for. */
export function policyCheck(deps: AppDeps, actor: Actor | undefined, householdId: number): Result<{ attemptId?: number; view: ChatView }, VisitRefusal> {
  const own = ownHousehold(deps, actor, householdId);
  if (!own.ok) return own;
  const h = own.value;
  const last = latestCard(deps.db, h.id);
  const b = buildBriefing({
    form: deps.content.card,
    today: localDate(deps.now(), deps.config.timezone),
    household: { causeMain: h.causeMain, attribute: h.attribute },
    last: last ? { answers: last.answers, visitDate: last.visitDate, visitMode: last.visitMode } : null,
    beforeLast: null,
  });
  const refs = policyQuestions(deps, b.policies, `${h.id}`);
  if (refs.length === 0) return ok({ view: new ViewBuilder().line(msg('visit.no_policy_questions')).build() });
  const attempt = startAttempt(deps.db, { personId: actor!.personId, kind: 'practice', questions: refs, now: deps.now() });
  const intro = new ViewBuilder().line(msg('visit.policy_check_intro', { policies: b.policies.join('、') })).build();
  const first = sittingView(deps, attempt);
  return ok({ attemptId: attempt.id, view: { ...first, blocks: [...intro.blocks, ...first.blocks] } });
}

/** The briefing's text: who lives there, what changed, what was promised, what to ask first, what to explain. */
/** `registered`: a first visit whose card starts from the registry's record. */
function briefingBody(v: ViewBuilder, b: Briefing, h: HouseholdSummary, visits: { count: number; target: number }, registered = false): ViewBuilder {
  v.line(msg('briefing.title', { head: h.headName, code: h.code, village: h.villageName }));
  v.line(msg('briefing.facts', { attribute: h.attribute, status: h.status, cause: b.causeMain, count: visits.count, target: visits.target }));
  v.line(b.lastVisit ? msg('briefing.last_visit', { date: b.lastVisit.date, mode: b.lastVisit.mode }) : msg(registered ? 'briefing.first_visit_registry' : 'briefing.first_visit'));
  if (b.members.length) {
    v.block().line(msg('briefing.members', { count: b.members.length }));
    for (const m of b.members) {
      const age = m.age === null ? raw('') : msg('briefing.age', { age: m.age });
      v.line(join([raw(`  · ${m.name}（${m.relation}`), age, raw(`）${m.notes.length ? ' ' + m.notes.join('、') : ''}`)]));
    }
  }
  if (b.changes.length) {
    v.block().line(msg('briefing.changes'));
    for (const c of b.changes) v.line(join([raw('  · '), content(c.label), raw('：'), content(c.from), raw(' → '), content(c.to)]));
  }
  if (b.problems.length) {
    v.block().line(msg('briefing.problems'));
    for (const p of b.problems) v.line(raw(`  · ${p.category}：${p.description}`));
  }
  if (b.measures.length) {
    v.block().line(msg('briefing.measures'));
    for (const m of b.measures) v.line(join([raw(`  · ${m.content}（${m.responsible}，${m.due}`), m.overdue ? msg('briefing.overdue') : raw(''), raw('）')]));
  }
  if (b.missing.length) v.block().line(msg('briefing.missing', { fields: join(b.missing.map(content), '、') }));
  if (b.stale && b.lastVisit) v.line(msg('briefing.stale'));
  v.block().line(msg('briefing.asks'));
  for (const f of b.openFlags) v.line(join([raw('  🚩 '), msg(f.key, f.params)]));
  for (const f of b.failedLastTime) v.line(join([raw('  ❗ '), msg('briefing.failed_last_time', { item: content(f.label), note: f.note || '—' })]));
  b.asks.forEach((a, i) => v.line(join([raw(`  ${i + 1}. ${a.failedLastTime ? '❗' : ''}`), content(a.label), raw('：'), content(a.howToAsk)])));
  if (b.policies.length) v.block().line(msg('briefing.policies', { list: b.policies.join('、') }));
  return v.block().line(msg('briefing.close'));
}

/** Starts the household's card (or returns the open one: one open card per household and helper). */
export function startVisit(deps: AppDeps, actor: Actor | undefined, householdId: number): Result<{ draftId: number }, VisitRefusal> {
  const own = ownHousehold(deps, actor, householdId);
  if (!own.ok) return own;
  const h = own.value;
  const existing = openDrafts(deps.db, actor!.personId).find((d) => d.householdId === h.id && !d.reviseCardId);
  if (existing) return ok({ draftId: existing.id });
  const ectx = engineContextFor(deps, h, actor!.personId);
  // the form of the rules in force today (content/rule-periods.yaml); the previous card's answers carry forward
  // where the forms share a field, so a household's history crosses the periods; before the first card the
  // registry's record (if the roster brought one) is carried the same way, and the roster's facts prefill it
  const form = cardFormOn(deps.content, ectx.today);
  const carried = carriedAnswers(deps, h.id);
  const state = engineStart(form, ectx, carried.previous, carried.from);
  const draft = createDraft(deps.db, { householdId: h.id, helperId: actor!.personId, formId: form.id, formVersion: form.version, state }, deps.now());
  return ok({ draftId: draft.id });
}

/** Makes a draft the focused one (typed answers go to it) and shows where it stopped. */
export function resumeCard(deps: AppDeps, actor: Actor | undefined, draftId: number): Result<ChatView, OpenRefusal> {
  const opened = openCard(deps, actor, draftId);
  if (!opened.ok) return opened;
  setFocus(deps.db, actor!.personId, draftId, deps.now());
  return ok(currentView(opened.value));
}

/** `/resume`: the only open card continues at once; with several, pick one. */
export function resumeChoice(deps: AppDeps, actor: Actor | undefined): Result<{ draftId: number } | { pick: ChatView }, 'not_helper' | 'nothing'> {
  if (!hasRole(actor, 'helper')) return refuse('not_helper');
  const drafts = openDrafts(deps.db, actor!.personId);
  if (!drafts.length) return refuse('nothing');
  if (drafts.length === 1) return ok({ draftId: drafts[0].id });
  const mine = new Map(householdsOfHelper(deps.db, actor!.personId).map((h) => [h.id, h]));
  const v = new ViewBuilder().line(msg('visit.pick_draft'));
  for (const d of drafts) {
    const h = mine.get(d.householdId);
    if (h) v.action(raw(`${h.code} ${h.headName}`), 'visit:continue', d.id).row();
  }
  return ok({ pick: v.build() });
}
