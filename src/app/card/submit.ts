/**
 * Submitting a card makes it immutable: it must be complete, the visit counts when its mode is an in-person one,
 * risk and evidence flags are computed (including "many cards from one place at one time"), and card, revision,
 * flags and the draft's closing are stored in one transaction. A correction stores its changes old → new.
 */
import { finalAnswers, summarize, type Answers, type LocationValue } from '../../core/forms/index.js';
import { localYear } from '../../core/time.js';
import { periodFor } from '../../core/rules/periods.js';
import { evidenceFlags, flagMessage, riskFlags } from '../../core/visits/risk-flags.js';
import { cardsAtSamePlace } from '../../core/visits/same-place.js';
import { cardById, cardsSubmittedBetween, latestCard, submitDraft, type AnswerChange, type NewFlag } from '../../db/cards-repo.js';
import { inPersonVisitCount } from '../../db/visits-repo.js';
import { ok, refuse, type AppDeps, type Result } from '../deps.js';
import { msg, raw, join, ViewBuilder, type ChatView } from '../views.js';
import type { CardSession } from './session.js';
import { receiptAction } from '../receipt.js';

export interface Submitted {
  cardId: number;
  revision: number;
  draftId: number;
  flags: NewFlag[];
  inPerson: boolean;
  /** 'YYYY-MM-DD' */
  visitDate: string;
}

/** Old → new for every top-level answer that differs (what a revision records). */
function diffAnswers(before: Answers, after: Answers): AnswerChange[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const out: AnswerChange[] = [];
  for (const k of keys) {
    if (JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null)) out.push({ field: k, old: before[k] ?? null, new: after[k] ?? null });
  }
  return out;
}

const hasPosition = (v: unknown): v is LocationValue & { lat: number; lon: number } => !!v && typeof v === 'object' && 'lat' in v && 'lon' in v;

/** Other households' in-person cards started within the window near this card's start: 2 or more is a flag. */
function samePlaceFlag(deps: AppDeps, s: CardSession, answers: Answers): NewFlag | undefined {
  const start = answers.location_start;
  if (!hasPosition(start)) return undefined;
  const { evidence } = deps.content.settings;
  const now = deps.now();
  const others = cardsSubmittedBetween(deps.db, now - evidence.same_place_window_minutes * 60_000, now)
    .filter((c) => hasPosition(c.answers.location_start))
    .map((c) => {
      const at = c.answers.location_start as { lat: number; lon: number };
      return { householdId: c.householdId, lat: at.lat, lon: at.lon };
    });
  const n = cardsAtSamePlace({ householdId: s.household.id, lat: start.lat, lon: start.lon }, others, evidence.same_place_meters);
  return n >= 2 ? { code: 'same_place', level: 'medium', params: { count: n + 1, minutes: evidence.same_place_window_minutes } } : undefined;
}

export function submitCard(deps: AppDeps, s: CardSession, authorId: number): Result<Submitted, 'not_ready' | 'stale'> {
  const { db, content, now } = deps;
  if (!summarize(s.form, s.state, s.ectx).canSubmit) return refuse('not_ready');
  const answers = finalAnswers(s.form, s.state, s.ectx);
  const settings = content.settings;
  const visitMode = String(answers.visit_mode ?? '');
  const inPerson = settings.visits.counted_modes.includes(visitMode);
  const revised = s.draft.reviseCardId ? cardById(db, s.draft.reviseCardId) : undefined;
  const previous = latestCard(db, s.household.id, revised?.id);
  const home = s.household.lat !== null && s.household.lon !== null ? { lat: s.household.lat, lon: s.household.lon } : null;
  const flags: NewFlag[] = [
    ...riskFlags(answers, previous?.answers ?? null, settings, { incomeCheck: periodFor(content.periods, String(answers.visit_date ?? ''))?.income_check }),
    ...evidenceFlags(answers, settings, { today: s.ectx.today, householdLocation: home }),
  ].map((f) => ({ code: f.code, level: f.level, params: f.message.params }));
  const samePlace = inPerson ? samePlaceFlag(deps, s, answers) : undefined;
  if (samePlace) flags.push(samePlace);
  const changes = revised ? diffAnswers(revised.answers, answers) : [];
  const visitDate = String(answers.visit_date);
  const r = submitDraft(db, s.draft, { visitDate, visitMode, inPerson, answers, changes }, flags, authorId, now());
  if (!r.ok) return refuse('stale');
  deps.log.info({ cardId: r.cardId, revision: r.revision, flags: flags.length }, 'card submitted');
  return ok({ cardId: r.cardId, revision: r.revision, draftId: s.draft.id, flags, inPerson, visitDate });
}

/**
 * What the helper reads after submitting: saved, the visit counted (or not) against the target, every flag the card
 * raised and who sees them, and the 明白卡 (receipt) action.
 */
export function submittedView(deps: AppDeps, s: CardSession, r: Submitted): ChatView {
  // counted in the visit's own year: a card entered late (in January for a December visit) counts in that year
  const year = Number(r.visitDate.slice(0, 4));
  const count = inPersonVisitCount(deps.db, s.household.id, `${year}-01-01`, `${year + 1}-01-01`);
  const target = deps.content.settings.visits.target;
  const thisYear = year === localYear(deps.now(), deps.config.timezone);
  const counted = thisYear ? (r.inPerson ? 'card.counted' : 'card.not_counted') : r.inPerson ? 'card.counted_in_year' : 'card.not_counted_in_year';
  const v = new ViewBuilder()
    .line(r.revision > 1 ? msg('card.revised', { head: s.household.headName, revision: r.revision }) : msg('card.submitted', { head: s.household.headName }))
    .line(msg(counted, { count, target, year }));
  if (r.flags.length) {
    v.block().line(msg('card.flags_title'));
    for (const f of r.flags) {
      const m = flagMessage(f.code, f.params);
      v.line(join([raw('🚩 '), msg(m.key, m.params)]));
    }
    v.line(msg('card.flags_seen_by'));
  }
  const receipt = receiptAction(r.cardId);
  return v.action(receipt.label, receipt.op, ...receipt.args).build();
}
