/**
 * Questions (every version kept), the live catalogue, and trainers' imports.
 * The live question of an id is its highest stored version; attempts keep (id, version) pairs,
 * so a helper always sees, and is scored on, the version they were given.
 */
import { and, eq, sql } from 'drizzle-orm';
import { inForce, nextQuestionVersion, questionContentChanged, type Question, type QuizContent } from '../core/quiz/index.js';
import type { Text } from '../core/text.js';
import { inTransaction, type Db } from './client.js';
import { deleteKv, readKv, writeKv } from './kv-repo.js';
import { quizQuestions } from './schema.js';
import { prepared } from './prepared.js';

/** Bank id of questions trainers imported from a spreadsheet. */
const IMPORTED_BANK = 'imported';

/** A question and the version served, as attempts and pushes store them. */
export interface QuestionRef {
  id: string;
  v: number;
}

/** The questions in force, with bank and topic labels. */
export interface Catalog {
  /** the questions given now: in force on the catalogue's date (a retired one is not given, but kept) */
  questions: Question[];
  /** every question, retired ones included (answers given earlier stay readable) */
  byId: Map<string, Question>;
  bankOf: Map<string, string>;
  banks: { id: string; title: Text }[];
  topicLabel(topic: string): Text;
}

const synced = new WeakMap<Db, true>();

/**
 * Stores the YAML banks' questions once per database handle: a new id is inserted, changed content gets the
 * next version (nextQuestionVersion). An id whose latest version came from a trainer's import is left alone:
 * the import is the newer word until a bank raises the version above it.
 */
function syncBankQuestions(db: Db, content: QuizContent, now: number): { inserted: number } {
  let inserted = 0;
  inTransaction(db, () => {
    const latest = latestRows(db);
    for (const bank of content.banks) {
      for (const q of bank.questions) {
        const prev = latest.get(q.id);
        if (prev && prev.bank === IMPORTED_BANK && q.version <= prev.question.version) continue;
        if (prev && !questionContentChanged(prev.question, q)) continue;
        const version = prev ? nextQuestionVersion(prev.question, q) : q.version;
        insertVersion(db, bank.id, { ...q, version }, now);
        inserted++;
      }
    }
  });
  return { inserted };
}

/** Prepared once: an import of thousands of questions runs on the bot's thread, so each insert must be cheap. */
function insertVersion(db: Db, bank: string, q: Question, now: number): void {
  const stmt = prepared(db, 'quiz.insertVersion', () =>
    db.$client.prepare(
      'INSERT INTO quiz_questions (question_id, version, bank, topic, level, content, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    ),
  );
  stmt.run(q.id, q.version, bank, q.topic, q.level, JSON.stringify(q), now);
}

/**
 * The latest version of every question. Rows are only ever inserted (an edit is a new version), so the highest row id
 * and the row count name the table's state: the parsed rows are kept per database until either moves (an import by
 * the admin CLI in another process included). A trainer's push wizard asks for the catalogue at every step.
 */
const latestCache = new WeakMap<Db, { key: string; rows: Map<string, { bank: string; question: Question }> }>();

function latestRows(db: Db): Map<string, { bank: string; question: Question }> {
  const state = prepared(db, 'quiz.tableState', () => db.$client.prepare('SELECT max(id) AS top, count(*) AS n FROM quiz_questions')).get() as { top: number | null; n: number };
  const key = `${state.top}:${state.n}`;
  const hit = latestCache.get(db);
  if (hit?.key === key) return hit.rows;
  const rows = db
    .select({ bank: quizQuestions.bank, content: quizQuestions.content })
    .from(quizQuestions)
    .where(
      sql`${quizQuestions.version} = (select max(q2.version) from quiz_questions q2 where q2.question_id = ${quizQuestions.questionId})`,
    )
    .all();
  const out = new Map<string, { bank: string; question: Question }>();
  for (const r of rows) {
    const question = JSON.parse(r.content) as Question;
    out.set(question.id, { bank: r.bank, question });
  }
  // rows read inside a transaction may yet be rolled back (and their ids taken again): not kept
  if (!db.$client.inTransaction) latestCache.set(db, { key, rows: out });
  return out;
}

/**
 * The live catalogue: the YAML banks (synced into the table on first use) plus imported questions. With `onDate`
 * (YYYY-MM-DD, local), `questions` holds only those in force that day.
 */
export function loadCatalog(db: Db, content: QuizContent, now: number, onDate?: string): Catalog {
  if (!synced.has(db)) {
    syncBankQuestions(db, content, now);
    synced.set(db, true);
  }
  const latest = latestRows(db);
  const order = new Map(content.questions.map((q, i) => [q.id, i]));
  const entries = [...latest.values()].sort(
    (a, b) => (order.get(a.question.id) ?? 1e9) - (order.get(b.question.id) ?? 1e9) || a.question.id.localeCompare(b.question.id),
  );
  const all = entries.map((e) => e.question);
  const questions = onDate === undefined ? all : all.filter((q) => inForce(q, onDate));
  const banks = content.banks.map((b) => ({ id: b.id, title: b.title }));
  if (entries.some((e) => e.bank === IMPORTED_BANK)) banks.push({ id: IMPORTED_BANK, title: { zh: '导入题库', en: 'Imported questions' } });
  return {
    questions,
    byId: new Map(all.map((q) => [q.id, q])),
    bankOf: new Map(entries.map((e) => [e.question.id, e.bank])),
    banks,
    topicLabel: (topic) => content.topics[topic] ?? { zh: topic, en: topic },
  };
}

/** The exact version of a question a helper was given. */
export function questionVersion(db: Db, ref: QuestionRef): Question | undefined {
  const row = db
    .select({ content: quizQuestions.content })
    .from(quizQuestions)
    .where(and(eq(quizQuestions.questionId, ref.id), eq(quizQuestions.version, ref.v)))
    .get();
  return row ? (JSON.parse(row.content) as Question) : undefined;
}

/** What an import did. */
export interface QuizImportReport {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** One question an import would add or change: `from` is the version in use (none for a new question). */
export interface ImportChange {
  question: Question;
  from?: number;
}

/**
 * What importing the questions would do, without writing: each new or edited question with the version it gets
 * (an edited question gets the next version; answers already given stay tied to the old one).
 */
export function previewImport(db: Db, questions: readonly Question[]): { report: QuizImportReport; changes: ImportChange[] } {
  const report: QuizImportReport = { inserted: 0, updated: 0, unchanged: 0 };
  const changes: ImportChange[] = [];
  const latest = latestRows(db);
  for (const q of questions) {
    const prev = latest.get(q.id);
    if (!prev) {
      report.inserted++;
      changes.push({ question: q });
      continue;
    }
    const version = nextQuestionVersion(prev.question, q);
    if (version === prev.question.version) {
      report.unchanged++;
      continue;
    }
    report.updated++;
    changes.push({ question: { ...q, version }, from: prev.question.version });
  }
  return { report, changes };
}

/** Adds or updates questions from a validated sheet, all in one transaction (see previewImport). */
export function importQuestions(db: Db, questions: readonly Question[], now: number): QuizImportReport {
  return inTransaction(db, () => {
    const { report, changes } = previewImport(db, questions);
    for (const c of changes) insertVersion(db, IMPORTED_BANK, c.question, now);
    return report;
  });
}

// ── a trainer's file between preview and publication ────────────────────────────────────────────

const stagedKey = (personId: number) => `quiz-import:${personId}`;

/** Keeps a trainer's validated questions until they publish or discard them (one file per trainer: the newest). */
export function stageImport(db: Db, personId: number, token: string, questions: readonly Question[], now: number): void {
  writeKv(db, stagedKey(personId), { token, questions }, now);
}

/** The trainer's staged questions, if the token is still the one previewed. */
export function stagedImport(db: Db, personId: number, token: string): Question[] | undefined {
  const staged = readKv<{ token: string; questions: Question[] }>(db, stagedKey(personId));
  return staged?.token === token ? staged.questions : undefined;
}

export function dropStagedImport(db: Db, personId: number): void {
  deleteKv(db, stagedKey(personId));
}
