/**
 * Spreadsheets for supervision: the offer (which exports there are) and one export written for the supervisor's own
 * scope (never a scope named by a button). Rows come from the scoped queries, columns from the sheet layout, the
 * workbook is streamed to a file, and every export is recorded in the audit log (who, what, scope, when).
 */
import type { Translate } from '../core/i18n-keys.js';
import type { Actor } from '../core/people/roles.js';
import { scopeKey, type Scope } from '../core/people/scope.js';
import type { Locale } from '../core/text.js';
import { localDate } from '../core/time.js';
import { cardFormOn } from '../core/rules/periods.js';
import type { Db } from '../db/client.js';
import { archiveRows, exportCardRows, householdVisitRows, quizDeliveryRows, quizSummaryRows } from '../db/export-repo.js';
import { audit } from '../db/people-repo.js';
import { EXPORT_KINDS, exportSheets, isExportKind, type ExportKind, type ExportRows, type KnowledgeSheetData, type SheetOptions } from '../reports/export-sheets.js';
import { knowledgeMatrix } from './quiz/coverage.js';
import { writeWorkbook, type WorkbookSummary } from '../reports/xlsx.js';
import { ok, refuse, type AppDeps, type Result } from './deps.js';
import { supervisorOf } from './scope.js';
import { join, msg, raw, ViewBuilder, type ChatView, type Piece } from './views.js';

/** The rows of a scope, straight from the database. */
function rowsOf(db: Db, scope: Scope, knowledge?: () => KnowledgeSheetData): ExportRows {
  return {
    knowledge,
    households: (from, to) => householdVisitRows(db, scope, from, to),
    cards: () => exportCardRows(db, scope),
    quizDeliveries: () => quizDeliveryRows(db, scope),
    quizSummary: () => quizSummaryRows(db, scope),
    archive: () => archiveRows(db, scope),
  };
}

export interface ExportJob extends SheetOptions {
  scope: Scope;
  /** who asked, for the audit log */
  by: { personId: number | null; via: 'bot' | 'cli' };
  /** what the scope's helpers know of the requirements (sheets of the quiz export) */
  knowledge?: () => KnowledgeSheetData;
}

/** Writes one export to an .xlsx file (owner-only) and records it. The CLI calls this with a scope of its choice. */
export async function writeExport(db: Db, kind: ExportKind, file: string, job: ExportJob): Promise<WorkbookSummary> {
  const summary = await writeWorkbook(file, exportSheets(kind, rowsOf(db, job.scope, job.knowledge), job));
  const rows = summary.sheets.reduce((n, sh) => n + sh.rows, 0);
  audit(db, job.now, 'export', { personId: job.by.personId ?? undefined }, JSON.stringify({ kind, scope: scopeKey(job.scope), rows, via: job.by.via }));
  return summary;
}

/** `/export`: the spreadsheets a supervisor may ask for. */
export function exportOffer(deps: AppDeps, actor: Actor | undefined): Result<ChatView, 'role'> {
  const sup = supervisorOf(actor);
  if (!sup.ok) return sup;
  const v = new ViewBuilder().line(msg('export.pick'));
  for (const k of EXPORT_KINDS) v.action(msg(`export.kind.${k}`), 'export:kind', k).row();
  return ok(v.build());
}

export interface ExportDone {
  rows: number;
  sheets: number;
  /** the file's name as the reader sees it */
  fileName: Piece;
  caption: Piece;
}

/** Checks an export request before any work is done (the channel says "working…" in between). */
export function exportRequest(_deps: AppDeps, actor: Actor | undefined, kind: string): Result<ExportKind, 'role' | 'stale'> {
  const sup = supervisorOf(actor);
  if (!sup.ok) return sup;
  return isExportKind(kind) ? ok(kind) : refuse('stale');
}

/**
 * One export for the supervisor's scope, written to `file`. `t` and `locale` are the reader's: headers and
 * labels are written in their language.
 */
export async function exportForSupervisor(
  deps: AppDeps,
  actor: Actor | undefined,
  kind: string,
  out: { file: string; t: Translate; locale: Locale },
): Promise<Result<ExportDone, 'role' | 'stale'>> {
  const sup = supervisorOf(actor);
  if (!sup.ok) return sup;
  if (!isExportKind(kind)) return refuse('stale');
  const { db, config, content, now, log } = deps;
  const summary = await writeExport(db, kind, out.file, {
    scope: sup.value.scope, t: out.t, locale: out.locale, form: cardFormOn(content, localDate(now(), config.timezone)), forms: content.forms, timeZone: config.timezone, now: now(),
    target: content.settings.visits.target, settings: content.settings, by: { personId: sup.value.personId, via: 'bot' },
    knowledge: () => knowledgeMatrix(deps, sup.value.scope),
  });
  const rows = summary.sheets.reduce((n, s) => n + s.rows, 0);
  log.info({ personId: sup.value.personId, kind, rows }, 'export sent');
  return ok({
    rows,
    sheets: summary.sheets.length,
    fileName: join([msg(`export.file.${kind}`), raw(`-${localDate(now(), config.timezone)}.xlsx`)]),
    caption: msg('export.caption', { rows, sheets: summary.sheets.length }),
  });
}
