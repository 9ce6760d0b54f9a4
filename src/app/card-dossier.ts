/**
 * A submitted card as a supervisor opens it (from a flag, a drill-down or the review queue): the answers, the
 * computed figures, every revision old → new with who and when, the evidence against the household's position,
 * and the card's flags in every state. Only for a supervisor whose scope holds the household.
 */
import { answeredItems, figuresOfAnswers, pathLabel, type AnsweredItem, type ComputedFigure } from '../core/forms/index.js';
import { displayValue } from '../core/forms/display.js';
import { fieldAt, compile } from '../core/forms/compiled.js';
import { parsePath } from '../core/forms/state.js';
import type { Actor } from '../core/people/roles.js';
import type { Text } from '../core/text.js';
import { localDate } from '../core/time.js';
import { distanceMeters } from '../core/visits/risk-flags.js';
import { cardById, revisionsOf } from '../db/cards-repo.js';
import { flagsOfCard, type FlagRow } from '../db/flags-repo.js';
import { householdBrief, type HouseholdBrief } from '../db/household-repo.js';
import { personName } from '../db/people-repo.js';
import { openReviewsOfCard } from '../db/review-repo.js';
import { householdInScope } from '../db/scope-repo.js';
import { ok, refuse, type AppDeps, type Result } from './deps.js';
import { supervisorOf } from './scope.js';

export interface RevisionView {
  revision: number;
  at: number;
  authorName: string;
  reason: string | null;
  changes: { label: Text; from: Text; to: Text }[];
}

export interface EvidenceView {
  inPerson: boolean;
  durationMinutes: number | null;
  /** meters between the shared location and the household's known position (null: one of them unknown) */
  startMeters: number | null;
  endMeters: number | null;
  locationShared: boolean;
  photo: boolean;
}

export interface CardDossier {
  cardId: number;
  revision: number;
  household: HouseholdBrief;
  helperName: string;
  visitDate: string;
  visitMode: string;
  submittedAt: number;
  sections: { title: Text; items: AnsweredItem[] }[];
  figures: ComputedFigure[];
  revisions: RevisionView[];
  evidence: EvidenceView;
  flags: FlagRow[];
  openReviews: number;
}

type LocationAnswer = { lat: number; lon: number };
const isLocation = (v: unknown): v is LocationAnswer => !!v && typeof v === 'object' && 'lat' in v && 'lon' in v;

/** Opens a card for a supervisor; refused outside their scope. */
export function cardDossier(deps: AppDeps, actor: Actor | undefined, cardId: number): Result<CardDossier, 'role' | 'not_yours'> {
  const sup = supervisorOf(actor);
  if (!sup.ok) return sup;
  const { db, content, now, config } = deps;
  const card = cardById(db, cardId);
  if (!card || !householdInScope(db, sup.value.scope, card.householdId)) return refuse('not_yours');
  const form = content.forms.get(card.formId);
  const household = householdBrief(db, card.householdId);
  if (!form || !household) return refuse('not_yours');
  const answers = card.answers;
  const items = answeredItems(form, answers);
  const sections = form.sections
    .map((s, i) => ({ title: s.title, items: items.filter((it) => it.sectionIndex === i) }))
    .filter((s) => s.items.length);
  const ectx = { today: localDate(now(), config.timezone), nowMs: now(), settings: content.settings };
  const home = household.lat !== null && household.lon !== null ? { lat: household.lat, lon: household.lon } : null;
  const meters = (v: unknown) => (home && isLocation(v) ? distanceMeters(v, home) : null);
  return ok({
    cardId: card.id,
    revision: card.revision,
    household,
    helperName: personName(db, card.helperId) ?? '—',
    visitDate: card.visitDate,
    visitMode: card.visitMode,
    submittedAt: card.submittedAt,
    sections,
    figures: figuresOfAnswers(form, answers, ectx),
    revisions: revisionsOf(db, card.id).map((r) => ({
      revision: r.revision,
      at: r.createdAt,
      authorName: personName(db, r.authorId) ?? '—',
      reason: r.reason,
      changes: r.changes.map((c) => {
        const f = fieldAt(compile(form), parsePath(c.field)?.field ?? c.field);
        return {
          label: pathLabel(form, c.field),
          from: f ? displayValue(f, c.old) : { zh: String(c.old), en: String(c.old) },
          to: f ? displayValue(f, c.new) : { zh: String(c.new), en: String(c.new) },
        };
      }),
    })),
    evidence: {
      inPerson: card.inPerson,
      durationMinutes: typeof answers.duration_min === 'number' ? answers.duration_min : null,
      startMeters: meters(answers.location_start),
      endMeters: meters(answers.location_end),
      locationShared: isLocation(answers.location_start) || isLocation(answers.location_end),
      photo: !!answers.signature_photo,
    },
    flags: flagsOfCard(db, card.id),
    openReviews: openReviewsOfCard(db, card.id).length,
  });
}
