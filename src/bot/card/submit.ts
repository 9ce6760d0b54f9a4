import { finalAnswers, summarize, type Answers, type LocationValue } from '../../core/forms/index.js';
import { evidenceFlags, riskFlags } from '../../core/visits/risk-flags.js';
import { cardsAtSamePlace } from '../../core/visits/same-place.js';
import { cardById, cardsSubmittedBetween, latestCard, submitDraft, type AnswerChange, type NewFlag } from '../../db/cards-repo.js';
import type { BotContext } from '../context.js';
import type { Session } from './session.js';

export type SubmitOutcome =
  | { ok: true; cardId: number; revision: number; flags: NewFlag[]; inPerson: boolean }
  | { ok: false; reason: 'not_ready' | 'stale' };

/** Old → new for every top-level answer that differs (what a revision records). */
export function diffAnswers(before: Answers, after: Answers): AnswerChange[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const out: AnswerChange[] = [];
  for (const k of keys) {
    if (JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null)) out.push({ field: k, old: before[k] ?? null, new: after[k] ?? null });
  }
  return out;
}

/**
 * Makes the card immutable: checks it can be submitted, computes risk and evidence flags, then stores card,
 * hash-chained revision and flags in one transaction.
 */
export function submitSession(ctx: BotContext, s: Session): SubmitOutcome {
  const { db, content, now, config } = ctx.deps;
  if (!summarize(s.form, s.state, s.ectx).canSubmit) return { ok: false, reason: 'not_ready' };
  const answers = finalAnswers(s.form, s.state, s.ectx);
  const settings = content.settings;
  const visitMode = String(answers.visit_mode ?? '');
  const inPerson = settings.visits.counted_modes.includes(visitMode);
  const revised = s.draft.reviseCardId ? cardById(db, s.draft.reviseCardId) : undefined;
  const previous = latestCard(db, s.household.id, revised?.id);
  const prevAnswers = previous ? previous.answers : null;
  const home = s.household.lat !== null && s.household.lon !== null ? { lat: s.household.lat, lon: s.household.lon } : null;
  const flags: NewFlag[] = [
    ...riskFlags(answers, prevAnswers, settings),
    ...evidenceFlags(answers, settings, { today: s.ectx.today, householdLocation: home }),
  ].map((f) => ({ code: f.code, level: f.level, params: f.message.params }));

  const start = answers.location_start as LocationValue | undefined;
  if (start && typeof start === 'object' && 'lat' in start && inPerson) {
    const windowMs = settings.evidence.same_place_window_minutes * 60_000;
    const others = cardsSubmittedBetween(db, now() - windowMs, now())
      .map((c) => ({ householdId: c.householdId, loc: c.answers.location_start as LocationValue | undefined }))
      .filter((c): c is { householdId: number; loc: LocationValue } => !!c.loc && typeof c.loc === 'object' && 'lat' in c.loc)
      .map((c) => ({ householdId: c.householdId, lat: c.loc.lat, lon: c.loc.lon }));
    const n = cardsAtSamePlace({ householdId: s.household.id, lat: start.lat, lon: start.lon }, others, settings.evidence.same_place_meters);
    if (n >= 2) flags.push({ code: 'same_place', level: 'medium', params: { count: n + 1, minutes: settings.evidence.same_place_window_minutes } });
  }

  const changes = revised ? diffAnswers(revised.answers, answers) : [];
  const r = submitDraft(
    db,
    s.draft,
    {
      visitDate: String(answers.visit_date),
      visitMode,
      inPerson,
      answers,
      changes,
    },
    flags,
    ctx.actor!.personId,
    now(),
  );
  if (!r.ok) return { ok: false, reason: 'stale' };
  ctx.deps.log.info({ updateId: ctx.update.update_id, cardId: r.cardId, revision: r.revision, flags: flags.length, tz: config.timezone }, 'card submitted');
  return { ok: true, cardId: r.cardId, revision: r.revision, flags, inPerson };
}
