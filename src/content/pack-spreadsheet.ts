/**
 * A province's or city's rules as a workbook instead of YAML: sheet 条款 (one row per clause) and sheet 题目 (one
 * row per question, naming its clause; the question columns of the `quiz-template`). Every bad cell is reported by
 * sheet, row and column; a good workbook becomes the raw form of a requirement pack, which validatePack then checks
 * exactly like a shipped one (src/core/requirements/validate.ts).
 */
import { createHash } from 'node:crypto';
import { LEVEL_BY_ZH, LEVELS, OPTION_LETTERS, validateQuestion, type Level } from '../core/quiz/index.js';
import type { MessageRef } from '../core/text.js';
import { quizSheetOf, type SheetResult } from './quiz-spreadsheet.js';
import { DEFAULT_LIMITS, readSpreadsheet, type Cell, type FileError, type ReadLimits, type SpreadsheetResult } from './sheet-cells.js';

export const CLAUSE_SHEET = '条款';
export const QUESTION_SHEET = '题目';

export const C = {
  id: '条款编号', level: '级别', region: '地区', title: '文件标题', number: '文号', date: '成文日期', effective: '生效日期',
  ceased: '废止日期', replacedBy: '被替代文号', textZh: '条款原文', textEn: '条款原文(英文)', source: '出处',
} as const;
export const CLAUSE_HEADERS: string[] = Object.values(C);

const LETTERS = OPTION_LETTERS.split('');
export const Q = { clause: '条款编号', id: '题号', textZh: '题目', textEn: '题目(英文)', answer: '正确答案', explanationZh: '解析', explanationEn: '解析(英文)' } as const;
export const QUESTION_HEADERS: string[] = [
  Q.clause, Q.id, Q.textZh, Q.textEn, ...LETTERS.flatMap((l) => [`选项${l}`, `选项${l}(英文)`]), Q.answer, Q.explanationZh, Q.explanationEn,
];

/** One bad cell: its sheet, 1-based row, the column's header, and an i18n message. */
export interface PackCellError {
  sheet: string;
  row: number;
  column: string;
  message: MessageRef;
}

/** A summary for the preview, and the pack in the raw form validatePack takes. */
export interface PackSheet {
  id: string;
  level: Level;
  region: string;
  documents: number;
  clauses: number;
  questions: number;
  raw: Record<string, unknown>;
}

export type PackSheetResult = { ok: true; pack: PackSheet } | { ok: false; errors: PackCellError[]; fileError?: FileError };

/** What a spreadsheet sent to the bot turned out to be: a pack workbook (it has a 条款 sheet) or a question sheet. */
export type WorkbookResult = { kind: 'pack'; result: PackSheetResult } | { kind: 'quiz'; result: SheetResult };

const ISO = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (s: string): boolean => {
  const d = new Date(`${s}T00:00:00Z`);
  return ISO.test(s) && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};
const SOURCE_IDS = /^(\[[A-Z]{1,6}\d*p?\])+$/;

/** Reads a workbook: a pack when it has a 条款 sheet, otherwise a question sheet (the quiz-template layout). */
export async function parseWorkbook(file: string, limits: ReadLimits = DEFAULT_LIMITS): Promise<WorkbookResult> {
  // read once: a large question sheet is not inflated twice
  const read = await readSpreadsheet(file, limits);
  if (read.ok && read.sheets.some((s) => s.name.trim() === CLAUSE_SHEET)) return { kind: 'pack', result: packSheetOf(read) };
  return { kind: 'quiz', result: quizSheetOf(read) };
}

const norm = (h: string): string => h.trim().replace(/（/g, '(').replace(/）/g, ')').replace(/\s+/g, '');
const cellText = (v: Cell | undefined): string => (v === undefined ? '' : String(v).trim());

/** Rows of one sheet as header → text, with their spreadsheet row numbers; missing headers reported. */
function table(rows: Cell[][], sheet: string, required: string[], errors: PackCellError[]): Array<{ row: number; get: (h: string) => string }> {
  const header = (rows[0] ?? []).map((h) => norm(String(h)));
  const col = new Map<string, number>();
  header.forEach((h, i) => { if (h && !col.has(h)) col.set(h, i); });
  const missing = required.filter((h) => !col.has(h));
  for (const h of missing) errors.push({ sheet, row: 1, column: h, message: { key: 'quiz.err.missing_column', params: { column: h } } });
  if (missing.length > 0) return [];
  const out: Array<{ row: number; get: (h: string) => string }> = [];
  rows.slice(1).forEach((cells, i) => {
    if (cells.every((c) => cellText(c) === '')) return;
    out.push({ row: i + 2, get: (h) => { const j = col.get(h); return j === undefined ? '' : cellText(cells[j]); } });
  });
  return out;
}

/** Validates both sheets cell by cell; the pack's raw form only when every cell is good. */
export async function parsePackSheet(file: string, limits: ReadLimits = DEFAULT_LIMITS): Promise<PackSheetResult> {
  return packSheetOf(await readSpreadsheet(file, limits));
}

function packSheetOf(read: SpreadsheetResult): PackSheetResult {
  if (!read.ok) return { ok: false, errors: [], fileError: read.error };
  const errors: PackCellError[] = read.cellErrors.map((e) => ({ sheet: e.sheet ?? '', row: e.row ?? 0, column: e.column ?? '', message: { key: 'file.formula' } }));
  const sheetOf = (name: string) => read.sheets.find((s) => s.name.trim() === name);
  const cs = sheetOf(CLAUSE_SHEET);
  const qs = sheetOf(QUESTION_SHEET);
  if (!cs || !qs) {
    for (const name of [CLAUSE_SHEET, QUESTION_SHEET].filter((n) => !sheetOf(n))) {
      errors.push({ sheet: name, row: 1, column: '—', message: { key: 'rulebook.err.missing_sheet', params: { sheet: name } } });
    }
    return { ok: false, errors };
  }
  const bad = (sheet: string, row: number, column: string, key: MessageRef['key'], params?: MessageRef['params']) =>
    errors.push({ sheet, row, column, message: params ? { key, params } : { key } });

  // clauses: one level and region for the whole workbook (one pack), documents grouped by their 文号 or title
  const clauseRows = table(cs.rows, CLAUSE_SHEET, [C.id, C.level, C.region, C.title, C.number, C.date, C.effective, C.textZh, C.source], errors);
  const docs = new Map<string, Record<string, unknown>>();
  const clauseRow = new Map<string, number>();
  const requirements: Record<string, unknown>[] = [];
  let level: Level | undefined;
  let region = '';
  for (const { row, get } of clauseRows) {
    const S = CLAUSE_SHEET;
    const id = get(C.id);
    if (!id) bad(S, row, C.id, 'quiz.err.missing_field');
    else if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,40}$/.test(id)) bad(S, row, C.id, 'quiz.err.bad_id', { value: id });
    else if (clauseRow.has(id)) bad(S, row, C.id, 'quiz.err.duplicate_id', { id, first: clauseRow.get(id)! });
    const lv = (LEVELS as readonly string[]).includes(get(C.level)) ? (get(C.level) as Level) : LEVEL_BY_ZH[get(C.level)];
    if (!lv) bad(S, row, C.level, 'quiz.err.bad_level', { value: get(C.level) });
    else if (level && lv !== level) bad(S, row, C.level, 'rulebook.err.one_level', { value: get(C.level) });
    else level = lv;
    const rg = get(C.region);
    if (!rg) bad(S, row, C.region, 'quiz.err.missing_field');
    else if (region && rg !== region) bad(S, row, C.region, 'rulebook.err.one_region', { value: rg, first: region });
    else region = rg;
    for (const h of [C.title, C.textZh, C.source]) if (!get(h)) bad(S, row, h, 'quiz.err.missing_field');
    for (const h of [C.date, C.effective]) {
      if (!get(h)) bad(S, row, h, 'quiz.err.missing_field');
      else if (!isDate(get(h))) bad(S, row, h, 'quiz.err.bad_date', { value: get(h) });
    }
    if (get(C.ceased) && !isDate(get(C.ceased))) bad(S, row, C.ceased, 'quiz.err.bad_date', { value: get(C.ceased) });
    if (get(C.ceased) && !get(C.replacedBy)) bad(S, row, C.replacedBy, 'rulebook.err.ceased_needs_replacement');
    const key = get(C.number) || get(C.title);
    const doc = {
      id: key, title: get(C.title), number: get(C.number), ...(get(C.number) ? {} : { number_missing: '模板中未填文号' }), issuer: get(C.title),
      date: get(C.date), effective: get(C.effective), source: SOURCE_IDS.test(get(C.source)) ? get(C.source) : '[IMPORT]',
      ...(get(C.ceased) ? { ceased: get(C.ceased), replaced_by: get(C.replacedBy) } : {}),
    };
    const seen = docs.get(key);
    if (seen && (seen.date !== doc.date || seen.effective !== doc.effective || seen.ceased !== doc.ceased)) bad(S, row, C.date, 'rulebook.err.document_differs', { number: key });
    if (!seen) docs.set(key, doc);
    if (id && !clauseRow.has(id)) clauseRow.set(id, row);
    // the English text is optional: a clause without it shows the Chinese
    requirements.push({ id, document: key, clause: get(C.source), topic: 'duty_other', text: { zh: get(C.textZh), en: get(C.textEn) || get(C.textZh) } });
  }
  if (clauseRows.length === 0 && !errors.some((e) => e.sheet === CLAUSE_SHEET)) bad(CLAUSE_SHEET, 2, C.id, 'rulebook.err.no_clauses');
  for (const d of docs.values()) {
    const by = d.replaced_by as string | undefined;
    if (by && !docs.has(by)) {
      const row = clauseRows.find((r) => (r.get(C.number) || r.get(C.title)) === d.id)?.row ?? 2;
      bad(CLAUSE_SHEET, row, C.replacedBy, 'rulebook.err.unknown_document', { value: by });
    }
  }

  // questions: the question template's columns, checked by the same validator as a question sheet
  const questionRows = table(qs.rows, QUESTION_SHEET, [Q.clause, Q.id, Q.textZh, '选项A', '选项B', Q.answer, Q.explanationZh], errors);
  const questions: Record<string, unknown>[] = [];
  const qRow = new Map<string, number>();
  for (const { row, get } of questionRows) {
    const S = QUESTION_SHEET;
    const clause = get(Q.clause);
    if (!clause) bad(S, row, Q.clause, 'quiz.err.missing_field');
    else if (!clauseRow.has(clause)) bad(S, row, Q.clause, 'rulebook.err.unknown_clause', { value: clause });
    let last = -1;
    LETTERS.forEach((l, i) => { if (get(`选项${l}`) || get(`选项${l}(英文)`)) last = i; });
    const options = LETTERS.slice(0, last + 1).map((l) => ({ zh: get(`选项${l}`), en: get(`选项${l}(英文)`) }));
    const raw = {
      id: get(Q.id), text: { zh: get(Q.textZh), en: get(Q.textEn) }, options, answer: get(Q.answer),
      explanation: { zh: get(Q.explanationZh), en: get(Q.explanationEn) },
    };
    // level, region, topic, date and source come from the clause: only the question's own cells are checked here
    const r = validateQuestion({ ...raw, level: 'provincial', region: 'x', topic: 'duty_other', source: 'x', effectiveDate: '2000-01-01' });
    if (!r.ok) for (const e of r.errors) bad(S, row, questionColumn(e.field), e.message.key, e.message.params);
    if (raw.id && qRow.has(raw.id)) bad(S, row, Q.id, 'quiz.err.duplicate_id', { id: raw.id, first: qRow.get(raw.id)! });
    else if (raw.id) qRow.set(raw.id, row);
    questions.push({ ...raw, requirement: clause });
  }
  if (errors.length > 0 || !level) return { ok: false, errors };
  const rawPack = {
    pack: {
      id: `imp-${createHash('sha1').update(`${level}\n${region}\n${[...docs.keys()].join('\n')}`).digest('hex').slice(0, 8)}`,
      level, region, example: false,
      title: { zh: [...docs.values()][0]!.title as string, en: [...docs.values()][0]!.title as string },
    },
    documents: [...docs.values()],
    requirements,
    questions,
  };
  return {
    ok: true,
    pack: { id: rawPack.pack.id, level, region, documents: docs.size, clauses: requirements.length, questions: questions.length, raw: rawPack },
  };
}

function questionColumn(field: string): string {
  const m = /^options\.(\d+)\.(zh|en)$/.exec(field);
  if (m) return `选项${LETTERS[Number(m[1])]}${m[2] === 'en' ? '(英文)' : ''}`;
  const map: Record<string, string> = {
    id: Q.id, 'text.zh': Q.textZh, 'text.en': Q.textEn, options: '选项A', answer: Q.answer, 'explanation.zh': Q.explanationZh, 'explanation.en': Q.explanationEn,
  };
  return map[field] ?? field;
}
