/**
 * Streaming spreadsheets: exceljs `stream.xlsx.WorkbookWriter` writing straight to a file, one committed row at a
 * time, so memory stays flat however many rows an export has (60,000 cards × 40 columns is fine).
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { createWriteStream } from 'node:fs';
import { safeCellText } from '../core/people/privacy.js';

/** One column: a Chinese header, the row key it reads, an optional width (characters) and number format. */
export interface SheetColumn {
  header: string;
  key: string;
  width?: number;
  /** Excel number format, e.g. `'yyyy-mm-dd'` for Date values or `'0.00'` for yuan. */
  numFmt?: string;
}

/** A cell value the writer accepts as is; anything else is written with `String(value)`. */
export type CellValue = string | number | boolean | Date | null | undefined;

/** One sheet: rows are plain records keyed by `columns[].key`, from an array, a generator or an async generator. */
export interface SheetSpec {
  name: string;
  columns: SheetColumn[];
  rows: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>;
}

/** What was written, per sheet, in order (the sheet names as actually used). */
export interface WorkbookSummary {
  sheets: Array<{ name: string; rows: number }>;
}

/** Rows written between two checks that the zip stream keeps up. */
const ROWS_PER_YIELD = 200;

/**
 * Writes an .xlsx file sheet by sheet and row by row. Header row bold and frozen. Sheet names are made valid for
 * Excel (at most 31 characters, none of `[]:*?/\`, unique).
 */
export async function writeWorkbook(
  file: string,
  sheets: Iterable<SheetSpec> | AsyncIterable<SheetSpec>,
): Promise<WorkbookSummary> {
  // owner-only: an export holds personal data
  const stream = createWriteStream(file, { mode: 0o600 });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  const summary: WorkbookSummary = { sheets: [] };
  const used = new Set<string>();
  for await (const sheet of sheets) {
    const name = uniqueSheetName(sheet.name, used);
    const ws = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = sheet.columns.map((c) => ({
      header: c.header,
      key: c.key,
      width: c.width ?? defaultWidth(c.header),
      style: c.numFmt ? { numFmt: c.numFmt } : undefined,
    }));
    ws.getRow(1).font = { bold: true };
    let rows = 0;
    for await (const row of sheet.rows) {
      ws.addRow(toCells(row, sheet.columns)).commit();
      if (++rows % ROWS_PER_YIELD === 0) await keepUp(ws);
    }
    ws.commit();
    summary.sheets.push({ name, rows });
  }
  await workbook.commit();
  if (!stream.closed) await once(stream, 'close');
  return summary;
}

/**
 * Backpressure. exceljs 4.4's worksheet stream (a StreamBuf) pipes 64 KB chunks into the zip entry without looking at
 * `write()`'s result, so when rows come faster than deflate runs, the chunks queue in memory (about 100 MB for
 * 60,000 × 40 cells). Wait for the zip side to drain before producing more rows. Falls back to a plain yield when
 * the internals are not as expected.
 */
async function keepUp(ws: unknown): Promise<void> {
  const pipes = (ws as { stream?: { pipes?: unknown } }).stream?.pipes;
  if (Array.isArray(pipes)) {
    for (const p of pipes as Writable[]) {
      // archiver's PassThrough comes from readable-stream 2/3, which has no `writableNeedDrain` getter.
      const needDrain = p.writableNeedDrain ?? (p as unknown as { _writableState?: { needDrain?: boolean } })._writableState?.needDrain;
      if (needDrain && !p.destroyed) await once(p, 'drain');
    }
  }
  await new Promise<void>((resolve) => setImmediate(resolve));
}

function toCells(row: Record<string, unknown>, columns: SheetColumn[]): Record<string, CellValue> {
  const out: Record<string, CellValue> = {};
  for (const c of columns) {
    const v = row[c.key];
    // every text passes safeCellText: no hidden characters, no leading = + - @ that a CSV re-save could run
    out[c.key] =
      typeof v === 'string'
        ? safeCellText(v)
        : v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date
          ? v
          : safeCellText(Array.isArray(v) ? v.join('、') : String(v));
  }
  return out;
}

/** Excel's sheet-name rules: 1–31 characters, none of `[]:*?/\`, unique without regard to case. */
export function uniqueSheetName(wanted: string, used: Set<string>): string {
  const base = (wanted.replace(/[[\]:*?/\\]/g, '_').trim() || 'Sheet').slice(0, 31);
  let name = base;
  for (let i = 2; used.has(name.toLowerCase()); i++) {
    const suffix = `(${i})`;
    name = base.slice(0, 31 - suffix.length) + suffix;
  }
  used.add(name.toLowerCase());
  return name;
}

/** A width that fits the header: CJK characters count double. */
function defaultWidth(header: string): number {
  let w = 0;
  for (const ch of header) w += ch.charCodeAt(0) > 0x2e80 ? 2 : 1;
  return Math.max(8, Math.min(40, w + 2));
}
