/**
 * Supervision tables: a supervisor's review that sends one field of a card back to its helper, and the record of
 * scheduled job runs (one row per job and slot, so a restart never runs a slot twice). Re-exported by schema.ts.
 *
 * Indexes the supervision queries rely on, already in schema.ts: cards(household_id, visit_date),
 * cards(helper_id), pairings(household_id), villages(town_id), people(unit_id), card_flags(household_id,
 * resolved_at), quiz_deliveries(person_id), quiz_attempts(person_id, push_id).
 */
import { sqliteTable, integer, text, primaryKey, index } from 'drizzle-orm/sqlite-core';
import { cards, households, people } from './schema.js';

/**
 * A card sent back: which field (a step path such as `members[1].health`), the comment, who and when.
 * status: sent → opened (the helper pressed the button; `draft_id` is the correction) → revised (`revision` made).
 */
export const cardReviews = sqliteTable(
  'card_reviews',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    cardId: integer('card_id').notNull().references(() => cards.id),
    householdId: integer('household_id').notNull().references(() => households.id),
    supervisorId: integer('supervisor_id').notNull().references(() => people.id),
    helperId: integer('helper_id').notNull().references(() => people.id),
    fieldPath: text('field_path').notNull(),
    comment: text('comment').notNull(),
    status: text('status').notNull().default('sent'),
    draftId: integer('draft_id'),
    revision: integer('revision'),
    createdAt: integer('created_at').notNull(),
    revisedAt: integer('revised_at'),
  },
  (t) => [index('card_reviews_card').on(t.cardId), index('card_reviews_draft').on(t.draftId), index('card_reviews_helper').on(t.helperId, t.status)],
);

/** One scheduled run: claimed (inserted) before anything is sent; `finished_at` set when it completed. */
export const jobRuns = sqliteTable(
  'job_runs',
  {
    job: text('job').notNull(),
    /** the scheduled instant in the configured zone, 'YYYY-MM-DD HH:mm' */
    slot: text('slot').notNull(),
    startedAt: integer('started_at').notNull(),
    finishedAt: integer('finished_at'),
    sent: integer('sent').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.job, t.slot] })],
);
