/**
 * Training tables: question versions, pushed quizzes and their delivery queue, attempts, answers,
 * Leitner cards and the daily nudge log. Times are UTC epoch ms. Re-exported by schema.ts.
 */
import { sqliteTable, integer, text, primaryKey, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { people } from './schema.js';

/**
 * Every version of every question ever served (YAML banks and trainers' imports). `content` is the
 * core Question as JSON; answers point at (question_id, version), so an edit never rewrites history.
 */
export const quizQuestions = sqliteTable(
  'quiz_questions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    questionId: text('question_id').notNull(),
    version: integer('version').notNull(),
    /** bank id (YAML file name) or 'imported' */
    bank: text('bank').notNull(),
    topic: text('topic').notNull(),
    level: text('level').notNull(),
    content: text('content').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('quiz_questions_id_version').on(t.questionId, t.version)],
);

/** A quiz a trainer pushed: its questions (id + version, JSON), audience criteria (JSON) and deadline. */
export const quizPushes = sqliteTable(
  'quiz_pushes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    trainerId: integer('trainer_id').notNull().references(() => people.id),
    /** JSON [{ id, v }] in quiz order */
    questions: text('questions').notNull(),
    /** JSON of the selection (topic / level / bank / count) for the trainer's summary */
    selection: text('selection').notNull(),
    /** JSON AudienceCriteria */
    audience: text('audience').notNull(),
    deadline: integer('deadline').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('quiz_pushes_trainer').on(t.trainerId, t.createdAt)],
);

/**
 * The persisted send queue: one row per push and recipient.
 * status: pending → sending → sent | failed; a row found in 'sending' at start-up became 'unknown'
 * (the process died while Telegram had the request; it is never sent again, see push-queue.ts).
 */
export const quizDeliveries = sqliteTable(
  'quiz_deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    pushId: integer('push_id').notNull().references(() => quizPushes.id),
    personId: integer('person_id').notNull().references(() => people.id),
    status: text('status').notNull().default('pending'),
    sendingAt: integer('sending_at'),
    sentAt: integer('sent_at'),
    error: text('error'),
    /** when the before-deadline reminder was handed to Telegram (set before the call: at most once) */
    remindedAt: integer('reminded_at'),
  },
  (t) => [
    uniqueIndex('quiz_deliveries_push_person').on(t.pushId, t.personId),
    index('quiz_deliveries_status').on(t.status, t.id),
    index('quiz_deliveries_person').on(t.personId),
  ],
);

/** One sitting: a pushed quiz (one per person and push), a practice set or "my weak spots". */
export const quizAttempts = sqliteTable(
  'quiz_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    personId: integer('person_id').notNull().references(() => people.id),
    pushId: integer('push_id').references(() => quizPushes.id),
    /** push | practice | weak */
    kind: text('kind').notNull(),
    /** JSON [{ id, v }] in order */
    questions: text('questions').notNull(),
    /** index of the question on screen; equals the number of questions answered */
    position: integer('position').notNull().default(0),
    /** JSON number[]: options toggled so far on a multi-answer question */
    pending: text('pending').notNull().default('[]'),
    /** when the current question was shown (for the time taken) */
    shownAt: integer('shown_at').notNull(),
    startedAt: integer('started_at').notNull(),
    finishedAt: integer('finished_at'),
    correctCount: integer('correct_count').notNull().default(0),
  },
  (t) => [
    uniqueIndex('quiz_attempts_person_push').on(t.personId, t.pushId),
    index('quiz_attempts_push').on(t.pushId),
    // /stats: finished attempts per person and push, read from the index alone
    index('quiz_attempts_push_finished').on(t.pushId, t.finishedAt, t.personId, t.correctCount),
  ],
);

/** Every answer: who, which question and version, the choices, right or not, time taken, in which quiz. */
export const quizAnswers = sqliteTable(
  'quiz_answers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    attemptId: integer('attempt_id').notNull().references(() => quizAttempts.id),
    personId: integer('person_id').notNull().references(() => people.id),
    pushId: integer('push_id'),
    questionId: text('question_id').notNull(),
    version: integer('version').notNull(),
    /** JSON number[] (0-based option indexes) */
    choices: text('choices').notNull(),
    correct: integer('correct', { mode: 'boolean' }).notNull(),
    ms: integer('ms').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [
    uniqueIndex('quiz_answers_attempt_question').on(t.attemptId, t.questionId),
    index('quiz_answers_person').on(t.personId, t.at),
    index('quiz_answers_push').on(t.pushId),
  ],
);

/** Leitner card of one helper for one question. */
export const quizCards = sqliteTable(
  'quiz_cards',
  {
    personId: integer('person_id').notNull().references(() => people.id),
    questionId: text('question_id').notNull(),
    box: integer('box').notNull(),
    due: integer('due').notNull(),
    lastReviewAt: integer('last_review_at'),
    lapses: integer('lapses').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.personId, t.questionId] }), index('quiz_cards_due').on(t.due)],
);

/** The daily weak-spot nudge, one row per person and local day, written before the send (never twice). */
export const quizNudges = sqliteTable(
  'quiz_nudges',
  {
    personId: integer('person_id').notNull().references(() => people.id),
    day: text('day').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.personId, t.day] })],
);
