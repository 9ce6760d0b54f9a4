/**
 * The rows of `/export` and `npm run admin -- export`, read for one scope, typed (answers and revision changes parsed
 * here), in pages by key (never one long-running iterator, so the bot keeps answering while an export streams, and
 * memory stays flat however large the district). What becomes a column, and how it is masked, is the sheet layout's
 * business (src/reports/export-sheets.ts).
 */
import Database from 'better-sqlite3';
import type { Answers } from '../core/forms/index.js';
import type { Scope } from '../core/people/scope.js';
import type { Db } from './client.js';
import type { AnswerChange } from './cards-repo.js';
import { scopeSql } from './scope-sql.js';


const PAGE = 500;
/**
 * Cards are read 100 to a page: a page of 500 cards' answers (about 4 MB of text) outlived the young generation's
 * collections, was promoted, and grew the old space to 70 MB between full collections.
 */
const CARD_PAGE = 100;

type Raw = Record<string, unknown>;

/**
 * Runs an export's reads on a read-only connection of its own with SQLite's default small page cache: reading every
 * card through the bot's connection filled its 32 MB cache (27 MB more RSS while exporting) and evicted the pages the
 * bot keeps reading. WAL lets it read beside the writer. An in-memory database has no second connection: its own.
 */
function* withReader<T>(db: Db, body: (c: Database.Database) => Generator<T>): Generator<T> {
  const own = db.$client;
  if (own.memory || !own.name) {
    yield* body(own);
    return;
  }
  const reader = new Database(own.name, { readonly: true, fileMustExist: true });
  try {
    reader.pragma('busy_timeout = 5000');
    yield* body(reader);
  } finally {
    reader.close();
  }
}

/** Pages through a keyset query (`… WHERE <key> > ? … ORDER BY <key> LIMIT ?`), yielding row by row. */
function* paged(
  c: Database.Database, sql: string, key: string, first: string | number, args: unknown[], before: unknown[] = [], size = PAGE,
): Generator<Raw> {
  const stmt = c.prepare(sql);
  let last: unknown = first;
  for (;;) {
    const page = stmt.all(...before, last, ...args, size) as Raw[];
    for (const r of page) yield r;
    if (page.length < size) return;
    last = page[page.length - 1][key];
  }
}

function answersOf(json: string, cardId: number): Answers {
  const v = JSON.parse(json) as Answers;
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error(`card ${cardId} holds malformed JSON answers`);
  return v;
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v as string));
const orNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v as string));

// ───────────────────────────── households × visits ─────────────────────────────

export interface HouseholdVisitsRow {
  code: string;
  headName: string;
  /** the roster's ID number, else the one the latest card recorded (unmasked: the layout masks it) */
  headIdNumber: string | null;
  attribute: string | null;
  status: string | null;
  cause: string | null;
  town: string;
  village: string;
  /** current helpers' names, 、-separated */
  helpers: string;
  units: string;
  /** in-person visit dates in [from, to), in order */
  inPersonDates: string[];
  /** all cards in [from, to), in person or not */
  allVisits: number;
  openFlags: number;
}

/** Every household of the scope with its visits in [fromDate, toDate). */
export function householdVisitRows(db: Db, scope: Scope, fromDate: string, toDate: string): Generator<HouseholdVisitsRow> {
  const f = scopeSql(scope).households;
  const sql =
    'SELECT h.id, h.code, h.head_name, ' +
    "coalesce(h.head_id_number, (SELECT c.answers ->> '$.head_id' FROM cards c WHERE c.household_id = h.id ORDER BY c.visit_date DESC, c.id DESC LIMIT 1)) AS head_id_number, " +
    'h.attribute, h.status, h.cause_main, v.name AS village, tw.name AS town, ' +
    "(SELECT group_concat(pe.name, '、') FROM pairings p JOIN people pe ON pe.id = p.helper_id WHERE p.household_id = h.id AND p.end_date IS NULL) AS helpers, " +
    "(SELECT group_concat(DISTINCT un.name) FROM pairings p JOIN people pe ON pe.id = p.helper_id JOIN units un ON un.id = pe.unit_id WHERE p.household_id = h.id AND p.end_date IS NULL) AS units, " +
    "(SELECT group_concat(c.visit_date, ' ') FROM (SELECT visit_date FROM cards c WHERE c.household_id = h.id AND c.in_person = 1 AND c.visit_date >= ? AND c.visit_date < ? ORDER BY visit_date) c) AS dates, " +
    '(SELECT count(*) FROM cards c WHERE c.household_id = h.id AND c.visit_date >= ? AND c.visit_date < ?) AS all_visits, ' +
    '(SELECT count(*) FROM card_flags fl WHERE fl.household_id = h.id AND fl.resolved_at IS NULL) AS flags ' +
    `FROM households h JOIN villages v ON v.id = h.village_id JOIN towns tw ON tw.id = v.town_id WHERE h.id > ? AND ${f.where} ORDER BY h.id LIMIT ?`;
  return withReader(db, function* (c) {
    for (const r of paged(c, sql, 'id', 0, f.args, [fromDate, toDate, fromDate, toDate])) {
      yield {
        code: str(r.code), headName: str(r.head_name), headIdNumber: (r.head_id_number as string | null) ?? null,
        attribute: orNull(r.attribute), status: orNull(r.status), cause: orNull(r.cause_main), town: str(r.town), village: str(r.village),
        helpers: str(r.helpers), units: str(r.units), inPersonDates: r.dates ? str(r.dates).split(' ') : [],
        allVisits: r.all_visits as number, openFlags: r.flags as number,
      };
    }
  });
}

// ───────────────────────────── all cards ─────────────────────────────

export interface ExportCardRow {
  id: number;
  householdCode: string;
  headName: string;
  helper: string;
  revision: number;
  submittedAt: number;
  /** the card's own form (a card of 2017 and one of today are different forms) */
  formId: string;
  answers: Answers;
}

/** Every card of the scope's households, whatever its date, by id. */
export function exportCardRows(db: Db, scope: Scope): Generator<ExportCardRow> {
  const f = scopeSql(scope).households;
  const sql =
    'SELECT c.id, h.code, h.head_name, pe.name AS helper, c.revision, c.submitted_at, c.form_id, c.answers ' +
    'FROM cards c JOIN households h ON h.id = c.household_id JOIN villages v ON v.id = h.village_id JOIN people pe ON pe.id = c.helper_id ' +
    `WHERE c.id > ? AND ${f.where} ORDER BY c.id LIMIT ?`;
  return withReader(db, function* (c) {
    // rows as arrays (raw): no object with eight named properties made per card only to be read once
    const stmt = c.prepare(sql).raw(true);
    for (let last = 0; ; ) {
      const page = stmt.all(last, ...f.args, CARD_PAGE) as unknown[][];
      for (const r of page) {
        const id = r[0] as number;
        yield {
          id, householdCode: str(r[1]), headName: str(r[2]), helper: str(r[3]), revision: r[4] as number,
          submittedAt: r[5] as number, formId: str(r[6]), answers: answersOf(str(r[7]), id),
        };
      }
      if (page.length < CARD_PAGE) return;
      last = page[page.length - 1][0] as number;
    }
  });
}

// ───────────────────────────── helpers × quiz ─────────────────────────────

export interface QuizDeliveryRow {
  personCode: string;
  name: string;
  unit: string;
  pushId: number;
  pushedAt: number;
  deadline: number;
  finishedAt: number | null;
  correct: number | null;
  questions: number | null;
}

/** Every quiz delivered to a person of the scope, by delivery. */
export function quizDeliveryRows(db: Db, scope: Scope): Generator<QuizDeliveryRow> {
  const f = scopeSql(scope).helpers;
  const sql =
    'SELECT d.id, pe.code, pe.name, u.name AS unit, d.push_id, q.created_at, q.deadline, a.finished_at, a.correct_count, json_array_length(a.questions) AS total ' +
    'FROM quiz_deliveries d JOIN quiz_pushes q ON q.id = d.push_id JOIN people pe ON pe.id = d.person_id LEFT JOIN units u ON u.id = pe.unit_id ' +
    'LEFT JOIN quiz_attempts a ON a.person_id = d.person_id AND a.push_id = d.push_id ' +
    `WHERE d.id > ? AND ${f.where} ORDER BY d.id LIMIT ?`;
  return withReader(db, function* (c) {
    for (const r of paged(c, sql, 'id', 0, f.args)) {
      yield {
        personCode: str(r.code), name: str(r.name), unit: str(r.unit), pushId: r.push_id as number, pushedAt: r.created_at as number,
        deadline: r.deadline as number, finishedAt: (r.finished_at as number | null) ?? null, correct: (r.correct_count as number | null) ?? null,
        questions: (r.total as number | null) ?? null,
      };
    }
  });
}

export interface QuizSummaryRow {
  personCode: string;
  name: string;
  unit: string;
  assigned: number;
  done: number;
  /** mean score of finished quizzes, 0–100 */
  meanPct: number | null;
}

/** One row per active helper of the scope, by code. */
export function quizSummaryRows(db: Db, scope: Scope): Generator<QuizSummaryRow> {
  const f = scopeSql(scope).helpers;
  const sql =
    'SELECT pe.code, pe.name, u.name AS unit, count(d.id) AS assigned, count(a.finished_at) AS done, ' +
    'avg(CASE WHEN a.finished_at IS NOT NULL AND json_array_length(a.questions) > 0 THEN a.correct_count * 100.0 / json_array_length(a.questions) END) AS mean ' +
    "FROM people pe JOIN person_roles r ON r.person_id = pe.id AND r.role = 'helper' LEFT JOIN units u ON u.id = pe.unit_id " +
    'LEFT JOIN quiz_deliveries d ON d.person_id = pe.id LEFT JOIN quiz_attempts a ON a.person_id = d.person_id AND a.push_id = d.push_id ' +
    `WHERE pe.revoked_at IS NULL AND pe.code > ? AND ${f.where} GROUP BY pe.id ORDER BY pe.code LIMIT ?`;
  return withReader(db, function* (c) {
    for (const r of paged(c, sql, 'code', '', f.args)) {
      yield {
        personCode: str(r.code), name: str(r.name), unit: str(r.unit), assigned: r.assigned as number, done: r.done as number,
        meanPct: (r.mean as number | null) ?? null,
      };
    }
  });
}

// ───────────────────────────── 一户一档 ─────────────────────────────

export interface ArchiveRevision {
  cardId: number;
  visitDate: string;
  visitMode: string;
  helper: string;
  revision: number;
  author: string | null;
  at: number;
  reason: string | null;
  changes: AnswerChange[];
  hash: string;
}

export interface ArchiveHousehold {
  code: string;
  headName: string;
  village: string;
  /** every revision of every card of the household, by visit date, card and revision */
  revisions: ArchiveRevision[];
}

/** Every household of the scope, by code, with its cards' revisions. */
export function archiveRows(db: Db, scope: Scope): Generator<ArchiveHousehold> {
  const f = scopeSql(scope).households;
  const hsql = `SELECT h.id, h.code, h.head_name, v.name AS village FROM households h JOIN villages v ON v.id = h.village_id WHERE h.code > ? AND ${f.where} ORDER BY h.code LIMIT ?`;
  return withReader(db, function* (c) {
    const rstmt = c.prepare(
      'SELECT c.id AS card, c.visit_date, c.visit_mode, hp.name AS helper, r.revision, au.name AS author, r.created_at, r.reason, r.changes, r.hash ' +
        'FROM cards c JOIN card_revisions r ON r.card_id = c.id JOIN people hp ON hp.id = c.helper_id LEFT JOIN people au ON au.id = r.author_id ' +
        'WHERE c.household_id = ? ORDER BY c.visit_date, c.id, r.revision',
    );
    for (const h of paged(c, hsql, 'code', '', f.args)) {
      const revisions = (rstmt.all(h.id) as Raw[]).map((r) => ({
        cardId: r.card as number, visitDate: str(r.visit_date), visitMode: str(r.visit_mode), helper: str(r.helper),
        revision: r.revision as number, author: (r.author as string | null) ?? null, at: r.created_at as number,
        reason: (r.reason as string | null) ?? null, changes: JSON.parse(str(r.changes)) as AnswerChange[], hash: str(r.hash),
      }));
      yield { code: str(h.code), headName: str(h.head_name), village: str(h.village), revisions };
    }
  });
}
