import type { LeitnerCard } from './types.js';

/** One day in milliseconds. */
export const DAY_MS = 24 * 60 * 60 * 1000;

/** Leitner schedule: interval (days) before a card in box i+1 is due again. */
export interface LeitnerSchedule {
  intervalsDays: readonly number[];
  /** Extra delay after a wrong answer, so it does not come straight back in the same sitting. */
  retryDelayMs: number;
}

/** Boxes 1..5 with intervals 0, 1, 3, 7, 21 days; a wrong answer comes back after 10 minutes. */
export const DEFAULT_SCHEDULE: LeitnerSchedule = { intervalsDays: [0, 1, 3, 7, 21], retryDelayMs: 10 * 60 * 1000 };

/** A fresh card for a question the helper has not reviewed yet: box 1, due now. */
export function newCard(personId: string, questionId: string, now: number): LeitnerCard {
  return { personId, questionId, box: 1, due: now, lastReviewAt: null, lapses: 0 };
}

/**
 * Moves a card after an answer. Wrong → box 1, due after the retry delay (now-ish), one more lapse.
 * Right → up one box (capped at the last), due after that box's interval. Returns a new card.
 */
export function leitnerMove(
  card: LeitnerCard,
  correct: boolean,
  now: number,
  schedule: LeitnerSchedule = DEFAULT_SCHEDULE,
): LeitnerCard {
  const last = schedule.intervalsDays.length;
  if (!correct) {
    return { ...card, box: 1, due: now + schedule.retryDelayMs, lastReviewAt: now, lapses: card.lapses + 1 };
  }
  const box = Math.min(Math.max(card.box, 1) + 1, last);
  return { ...card, box, due: now + schedule.intervalsDays[box - 1] * DAY_MS, lastReviewAt: now };
}

/** Cards due at `now`: most overdue first, then the lower box first. */
export function dueQuestions(cards: readonly LeitnerCard[], now: number): LeitnerCard[] {
  return cards.filter((c) => c.due <= now).sort((a, b) => a.due - b.due || a.box - b.box);
}
