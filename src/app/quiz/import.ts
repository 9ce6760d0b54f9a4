/**
 * A trainer's question file (.xlsx or .csv, the `quiz-template` layout): every bad cell is reported by row and
 * column and nothing changes; a good file is previewed (what is new, what gets a new version) and published only
 * when the trainer confirms, all or nothing. Between preview and publication the questions wait under a token
 * that the confirmation must name: a button of an older preview publishes nothing.
 */
import { randomBytes } from 'node:crypto';
import { hasRole, type Actor } from '../../core/people/roles.js';
import type { SheetResult } from '../../content/quiz-spreadsheet.js';
import { fileErrorMessage } from '../../content/sheet-cells.js';
import { dropStagedImport, importQuestions, previewImport, stagedImport, stageImport, type QuizImportReport } from '../../db/quiz-repo.js';
import { appliesTo } from '../../core/requirements/index.js';
import { ok, refuse, type AppDeps, type Result } from '../deps.js';
import { placeOf } from './catalog.js';
import { msg, ViewBuilder, type ChatView, type Piece } from '../views.js';
import type { QuizRefusal } from './refusals.js';

/** Most errors listed in one reply. */
export const MAX_ERROR_LINES = 30;
/** Most new or changed questions listed in a preview. */
const MAX_PREVIEW_LINES = 10;

export function mayImportQuestions(actor: Actor | undefined): actor is Actor {
  return hasRole(actor, 'trainer');
}

export type ImportCheck =
  /** the file or some of its cells are wrong: nothing was kept */
  | { kind: 'errors'; view: ChatView }
  /** every question is already in use as it is */
  | { kind: 'nothing'; view: ChatView }
  /** a preview with publish and discard actions naming `token` */
  | { kind: 'preview'; token: string; view: ChatView };

const SHORT = 30;
const short = (s: string): string => (s.length > SHORT ? `${s.slice(0, SHORT)}…` : s);

/** A parsed file: its errors, or a preview of what publishing it would do (the questions are kept until then). */
export function checkQuestionFile(deps: AppDeps, actor: Actor | undefined, parsed: SheetResult): Result<ImportCheck, QuizRefusal> {
  if (!mayImportQuestions(actor)) return refuse('role');
  if (!parsed.ok) {
    const v = new ViewBuilder();
    if (parsed.fileError) {
      deps.log.info({ personId: actor.personId, problem: parsed.fileError.problem }, 'quiz file refused');
      const m = fileErrorMessage(parsed.fileError);
      v.line(msg('quizbot.import_failed', { count: 1 })).line(msg(m.key, m.params));
      return ok({ kind: 'errors', view: v.build() });
    }
    v.line(msg('quizbot.import_failed', { count: parsed.errors.length }));
    for (const e of parsed.errors.slice(0, MAX_ERROR_LINES)) {
      v.line(msg('quizbot.import_error_line', { row: e.row, column: e.column, message: msg(e.message.key, e.message.params) }));
    }
    if (parsed.errors.length > MAX_ERROR_LINES) v.line(msg('quizbot.import_more', { count: parsed.errors.length - MAX_ERROR_LINES }));
    return ok({ kind: 'errors', view: v.build() });
  }
  const { report, changes } = previewImport(deps.db, parsed.questions);
  if (changes.length === 0) return ok({ kind: 'nothing', view: new ViewBuilder().line(msg('quizbot.import_nothing')).build() });
  const token = randomBytes(6).toString('base64url');
  stageImport(deps.db, actor.personId, token, parsed.questions, deps.now());
  const v = new ViewBuilder().line(msg('quizbot.import_preview', { ...report })).block();
  for (const c of changes.slice(0, MAX_PREVIEW_LINES)) {
    const text: Piece = { text: { zh: short(c.question.text.zh), en: short(c.question.text.en) } };
    v.line(
      c.from === undefined
        ? msg('quizbot.import_preview_new', { id: c.question.id, text })
        : msg('quizbot.import_preview_changed', { id: c.question.id, from: c.from, to: c.question.version, text }),
    );
  }
  if (changes.length > MAX_PREVIEW_LINES) v.line(msg('quizbot.import_more_changes', { count: changes.length - MAX_PREVIEW_LINES }));
  // a province's or city's question for another place would reach nobody here: say so before it is published
  const place = placeOf(deps);
  const elsewhere = changes.map((c) => c.question).filter((q) => !appliesTo(q, place));
  if (elsewhere.length > 0) {
    const ids = elsewhere.slice(0, MAX_PREVIEW_LINES).map((q) => `${q.id}（${q.region}）`).join('、') + (elsewhere.length > MAX_PREVIEW_LINES ? '…' : '');
    v.line(msg('quizbot.import_elsewhere', { count: elsewhere.length, place: [place.province, place.city].filter(Boolean).join(' / '), ids }));
  }
  v.action(msg('quizbot.import_publish'), 'quiz:import', token, 'ok').action(msg('quizbot.import_discard'), 'quiz:import', token, 'no');
  return ok({ kind: 'preview', token, view: v.build() });
}

/** Publishes the previewed questions: new ones inserted, edited ones as their next version, in one transaction. */
export function publishQuestions(deps: AppDeps, actor: Actor | undefined, token: string): Result<{ report: QuizImportReport; view: ChatView }, QuizRefusal> {
  if (!mayImportQuestions(actor)) return refuse('role');
  const questions = stagedImport(deps.db, actor.personId, token);
  if (!questions) return refuse('stale');
  const report = importQuestions(deps.db, questions, deps.now());
  dropStagedImport(deps.db, actor.personId);
  deps.log.info({ personId: actor.personId, ...report }, 'quiz questions imported');
  return ok({ report, view: new ViewBuilder().line(msg('quizbot.import_ok', { ...report })).build() });
}

/** Drops the previewed questions; nothing changes. */
export function discardQuestions(deps: AppDeps, actor: Actor | undefined, token: string): Result<{ view: ChatView }, QuizRefusal> {
  if (!mayImportQuestions(actor)) return refuse('role');
  if (!stagedImport(deps.db, actor.personId, token)) return refuse('stale');
  dropStagedImport(deps.db, actor.personId);
  return ok({ view: new ViewBuilder().line(msg('quizbot.import_discarded')).build() });
}
