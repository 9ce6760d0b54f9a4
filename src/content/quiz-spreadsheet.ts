/**
 * Trainers' spreadsheet import of questions (XLSX or CSV) and the template to fill.
 * All-or-nothing: any bad row makes the whole sheet fail, with every problem named by row and column.
 */
import { excelJs } from './exceljs-lazy.js';
import { DEFAULT_LIMITS, columnLetters, readSpreadsheet, type FileError, type ReadLimits, type SpreadsheetResult } from './sheet-cells.js';
import type { MessageRef } from '../core/text.js';
import { OPTION_LETTERS, validateQuestion, type Question } from '../core/quiz/index.js';

/** One problem in the sheet: 1-based row number, the column's header, and an i18n message. */
export interface SheetError {
  row: number;
  column: string;
  message: MessageRef;
}

/** Parsed sheet: every question, or every problem (or what is wrong with the file as a whole). */
export type SheetResult = { ok: true; questions: Question[] } | { ok: false; errors: SheetError[]; fileError?: FileError };

const LETTERS = OPTION_LETTERS.split('');

/** Header names, in template order. English columns are optional on import. */
const QUIZ_COLUMNS = {
  id: '题号',
  level: '级别',
  region: '地区',
  topic: '主题',
  textZh: '题目',
  textEn: '题目(英文)',
  answer: '正确答案',
  explanationZh: '解析',
  explanationEn: '解析(英文)',
  source: '出处',
  effectiveDate: '生效日期',
  /** optional: the last day the rule was in force; empty while it is */
  retiredDate: '停用日期',
  version: '版本',
} as const;

const optionZh = (i: number): string => `选项${LETTERS[i]}`;
const optionEn = (i: number): string => `选项${LETTERS[i]}(英文)`;

/** Every header of the template, in order. */
export const TEMPLATE_HEADERS: string[] = [
  QUIZ_COLUMNS.id,
  QUIZ_COLUMNS.level,
  QUIZ_COLUMNS.region,
  QUIZ_COLUMNS.topic,
  QUIZ_COLUMNS.textZh,
  QUIZ_COLUMNS.textEn,
  ...LETTERS.flatMap((_, i) => [optionZh(i), optionEn(i)]),
  QUIZ_COLUMNS.answer,
  QUIZ_COLUMNS.explanationZh,
  QUIZ_COLUMNS.explanationEn,
  QUIZ_COLUMNS.source,
  QUIZ_COLUMNS.effectiveDate,
  QUIZ_COLUMNS.retiredDate,
  QUIZ_COLUMNS.version,
];

const REQUIRED_HEADERS = [
  QUIZ_COLUMNS.id, QUIZ_COLUMNS.level, QUIZ_COLUMNS.region, QUIZ_COLUMNS.topic, QUIZ_COLUMNS.textZh,
  optionZh(0), optionZh(1), QUIZ_COLUMNS.answer, QUIZ_COLUMNS.explanationZh, QUIZ_COLUMNS.source,
  QUIZ_COLUMNS.effectiveDate, QUIZ_COLUMNS.version,
];

const EXAMPLE_ROW: Record<string, string | number> = {
  [QUIZ_COLUMNS.id]: 'P-001',
  [QUIZ_COLUMNS.level]: '省级',
  [QUIZ_COLUMNS.region]: '（示例）某省',
  [QUIZ_COLUMNS.topic]: '入户要求',
  [QUIZ_COLUMNS.textZh]: '（示例，导入前请删除）入户核对家庭人口时，应以哪份材料为准进行比对？',
  [QUIZ_COLUMNS.textEn]: '(Example, delete before import) Which document do you check household members against?',
  [optionZh(0)]: '户口本和系统记录',
  [optionEn(0)]: 'The household register and the system record',
  [optionZh(1)]: '邻居的说法',
  [optionEn(1)]: "What the neighbours say",
  [optionZh(2)]: '上一任帮扶人的记忆',
  [optionEn(2)]: "The previous helper's memory",
  [QUIZ_COLUMNS.answer]: 'A',
  [QUIZ_COLUMNS.explanationZh]: '家庭成员要与户口本和系统记录核对。多选题的正确答案写作 A,C。',
  [QUIZ_COLUMNS.explanationEn]: 'Members are checked against the register and the system. Multi-answer: write A,C.',
  [QUIZ_COLUMNS.source]: '（示例）省扶贫办文件名称及文号',
  [QUIZ_COLUMNS.effectiveDate]: '2017-11-02',
  [QUIZ_COLUMNS.version]: 1,
};

/** Writes the XLSX template: Chinese headers (bold, frozen) and one example row that imports cleanly. */
export async function writeQuizTemplate(file: string): Promise<void> {
  const wb = new (excelJs().Workbook)();
  const ws = wb.addWorksheet('题库');
  ws.addRow(TEMPLATE_HEADERS);
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  ws.addRow(TEMPLATE_HEADERS.map((h) => EXAMPLE_ROW[h] ?? ''));
  ws.columns.forEach((c, i) => {
    c.width = /题目|解析/.test(TEMPLATE_HEADERS[i]) ? 40 : /选项/.test(TEMPLATE_HEADERS[i]) ? 18 : 12;
  });
  await wb.xlsx.writeFile(file);
}

/**
 * Reads an XLSX (first sheet) or CSV (UTF-8 or GBK) file within the limits and validates every row; nothing is
 * returned half-parsed. Formula cells are refused by row and column.
 */
export async function parseQuizSheet(file: string, limits: ReadLimits = DEFAULT_LIMITS): Promise<SheetResult> {
  return quizSheetOf(await readSpreadsheet(file, limits));
}

/** A spreadsheet already read, as questions (the first sheet). */
export function quizSheetOf(read: SpreadsheetResult): SheetResult {
  if (!read.ok) return { ok: false, errors: [], fileError: read.error };
  const sheet = read.sheets[0];
  if (!sheet) return { ok: false, errors: [], fileError: { problem: 'empty' } };
  const header = (sheet.rows[0] ?? []).map((h) => normaliseHeader(String(h)));
  const formulas = read.cellErrors
    .filter((e) => e.sheet === sheet.name)
    .map((e): SheetError => {
      const i = header.findIndex((_, j) => columnLetters(j) === e.column);
      return { row: e.row ?? 0, column: i >= 0 && header[i] ? header[i] : (e.column ?? ''), message: { key: 'file.formula' } };
    });
  const parsed = parseQuizRows(sheet.rows);
  if (!formulas.length) return parsed;
  return { ok: false, errors: [...formulas, ...(parsed.ok ? [] : parsed.errors)] };
}

/** Validates rows (the first is the header row) into questions, reporting every bad cell. */
function parseQuizRows(rows: unknown[][]): SheetResult {
  const errors: SheetError[] = [];
  const header = (rows[0] ?? []).map((h) => normaliseHeader(String(h ?? '')));
  const col = new Map<string, number>();
  header.forEach((h, i) => { if (h && !col.has(h)) col.set(h, i); });
  for (const h of REQUIRED_HEADERS) {
    if (!col.has(h)) errors.push({ row: 1, column: h, message: { key: 'quiz.err.missing_column', params: { column: h } } });
  }
  if (errors.length > 0) return { ok: false, errors };

  const questions: Question[] = [];
  const idRow = new Map<string, number>();
  for (let r = 1; r < rows.length; r++) {
    const cells = rows[r] ?? [];
    const rowNo = r + 1;
    const get = (name: string): unknown => {
      const i = col.get(name);
      const v = i === undefined ? undefined : cells[i];
      return typeof v === 'string' ? v.trim() : v ?? '';
    };
    if (cells.every((c) => c === null || c === undefined || String(c).trim() === '')) continue;

    const rowErrors: SheetError[] = [];
    const options: Array<{ zh: unknown; en: unknown }> = [];
    let lastFilled = -1;
    LETTERS.forEach((_, i) => { if (get(optionZh(i)) !== '' || get(optionEn(i)) !== '') lastFilled = i; });
    for (let i = 0; i <= lastFilled; i++) {
      const zh = get(optionZh(i));
      if (zh === '' && get(optionEn(i)) === '') {
        rowErrors.push({ row: rowNo, column: optionZh(i), message: { key: 'quiz.err.options_gap', params: { option: LETTERS[i] } } });
      }
      options.push({ zh, en: get(optionEn(i)) });
    }
    const raw = {
      id: get(QUIZ_COLUMNS.id),
      level: get(QUIZ_COLUMNS.level),
      region: get(QUIZ_COLUMNS.region),
      topic: get(QUIZ_COLUMNS.topic),
      text: { zh: get(QUIZ_COLUMNS.textZh), en: get(QUIZ_COLUMNS.textEn) },
      options,
      answer: get(QUIZ_COLUMNS.answer),
      explanation: { zh: get(QUIZ_COLUMNS.explanationZh), en: get(QUIZ_COLUMNS.explanationEn) },
      source: get(QUIZ_COLUMNS.source),
      effectiveDate: get(QUIZ_COLUMNS.effectiveDate),
      retiredDate: get(QUIZ_COLUMNS.retiredDate) === '' ? undefined : get(QUIZ_COLUMNS.retiredDate),
      version: get(QUIZ_COLUMNS.version) === '' ? undefined : get(QUIZ_COLUMNS.version),
    };
    const result = validateQuestion(raw);
    if (!result.ok) {
      for (const e of result.errors) {
        if (/^options\.\d+\.zh$/.test(e.field) && rowErrors.some((x) => x.column === columnOf(e.field))) continue;
        rowErrors.push({ row: rowNo, column: columnOf(e.field), message: e.message });
      }
    }
    const id = String(raw.id ?? '');
    if (id) {
      const first = idRow.get(id);
      if (first !== undefined) {
        rowErrors.push({ row: rowNo, column: QUIZ_COLUMNS.id, message: { key: 'quiz.err.duplicate_id', params: { id, first } } });
      } else idRow.set(id, rowNo);
    }
    if (rowErrors.length > 0) errors.push(...rowErrors);
    else if (result.ok) questions.push(result.question);
  }
  if (errors.length === 0 && questions.length === 0) {
    errors.push({ row: 2, column: QUIZ_COLUMNS.id, message: { key: 'quiz.err.no_questions' } });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, questions };
}

/** Maps a core field path ("options.2.en") to its spreadsheet header ("选项C(英文)"). */
function columnOf(field: string): string {
  const m = /^options\.(\d+)\.(zh|en)$/.exec(field);
  if (m) return m[2] === 'zh' ? optionZh(Number(m[1])) : optionEn(Number(m[1]));
  const map: Record<string, string> = {
    id: QUIZ_COLUMNS.id,
    level: QUIZ_COLUMNS.level,
    region: QUIZ_COLUMNS.region,
    topic: QUIZ_COLUMNS.topic,
    'text.zh': QUIZ_COLUMNS.textZh,
    'text.en': QUIZ_COLUMNS.textEn,
    options: optionZh(0),
    answer: QUIZ_COLUMNS.answer,
    'explanation.zh': QUIZ_COLUMNS.explanationZh,
    'explanation.en': QUIZ_COLUMNS.explanationEn,
    source: QUIZ_COLUMNS.source,
    effectiveDate: QUIZ_COLUMNS.effectiveDate,
    retiredDate: QUIZ_COLUMNS.retiredDate,
    version: QUIZ_COLUMNS.version,
  };
  return map[field] ?? field;
}

/** "选项A（英文）" / " 题目 " → "选项A(英文)" / "题目". */
function normaliseHeader(h: string): string {
  return h.trim().replace(/（/g, '(').replace(/）/g, ')').replace(/\s+/g, '');
}
