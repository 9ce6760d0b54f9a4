/**
 * Attempts, answers and Leitner cards. An answer is accepted only for the attempt's current position, inside one
 * transaction that records it, moves the Leitner card and advances the attempt: a double tap or an old button
 * finds the position moved on and changes nothing.
 */
import { and, desc, eq, gte, isNull } from 'drizzle-orm';
import { leitnerMove, newCard, scoreAnswer, type AnswerRow, type LeitnerCard, type Question } from '../core/quiz/index.js';
import { inTransaction, type Db } from './client.js';
import type { QuestionRef } from './quiz-repo.js';
import { quizAnswers, quizAttempts, quizCards } from './schema.js';

export type AttemptKind = 'push' | 'practice' | 'weak';

export interface Attempt {
  id: number;
  personId: number;
  pushId: number | null;
  kind: AttemptKind;
  questions: QuestionRef[];
  position: number;
  pending: number[];
  shownAt: number;
  finishedAt: number | null;
  correctCount: number;
}

type Row = typeof quizAttempts.$inferSelect;

function toAttempt(r: Row): Attempt {
  return {
    id: r.id,
    personId: r.personId,
    pushId: r.pushId,
    kind: r.kind as AttemptKind,
    questions: JSON.parse(r.questions) as QuestionRef[],
    position: r.position,
    pending: JSON.parse(r.pending) as number[],
    shownAt: r.shownAt,
    finishedAt: r.finishedAt,
    correctCount: r.correctCount,
  };
}

export function attemptById(db: Db, id: number): Attempt | undefined {
  const r = db.select().from(quizAttempts).where(eq(quizAttempts.id, id)).get();
  return r ? toAttempt(r) : undefined;
}

/** The person's unfinished attempt whose question was shown last, if shown at or after `since`. */
export function latestOpenAttempt(db: Db, personId: number, since: number): Attempt | undefined {
  const r = db
    .select()
    .from(quizAttempts)
    .where(and(eq(quizAttempts.personId, personId), isNull(quizAttempts.finishedAt), gte(quizAttempts.shownAt, since)))
    .orderBy(desc(quizAttempts.shownAt), desc(quizAttempts.id))
    .get();
  return r ? toAttempt(r) : undefined;
}

/** The person's attempt at a pushed quiz, if they started it. */
export function attemptForPush(db: Db, personId: number, pushId: number): Attempt | undefined {
  const r = db
    .select()
    .from(quizAttempts)
    .where(and(eq(quizAttempts.personId, personId), eq(quizAttempts.pushId, pushId)))
    .get();
  return r ? toAttempt(r) : undefined;
}

/** Starts an attempt; for a pushed quiz the existing one is returned (one attempt per person and push). */
export function startAttempt(
  db: Db,
  input: { personId: number; pushId?: number; kind: AttemptKind; questions: QuestionRef[]; now: number },
): Attempt {
  return inTransaction(db, () => {
    if (input.pushId !== undefined) {
      const existing = attemptForPush(db, input.personId, input.pushId);
      if (existing) return existing;
    }
    const r = db
      .insert(quizAttempts)
      .values({
        personId: input.personId,
        pushId: input.pushId ?? null,
        kind: input.kind,
        questions: JSON.stringify(input.questions),
        shownAt: input.now,
        startedAt: input.now,
      })
      .returning()
      .get();
    return toAttempt(r);
  });
}

/** Stores the options toggled so far on a multi-answer question; false when the position moved on. */
export function setPending(db: Db, attemptId: number, position: number, pending: number[]): boolean {
  const res = db
    .update(quizAttempts)
    .set({ pending: JSON.stringify(pending) })
    .where(and(eq(quizAttempts.id, attemptId), eq(quizAttempts.position, position), isNull(quizAttempts.finishedAt)))
    .run();
  return res.changes === 1;
}

/** Marks when the current question was shown (time taken is measured from here). */
export function markShown(db: Db, attemptId: number, now: number): void {
  db.update(quizAttempts).set({ shownAt: now }).where(eq(quizAttempts.id, attemptId)).run();
}

export type AnswerOutcome =
  | { ok: true; correct: boolean; choices: number[]; attempt: Attempt }
  | { ok: false; reason: 'stale' };

/**
 * Records the answer to the question at `position` (the version the attempt holds), moves the Leitner card and
 * advances the attempt, all or nothing. Anything but the current position of an unfinished attempt is stale.
 */
export function recordAnswer(
  db: Db,
  input: { attemptId: number; position: number; question: Question; choices: number[]; now: number },
): AnswerOutcome {
  return inTransaction(db, (): AnswerOutcome => {
    const a = attemptById(db, input.attemptId);
    if (!a || a.finishedAt !== null || a.position !== input.position) return { ok: false, reason: 'stale' };
    const ref = a.questions[a.position];
    if (!ref || ref.id !== input.question.id || ref.v !== input.question.version) return { ok: false, reason: 'stale' };
    const score = scoreAnswer(input.question, input.choices);
    const inserted = db
      .insert(quizAnswers)
      .values({
        attemptId: a.id,
        personId: a.personId,
        pushId: a.pushId,
        questionId: ref.id,
        version: ref.v,
        choices: JSON.stringify(score.choices),
        correct: score.correct,
        ms: Math.max(0, input.now - a.shownAt),
        at: input.now,
      })
      .onConflictDoNothing()
      .run();
    if (inserted.changes !== 1) return { ok: false, reason: 'stale' };
    moveCard(db, a.personId, ref.id, score.correct, input.now);
    const position = a.position + 1;
    const finished = position >= a.questions.length;
    const correctCount = a.correctCount + (score.correct ? 1 : 0);
    db.update(quizAttempts)
      .set({ position, pending: '[]', shownAt: input.now, correctCount, finishedAt: finished ? input.now : null })
      .where(eq(quizAttempts.id, a.id))
      .run();
    return {
      ok: true,
      correct: score.correct,
      choices: score.choices,
      attempt: { ...a, position, pending: [], shownAt: input.now, correctCount, finishedAt: finished ? input.now : null },
    };
  });
}

function moveCard(db: Db, personId: number, questionId: string, correct: boolean, now: number): void {
  const row = db
    .select()
    .from(quizCards)
    .where(and(eq(quizCards.personId, personId), eq(quizCards.questionId, questionId)))
    .get();
  const card: LeitnerCard = row
    ? { personId: String(personId), questionId, box: row.box, due: row.due, lastReviewAt: row.lastReviewAt, lapses: row.lapses }
    : newCard(String(personId), questionId, now);
  const next = leitnerMove(card, correct, now);
  const values = { box: next.box, due: next.due, lastReviewAt: next.lastReviewAt, lapses: next.lapses };
  db.insert(quizCards)
    .values({ personId, questionId, ...values })
    .onConflictDoUpdate({ target: [quizCards.personId, quizCards.questionId], set: values })
    .run();
}

/** The person's Leitner cards. */
export function cardsOf(db: Db, personId: number): LeitnerCard[] {
  return db
    .select()
    .from(quizCards)
    .where(eq(quizCards.personId, personId))
    .all()
    .map((r) => ({ personId: String(r.personId), questionId: r.questionId, box: r.box, due: r.due, lastReviewAt: r.lastReviewAt, lapses: r.lapses }));
}

/** Answer rows in core's shape; of one person, or of one pushed quiz. */
export function answerRows(db: Db, where: { personId: number } | { pushId: number }): AnswerRow[] {
  const cond = 'personId' in where ? eq(quizAnswers.personId, where.personId) : eq(quizAnswers.pushId, where.pushId);
  return db
    .select()
    .from(quizAnswers)
    .where(cond)
    .all()
    .map((r) => ({
      personId: String(r.personId),
      questionId: r.questionId,
      questionVersion: r.version,
      choices: JSON.parse(r.choices) as number[],
      correct: r.correct,
      ms: r.ms,
      quizId: r.pushId === null ? null : String(r.pushId),
      at: r.at,
    }));
}

/** All answer rows (for topic scores when a push targets weak topics). */
export function allAnswerRows(db: Db): AnswerRow[] {
  return db
    .select({ personId: quizAnswers.personId, questionId: quizAnswers.questionId, version: quizAnswers.version, correct: quizAnswers.correct, at: quizAnswers.at })
    .from(quizAnswers)
    .all()
    .map((r) => ({ personId: String(r.personId), questionId: r.questionId, questionVersion: r.version, choices: [], correct: r.correct, ms: 0, at: r.at }));
}
