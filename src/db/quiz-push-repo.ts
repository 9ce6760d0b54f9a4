/**
 * Pushed quizzes and their delivery queue (one row per push and recipient), reminders and the daily nudge log.
 * The queue's state lives only here, so a restart picks up exactly where the last process stopped.
 */
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { AudienceCriteria, Assignee, HelperRow } from '../core/quiz/index.js';
import { inTransaction, type Db } from './client.js';
import type { QuestionRef } from './quiz-repo.js';
import { people, personRoles, quizAttempts, quizCards, quizDeliveries, quizNudges, quizPushes, towns, units } from './schema.js';

export interface PushRow {
  id: number;
  trainerId: number;
  questions: QuestionRef[];
  selection: Record<string, unknown>;
  audience: AudienceCriteria;
  deadline: number;
  createdAt: number;
}

function toPush(r: typeof quizPushes.$inferSelect): PushRow {
  return {
    id: r.id,
    trainerId: r.trainerId,
    questions: JSON.parse(r.questions) as QuestionRef[],
    selection: JSON.parse(r.selection) as Record<string, unknown>,
    audience: JSON.parse(r.audience) as AudienceCriteria,
    deadline: r.deadline,
    createdAt: r.createdAt,
  };
}

/** Active helpers with their unit and town (ids as strings, '' when unknown), for audience selection. */
export function helperRows(db: Db): HelperRow[] {
  return db
    .select({ personId: people.id, unitId: people.unitId, townId: units.townId })
    .from(people)
    .innerJoin(personRoles, and(eq(personRoles.personId, people.id), eq(personRoles.role, 'helper')))
    .leftJoin(units, eq(units.id, people.unitId))
    .where(isNull(people.revokedAt))
    .orderBy(asc(people.id))
    .all()
    .map((r) => ({ personId: String(r.personId), unitId: r.unitId === null ? '' : String(r.unitId), townId: r.townId === null ? '' : String(r.townId) }));
}

/** Units and towns by id and name, for the audience step and per-unit results. */
export function unitsAndTowns(db: Db): { units: { id: number; name: string }[]; towns: { id: number; name: string }[] } {
  return {
    units: db.select({ id: units.id, name: units.name }).from(units).orderBy(asc(units.code)).all(),
    towns: db.select({ id: towns.id, name: towns.name }).from(towns).orderBy(asc(towns.code)).all(),
  };
}

/** Creates the push and one pending delivery per recipient in one transaction. */
export function createPush(
  db: Db,
  input: {
    trainerId: number;
    questions: QuestionRef[];
    selection: Record<string, unknown>;
    audience: AudienceCriteria;
    deadline: number;
    personIds: number[];
    now: number;
  },
): number {
  return inTransaction(db, () => {
    const push = db
      .insert(quizPushes)
      .values({
        trainerId: input.trainerId,
        questions: JSON.stringify(input.questions),
        selection: JSON.stringify(input.selection),
        audience: JSON.stringify(input.audience),
        deadline: input.deadline,
        createdAt: input.now,
      })
      .returning({ id: quizPushes.id })
      .get();
    const rows = input.personIds.map((personId) => ({ pushId: push.id, personId }));
    for (let i = 0; i < rows.length; i += 500) db.insert(quizDeliveries).values(rows.slice(i, i + 500)).onConflictDoNothing().run();
    return push.id;
  });
}

export function pushById(db: Db, id: number): PushRow | undefined {
  const r = db.select().from(quizPushes).where(eq(quizPushes.id, id)).get();
  return r ? toPush(r) : undefined;
}

/** The trainer's latest pushes, newest first. */
export function pushesOfTrainer(db: Db, trainerId: number, limit = 8): PushRow[] {
  return db.select().from(quizPushes).where(eq(quizPushes.trainerId, trainerId)).orderBy(desc(quizPushes.id)).limit(limit).all().map(toPush);
}

/** Whether the person is among the recipients of the push. */
export function isRecipient(db: Db, pushId: number, personId: number): boolean {
  return !!db
    .select({ id: quizDeliveries.id })
    .from(quizDeliveries)
    .where(and(eq(quizDeliveries.pushId, pushId), eq(quizDeliveries.personId, personId)))
    .get();
}

/** Pushed quizzes still open for this person (deadline ahead and not finished), earliest deadline first. */
export function openPushesFor(db: Db, personId: number, now: number): PushRow[] {
  return db
    .select({ p: quizPushes })
    .from(quizDeliveries)
    .innerJoin(quizPushes, eq(quizPushes.id, quizDeliveries.pushId))
    .leftJoin(quizAttempts, and(eq(quizAttempts.pushId, quizPushes.id), eq(quizAttempts.personId, personId)))
    .where(and(eq(quizDeliveries.personId, personId), gt(quizPushes.deadline, now), isNull(quizAttempts.finishedAt)))
    .orderBy(asc(quizPushes.deadline))
    .all()
    .map((r) => toPush(r.p));
}

/** Recipients of a push with their unit (for aggregateResults). */
export function assigneesOf(db: Db, pushId: number): Assignee[] {
  return db
    .select({ personId: quizDeliveries.personId, unitId: people.unitId })
    .from(quizDeliveries)
    .innerJoin(people, eq(people.id, quizDeliveries.personId))
    .where(eq(quizDeliveries.pushId, pushId))
    .all()
    .map((r) => ({ personId: String(r.personId), unitId: r.unitId === null ? '' : String(r.unitId) }));
}

/** Why a recipient has not finished a push yet. */
export type NotDoneReason = 'not_signed_in' | 'not_sent' | 'queued' | 'not_opened' | 'started';

export interface NotDone {
  name: string;
  unit: string;
  reason: NotDoneReason;
  /** questions answered, for 'started' */
  answered: number;
}

/** Recipients who have not finished the push, by unit and name, each with the reason. */
export function notDoneOf(db: Db, pushId: number): NotDone[] {
  const rows = db.$client
    .prepare(
      'SELECT pe.name AS name, coalesce(u.name, \'\') AS unit, pe.telegram_id AS tg, d.status AS status, a.id AS attempt, a.position AS position ' +
        'FROM quiz_deliveries d JOIN people pe ON pe.id = d.person_id LEFT JOIN units u ON u.id = pe.unit_id ' +
        'LEFT JOIN quiz_attempts a ON a.person_id = d.person_id AND a.push_id = d.push_id ' +
        'WHERE d.push_id = ? AND (a.id IS NULL OR a.finished_at IS NULL) ORDER BY u.code, pe.code',
    )
    .all(pushId) as { name: string; unit: string; tg: number | null; status: string; attempt: number | null; position: number | null }[];
  return rows.map((r) => {
    let reason: NotDoneReason;
    if (r.attempt !== null) reason = 'started';
    else if (r.tg === null) reason = 'not_signed_in';
    else if (r.status === 'failed' || r.status === 'unknown') reason = 'not_sent';
    else if (r.status === 'pending' || r.status === 'sending') reason = 'queued';
    else reason = 'not_opened';
    return { name: r.name, unit: r.unit, reason, answered: r.position ?? 0 };
  });
}

/** Counts of delivery rows by status for a push. */
export function deliveryCounts(db: Db, pushId: number): Record<string, number> {
  const rows = db
    .select({ status: quizDeliveries.status, n: sql<number>`count(*)` })
    .from(quizDeliveries)
    .where(eq(quizDeliveries.pushId, pushId))
    .groupBy(quizDeliveries.status)
    .all();
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

// ── the send queue ──────────────────────────────────────────────────────────────────────────────

export interface QueuedDelivery {
  id: number;
  pushId: number;
  personId: number;
  telegramId: number | null;
  locale: string | null;
}

/** The oldest pending deliveries, with the recipient's chat and language. */
export function pendingDeliveries(db: Db, limit: number): QueuedDelivery[] {
  return db
    .select({ id: quizDeliveries.id, pushId: quizDeliveries.pushId, personId: quizDeliveries.personId, telegramId: people.telegramId, locale: people.locale })
    .from(quizDeliveries)
    .innerJoin(people, eq(people.id, quizDeliveries.personId))
    .where(eq(quizDeliveries.status, 'pending'))
    .orderBy(asc(quizDeliveries.id))
    .limit(limit)
    .all();
}

/** pending → sending, committed before the Telegram call; false if another run took it. */
export function claimDelivery(db: Db, id: number, now: number): boolean {
  return (
    db
      .update(quizDeliveries)
      .set({ status: 'sending', sendingAt: now })
      .where(and(eq(quizDeliveries.id, id), eq(quizDeliveries.status, 'pending')))
      .run().changes === 1
  );
}

export function markDelivered(db: Db, id: number, now: number): void {
  db.update(quizDeliveries).set({ status: 'sent', sentAt: now }).where(eq(quizDeliveries.id, id)).run();
}

export function markFailed(db: Db, id: number, error: string): void {
  db.update(quizDeliveries).set({ status: 'failed', error: error.slice(0, 300) }).where(eq(quizDeliveries.id, id)).run();
}

/** Telegram gave no answer: the message may have arrived; never re-sent (at most once). */
export function markUnknown(db: Db, id: number): void {
  db.update(quizDeliveries).set({ status: 'unknown' }).where(and(eq(quizDeliveries.id, id), eq(quizDeliveries.status, 'sending'))).run();
}

/**
 * At start-up: rows left in 'sending' were in Telegram's hands when the last process died; whether the message
 * arrived is unknown. They become 'unknown' and are not sent again (at most once; see push-queue.ts).
 */
export function settleInterruptedDeliveries(db: Db): number {
  return db.update(quizDeliveries).set({ status: 'unknown' }).where(eq(quizDeliveries.status, 'sending')).run().changes;
}

// ── reminders and nudges ────────────────────────────────────────────────────────────────────────

export interface ReminderDue {
  deliveryId: number;
  pushId: number;
  personId: number;
  telegramId: number;
  locale: string | null;
  deadline: number;
}

/**
 * Recipients to remind: the deadline falls within `leadMs` from now, the quiz reached them (or may have), they
 * have not finished it, and they were not reminded before.
 */
export function dueReminders(db: Db, now: number, leadMs: number): ReminderDue[] {
  return db
    .select({
      deliveryId: quizDeliveries.id,
      pushId: quizDeliveries.pushId,
      personId: quizDeliveries.personId,
      telegramId: people.telegramId,
      locale: people.locale,
      deadline: quizPushes.deadline,
    })
    .from(quizDeliveries)
    .innerJoin(quizPushes, eq(quizPushes.id, quizDeliveries.pushId))
    .innerJoin(people, eq(people.id, quizDeliveries.personId))
    .leftJoin(quizAttempts, and(eq(quizAttempts.pushId, quizDeliveries.pushId), eq(quizAttempts.personId, quizDeliveries.personId)))
    .where(
      and(
        inArray(quizDeliveries.status, ['sent', 'unknown']),
        isNull(quizDeliveries.remindedAt),
        gt(quizPushes.deadline, now),
        lte(quizPushes.deadline, now + leadMs),
        isNull(quizAttempts.finishedAt),
        isNotNull(people.telegramId),
        isNull(people.revokedAt),
      ),
    )
    .all() as ReminderDue[];
}

/** Claims the reminder (written before the send, so it is never sent twice); false if already claimed. */
export function claimReminder(db: Db, deliveryId: number, now: number): boolean {
  return (
    db
      .update(quizDeliveries)
      .set({ remindedAt: now })
      .where(and(eq(quizDeliveries.id, deliveryId), isNull(quizDeliveries.remindedAt)))
      .run().changes === 1
  );
}

/** Helpers bound to Telegram with at least one Leitner card due. */
export function helpersWithDueCards(db: Db, now: number): { personId: number; telegramId: number; locale: string | null; due: number }[] {
  return db
    .select({ personId: people.id, telegramId: people.telegramId, locale: people.locale, due: sql<number>`count(*)` })
    .from(quizCards)
    .innerJoin(people, eq(people.id, quizCards.personId))
    .where(and(lte(quizCards.due, now), isNotNull(people.telegramId), isNull(people.revokedAt)))
    .groupBy(people.id)
    .all() as { personId: number; telegramId: number; locale: string | null; due: number }[];
}

/** Records today's nudge for a person before it is sent; false when one was already recorded today. */
export function claimNudge(db: Db, personId: number, day: string, now: number): boolean {
  return db.insert(quizNudges).values({ personId, day, at: now }).onConflictDoNothing().run().changes === 1;
}
