/**
 * 缺什么补什么 for one helper: "我的应知应会" lists, per level, the requirements in force here that they have shown
 * they know (src/core/requirements/knowledge.ts) and those they have not; the gaps are what practice starts with.
 */
import { LEVEL_LABELS, LEVELS, type Level, type Question } from '../../core/quiz/index.js';
import { masteryOf, type Mastery, type MasteryAnswer, type Requirement, type RequirementPack } from '../../core/requirements/index.js';
import { readKv } from '../../db/kv-repo.js';
import { localDate } from '../../core/time.js';
import { answerRows } from '../../db/quiz-attempt-repo.js';
import type { Catalog } from '../../db/quiz-repo.js';
import { ok, refuse, type AppDeps, type Result } from '../deps.js';
import { content, msg, ViewBuilder, type ChatView } from '../views.js';
import { catalogOf, mayQuiz } from './catalog.js';
import type { QuizRefusal } from './refusals.js';

/** A requirement in force here with its questions in force. */
export interface LiveRequirement {
  req: Requirement;
  questions: Question[];
}

/** What reading knowledge needs (the CLI's export has no logger or notifier). */
export type KnowDeps = Pick<AppDeps, 'db' | 'content' | 'config' | 'now'>;

/** Most gaps listed per level (the rest are counted). */
const MAX_GAP_LINES = 6;
const SHORT = 36;

/** The requirement a question tests: the content's word when the question is shipped, else the stored one. */
export function requirementOf(deps: Pick<AppDeps, 'content'>, q: Question): string | undefined {
  return deps.content.quizzes.byId.get(q.id)?.requirement ?? q.requirement;
}

/** Where the packs trainers load in the bot are kept (src/app/quiz/rules-import.ts). */
export const KV_IMPORTED = 'requirements:imported';

/** Packs trainers loaded in the bot: they join the shipped ones everywhere requirements are read. */
export function importedPacks(deps: Pick<AppDeps, 'db'>): RequirementPack[] {
  return readKv<RequirementPack[]>(deps.db, KV_IMPORTED) ?? [];
}

/** The requirements that bind this district's helpers today and can be asked (they have questions in force). */
export function liveRequirements(deps: KnowDeps, cat: Catalog = catalogOf(deps)): LiveRequirement[] {
  const byReq = new Map<string, Question[]>();
  for (const q of cat.questions) {
    const rid = requirementOf(deps, q);
    if (rid === undefined) continue;
    const list = byReq.get(rid);
    if (list) list.push(q);
    else byReq.set(rid, [q]);
  }
  const all = [...deps.content.requirements.requirements, ...importedPacks(deps).flatMap((p) => p.requirements)];
  return all.filter((r) => byReq.has(r.id)).map((req) => ({ req, questions: byReq.get(req.id)! }));
}

/** Each live requirement's mastery for one person's answers. */
export function masteryFor(deps: Pick<AppDeps, 'config'>, live: readonly LiveRequirement[], answers: readonly MasteryAnswer[]): Map<string, Mastery> {
  const dayOf = (ms: number) => localDate(ms, deps.config.timezone);
  const byQuestion = new Map<string, MasteryAnswer[]>();
  for (const a of answers) {
    const list = byQuestion.get(a.questionId);
    if (list) list.push(a);
    else byQuestion.set(a.questionId, [a]);
  }
  return new Map(
    live.map(({ req, questions }) => [req.id, masteryOf(questions, questions.flatMap((q) => byQuestion.get(q.id) ?? []), dayOf)]),
  );
}

/** Ids of the questions whose requirement this person does not know yet (never asked first, then learning). */
export function gapQuestions(deps: KnowDeps, personId: number, cat: Catalog = catalogOf(deps)): { never: Set<string>; learning: Set<string> } {
  const live = liveRequirements(deps, cat);
  const mastery = masteryFor(deps, live, answerRows(deps.db, { personId }));
  const out = { never: new Set<string>(), learning: new Set<string>() };
  for (const { req, questions } of live) {
    const m = mastery.get(req.id);
    if (m === 'known') continue;
    for (const q of questions) (m === 'never' ? out.never : out.learning).add(q.id);
  }
  return out;
}

const short = (s: string): string => (Array.from(s).length > SHORT ? `${Array.from(s).slice(0, SHORT).join('')}…` : s);

/** "我的应知应会": per level, known / total, the gaps by name, and a button that practises the gaps. */
export function knowledgeView(deps: AppDeps, actor: Parameters<typeof mayQuiz>[0]): Result<ChatView, QuizRefusal> {
  if (!mayQuiz(actor)) return refuse('role');
  const live = liveRequirements(deps);
  const v = new ViewBuilder().line(msg('know.title'));
  if (live.length === 0) return ok(v.line(msg('know.none')).build());
  const mastery = masteryFor(deps, live, answerRows(deps.db, { personId: actor.personId }));
  let gaps = 0;
  for (const level of LEVELS) {
    const here = live.filter((l) => l.req.level === level);
    if (here.length === 0) continue;
    const known = here.filter((l) => mastery.get(l.req.id) === 'known').length;
    const never = here.filter((l) => mastery.get(l.req.id) === 'never').length;
    v.block().line(msg('know.level_line', { level: content(LEVEL_LABELS[level as Level]), known, total: here.length, never }));
    const missing = here.filter((l) => mastery.get(l.req.id) !== 'known');
    gaps += missing.length;
    for (const l of missing.slice(0, MAX_GAP_LINES)) {
      v.line(msg(mastery.get(l.req.id) === 'never' ? 'know.gap_never' : 'know.gap_learning', { text: content({ zh: short(l.req.text.zh), en: short(l.req.text.en) }) }));
    }
    if (missing.length > MAX_GAP_LINES) v.line(msg('know.more', { count: missing.length - MAX_GAP_LINES }));
  }
  v.block();
  if (gaps === 0) v.line(msg('know.all_known'));
  else v.action(msg('know.practise_gaps', { count: gaps }), 'quiz:gaps');
  return ok(v.build());
}
