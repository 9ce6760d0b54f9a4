/**
 * The whole SQLite schema. Times are UTC epoch ms (integer); calendar dates are 'YYYY-MM-DD' text.
 * Change it only here, then `npm run db:generate` writes the migration into drizzle/.
 */
import { GUARANTEE_FIELDS, GUARANTEE_ITEMS } from '../core/visits/guarantees.js';
import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, real, primaryKey, uniqueIndex, index } from 'drizzle-orm/sqlite-core';

/** Card fields holding the 两不愁三保障 + drinking-water items (indexed for supervision figures). */
export const GUARANTEE_STATUS_FIELDS = GUARANTEE_ITEMS.map((g) => GUARANTEE_FIELDS[g]);

export const towns = sqliteTable('towns', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
});

export const villages = sqliteTable(
  'villages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    townId: integer('town_id').notNull().references(() => towns.id),
  },
  (t) => [index('villages_town').on(t.townId)],
);

export const units = sqliteTable('units', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  townId: integer('town_id').references(() => towns.id),
});

export const people = sqliteTable(
  'people',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    phone: text('phone'),
    unitId: integer('unit_id').references(() => units.id),
    telegramId: integer('telegram_id').unique(),
    locale: text('locale'),
    revokedAt: integer('revoked_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('people_unit').on(t.unitId)],
);

/** role: helper | trainer | supervisor | admin; supervisors carry a scope (unit | town | district). */
export const personRoles = sqliteTable(
  'person_roles',
  {
    personId: integer('person_id').notNull().references(() => people.id),
    role: text('role').notNull(),
    scopeKind: text('scope_kind'),
    scopeId: integer('scope_id'),
  },
  (t) => [primaryKey({ columns: [t.personId, t.role] })],
);

export const households = sqliteTable(
  'households',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    code: text('code').notNull().unique(),
    headName: text('head_name').notNull(),
    headIdNumber: text('head_id_number'),
    villageId: integer('village_id').notNull().references(() => villages.id),
    attribute: text('attribute').notNull(),
    status: text('status').notNull(),
    causeMain: text('cause_main').notNull(),
    membersCount: integer('members_count'),
    lat: real('lat'),
    lon: real('lon'),
  },
  (t) => [index('households_village').on(t.villageId)],
);

/**
 * What the registration system (建档立卡) holds for a household, as imported with the roster: card field ids → values,
 * members as a list of items (JSON, the card's own answer shapes). A household's first card is carried from it.
 * Kept apart from `households` so a roster without these columns leaves it as it is.
 */
export const householdRegistry = sqliteTable('household_registry', {
  householdId: integer('household_id').primaryKey().references(() => households.id),
  facts: text('facts').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const pairings = sqliteTable(
  'pairings',
  {
    helperId: integer('helper_id').notNull().references(() => people.id),
    householdId: integer('household_id').notNull().references(() => households.id),
    startDate: text('start_date').notNull(),
    endDate: text('end_date'),
  },
  (t) => [primaryKey({ columns: [t.helperId, t.householdId] }), index('pairings_household').on(t.householdId)],
);

/**
 * Only a keyed hash (HMAC under APP_SECRET) of the code is kept, so a copy of the database does not hand out access.
 * `purpose` 'rebind' may move a person already bound to a new Telegram account; a plain code never does.
 */
export const invites = sqliteTable(
  'invites',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    codeHash: text('code_hash').notNull().unique(),
    personId: integer('person_id').notNull().references(() => people.id),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
    usedByTelegramId: integer('used_by_telegram_id'),
    revokedAt: integer('revoked_at'),
    purpose: text('purpose').notNull().default('bind'),
  },
  (t) => [index('invites_person').on(t.personId)],
);

/** Update ids already handled: Telegram may deliver one twice after a restart or a network fault. */
export const processedUpdates = sqliteTable('processed_updates', {
  updateId: integer('update_id').primaryKey(),
  at: integer('at').notNull(),
});

/** Key-value storage for short dialogs (@grammyjs/conversations) and per-chat UI state. */
export const kv = sqliteTable('kv', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** Append-only log of security-relevant events; never holds personal data, only ids and reasons. */
export const auditLog = sqliteTable('audit_log', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  at: integer('at').notNull(),
  personId: integer('person_id'),
  telegramId: integer('telegram_id'),
  action: text('action').notNull(),
  detail: text('detail'),
});

/**
 * A card being filled: the engine's state as JSON, rewritten (and committed) on every answer.
 * `step` grows by one per accepted input, so a button from an older message can be recognised as stale.
 */
export const cardDrafts = sqliteTable(
  'card_drafts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    householdId: integer('household_id').notNull().references(() => households.id),
    helperId: integer('helper_id').notNull().references(() => people.id),
    formId: text('form_id').notNull(),
    formVersion: integer('form_version').notNull(),
    state: text('state').notNull(),
    step: integer('step').notNull().default(0),
    status: text('status').notNull().default('open'),
    /** when set, a supervisor's review reopened this field of this card: the draft becomes a revision */
    reviseCardId: integer('revise_card_id'),
    reviseReason: text('revise_reason'),
    startedAt: integer('started_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('drafts_helper_status').on(t.helperId, t.status), index('drafts_household').on(t.householdId)],
);

/** A submitted card: immutable; corrections are revisions. `answers` mirrors the latest revision. */
export const cards = sqliteTable(
  'cards',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    draftId: integer('draft_id').notNull().unique(),
    householdId: integer('household_id').notNull().references(() => households.id),
    helperId: integer('helper_id').notNull().references(() => people.id),
    formId: text('form_id').notNull(),
    formVersion: integer('form_version').notNull(),
    visitDate: text('visit_date').notNull(),
    visitMode: text('visit_mode').notNull(),
    inPerson: integer('in_person', { mode: 'boolean' }).notNull(),
    answers: text('answers').notNull(),
    revision: integer('revision').notNull().default(1),
    submittedAt: integer('submitted_at').notNull(),
  },
  (t) => [
    // (household, date, in person): the household's cards by date, and the per-household counts of /stats in one pass
    index('cards_household_date').on(t.householdId, t.visitDate, t.inPerson),
    index('cards_helper').on(t.helperId),
    // supervision (stats-repo.ts): per-household and per-helper visit counts, and the guarantee items of each
    // household's latest card, all answered from these indexes without reading the answers column
    index('cards_helper_inperson_date').on(t.helperId, t.inPerson, t.visitDate),
    index('cards_household_guarantees').on(
      t.householdId,
      t.visitDate,
      ...GUARANTEE_STATUS_FIELDS.map((f) => sql`${t.answers} ->> ${sql.raw(`'$.${f}'`)}`),
    ),
  ],
);

/**
 * Every version of a card, in one keyed hash chain over all cards (HMAC under APP_SECRET): each row stores the hash
 * of the row written before it, so editing, deleting, inserting or reordering any row breaks the chain there.
 */
export const cardRevisions = sqliteTable(
  'card_revisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    cardId: integer('card_id').notNull().references(() => cards.id),
    revision: integer('revision').notNull(),
    answers: text('answers').notNull(),
    /** JSON list of { field, old, new } against the previous revision */
    changes: text('changes').notNull(),
    reason: text('reason'),
    authorId: integer('author_id').notNull(),
    createdAt: integer('created_at').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    // The card's columns that figures are computed from, as this revision set them: the keyed hash covers them, so
    // a phone call turned into a home visit, a changed date or a card moved to another household shows in `verify`.
    // Null only on rows written before the chain was keyed (adopted once, see integrity-repo.ts).
    householdId: integer('household_id'),
    helperId: integer('helper_id'),
    visitDate: text('visit_date'),
    visitMode: text('visit_mode'),
    inPerson: integer('in_person', { mode: 'boolean' }),
  },
  (t) => [uniqueIndex('revisions_card_rev').on(t.cardId, t.revision)],
);

/**
 * Risk and evidence flags raised by a submitted card, seen by the household's supervisors. Each revision of a card
 * raises its own set; a flag stops being open (`resolved_at`) when a supervisor marks it handled (who, when, note)
 * or when a later revision or a later card of the household supersedes it. Rows are never deleted: history.
 */
export const cardFlags = sqliteTable(
  'card_flags',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    cardId: integer('card_id').notNull().references(() => cards.id),
    householdId: integer('household_id').notNull().references(() => households.id),
    /** the card revision that raised it */
    revision: integer('revision').notNull().default(1),
    code: text('code').notNull(),
    level: text('level').notNull(),
    params: text('params'),
    createdAt: integer('created_at').notNull(),
    resolvedAt: integer('resolved_at'),
    /** handled | superseded */
    resolution: text('resolution'),
    resolvedBy: integer('resolved_by'),
    note: text('note'),
  },
  (t) => [index('flags_household_open').on(t.householdId, t.resolvedAt), index('flags_card').on(t.cardId, t.revision)],
);

export * from './schema-quiz.js';
export * from './schema-supervision.js';
export * from './schema-integrity.js';
export * from './schema-web.js';

/**
 * Cards per household and calendar year, kept by triggers on `cards` (drizzle/0006_household_years_triggers.sql)
 * for every writer: what `/stats` reads for a whole year instead of scanning every card.
 */
export const householdYears = sqliteTable(
  'household_years',
  {
    householdId: integer('household_id').notNull(),
    /** 'YYYY' of visit_date */
    year: text('year').notNull(),
    cards: integer('cards').notNull(),
    inPerson: integer('in_person').notNull(),
    lastInPerson: text('last_in_person'),
    lastVisit: text('last_visit').notNull(),
  },
  // the year's index holds the figures /stats reads, so a year is one range of it (no lookup into the table per row)
  (t) => [
    primaryKey({ columns: [t.householdId, t.year] }),
    index('household_years_year_figures').on(t.year, t.householdId, t.cards, t.inPerson, t.lastInPerson),
  ],
);

/**
 * Cards per household and day, kept by triggers on `cards` (drizzle/0012_household_days_triggers.sql) for every
 * writer: what `/stats` reads for the last 30 or 90 days or any other window, touching only the days in it instead of
 * every card. The index on (day, …) holds the counts, so a window is one range of it.
 */
export const householdDays = sqliteTable(
  'household_days',
  {
    householdId: integer('household_id').notNull(),
    /** visit_date, 'YYYY-MM-DD' */
    day: text('day').notNull(),
    cards: integer('cards').notNull(),
    inPerson: integer('in_person').notNull(),
  },
  (t) => [primaryKey({ columns: [t.householdId, t.day] }), index('household_days_day').on(t.day, t.householdId, t.cards, t.inPerson)],
);

/**
 * Failed guarantee items (不达标) on each household's latest card (by visit date; when cards share that date, a failure
 * on either counts), as a bit mask in GUARANTEE_ITEMS order (food = 1, clothing = 2 … water = 32). Kept by triggers on
 * `cards` (drizzle/0016_household_failures_triggers.sql); only households with a failure have a row, so `/stats`
 * reads a few hundred rows instead of seeking every household's latest card and its answers.
 */
export const householdFailures = sqliteTable('household_failures', {
  householdId: integer('household_id').primaryKey(),
  mask: integer('mask').notNull(),
});

/**
 * What changed for `/stats`, written by triggers (drizzle/0018) as the rows it reads are written: a household's
 * figures (`household`), a helper's latest visit (`helper`), a quiz push's results (`quiz`), or the district's
 * structure (`all`: households, villages, units, people, roles, pairings). The stats snapshot (db/stats-snapshot-repo.ts)
 * reads the rows after the last one it applied and refreshes only what they name. The oldest rows are pruned.
 */
export const statsChanges = sqliteTable('stats_changes', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  kind: text('kind', { enum: ['household', 'helper', 'quiz', 'all'] }).notNull(),
  ref: integer('ref'),
});
