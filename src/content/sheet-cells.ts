/**
 * Spreadsheet files people send, read as cells within limits: .xlsx through the streaming reader, .csv decoded
 * (UTF-8, or GB18030/GBK as Chinese Excel saves it) and parsed by csv-parse. Problems are values naming what is
 * wrong with the file (not a spreadsheet, empty, cut off, too big), never exceptions.
 */
import type { I18nKey } from '../core/i18n-keys.js';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { DEFAULT_LIMITS, readXlsx, type Cell, type FileError, type ReadLimits, type SheetCells } from './xlsx-reader.js';

export type { Cell, FileError, FileProblem, ReadLimits, SheetCells } from './xlsx-reader.js';
export { DEFAULT_LIMITS, columnLetters } from './xlsx-reader.js';

export type SpreadsheetResult = { ok: true; sheets: SheetCells[]; cellErrors: FileError[] } | { ok: false; error: FileError };

/** A sheet as plain text cells: header row + data rows with their 1-based row numbers. */
export interface RawSheet {
  name: string;
  headers: string[];
  rows: { row: number; values: string[] }[];
}

/**
 * Text of a CSV file: a BOM says UTF-8 or UTF-16; otherwise strict UTF-8, else GB18030 (a superset of GBK, what
 * Chinese Excel writes as "CSV"). Undefined when it is neither.
 */
function decodeText(bytes: Buffer): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return iconv.decode(bytes.subarray(2), 'utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return iconv.decode(bytes.subarray(2), 'utf16be');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const text = iconv.decode(bytes, 'gb18030');
    return text.includes('\uFFFD') ? undefined : text;
  }
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF, ragged rows), by csv-parse. */
export function parseCsv(text: string, limits: ReadLimits = DEFAULT_LIMITS): string[][] {
  return parse(text, {
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    bom: true,
    max_record_size: limits.maxCellChars * limits.maxColumns,
    to: limits.maxRows + 2,
  }) as string[][];
}

async function readCsvFile(file: string, limits: ReadLimits): Promise<SpreadsheetResult> {
  const { size } = await stat(file);
  if (size > limits.maxInflatedBytes) return { ok: false, error: { problem: 'too_big' } };
  const handle = await open(file, 'r');
  let bytes: Buffer;
  try {
    bytes = await handle.readFile();
  } finally {
    await handle.close();
  }
  const text = decodeText(bytes);
  if (text === undefined) return { ok: false, error: { problem: 'not_spreadsheet' } };
  let records: string[][];
  try {
    records = parseCsv(text, limits);
  } catch {
    return { ok: false, error: { problem: 'not_spreadsheet' } };
  }
  const name = basename(file);
  if (records.length > limits.maxRows + 1) return { ok: false, error: { problem: 'too_many_rows', sheet: name, row: records.length } };
  for (let r = 0; r < records.length; r++) {
    if (records[r].length > limits.maxColumns) return { ok: false, error: { problem: 'too_many_columns', sheet: name, row: r + 1 } };
    const long = records[r].findIndex((v) => v.length > limits.maxCellChars);
    if (long >= 0) return { ok: false, error: { problem: 'cell_too_long', sheet: name, row: r + 1 } };
  }
  return { ok: true, sheets: [{ name, rows: records }], cellErrors: [] };
}

/** Reads an .xlsx or .csv file within the limits; anything else is 'not_spreadsheet'. */
export async function readSpreadsheet(file: string, limits: ReadLimits = DEFAULT_LIMITS): Promise<SpreadsheetResult> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    return { ok: false, error: { problem: 'not_spreadsheet' } };
  }
  if (size === 0) return { ok: false, error: { problem: 'empty' } };
  if (/\.csv$/i.test(file)) return readCsvFile(file, limits);
  const handle = await open(file, 'r');
  const magic = Buffer.alloc(4);
  try {
    await handle.read(magic, 0, 4, 0);
  } finally {
    await handle.close();
  }
  // an .xlsx is a zip: anything else (an old .xls, a PDF renamed) is said to be no spreadsheet, not a parse failure
  if (magic.toString('latin1') !== 'PK\u0003\u0004') return { ok: false, error: { problem: 'not_spreadsheet' } };
  return readXlsx(file, limits);
}

/** A cell as trimmed text (numbers as written, booleans as 1/0). */
function cellText(v: Cell | undefined): string {
  if (v === undefined || v === '') return '';
  if (typeof v === 'boolean') return v ? '1' : '0';
  return String(v).trim();
}

/** Sheets as header + non-empty text rows (the roster's view). */
export function toRawSheets(sheets: SheetCells[]): RawSheet[] {
  return sheets.map((s) => {
    const headers = (s.rows[0] ?? []).map(cellText);
    const rows: RawSheet['rows'] = [];
    for (let i = 1; i < s.rows.length; i++) {
      const values = headers.map((_, j) => cellText(s.rows[i]?.[j]));
      if (values.some((v) => v !== '')) rows.push({ row: i + 1, values });
    }
    return { name: s.name, headers, rows };
  });
}

/** What is wrong with a file, as a message for the person who sent it (keys under `file.`). */
export function fileErrorMessage(e: FileError, limits: ReadLimits = DEFAULT_LIMITS): { key: I18nKey; params: Record<string, string | number> } {
  const params: Record<string, string | number> = { sheet: e.sheet ?? '', row: e.row ?? 0, column: e.column ?? '' };
  if (e.problem === 'too_big') params.max = Math.round(limits.maxInflatedBytes / (1024 * 1024));
  if (e.problem === 'too_many_rows') params.max = limits.maxRows;
  if (e.problem === 'too_many_columns') params.max = limits.maxColumns;
  if (e.problem === 'too_many_sheets') params.max = limits.maxSheets;
  if (e.problem === 'cell_too_long') params.max = limits.maxCellChars;
  return { key: `file.${e.problem}`, params };
}
