import { excelJs } from './exceljs-lazy.js';
import { ROSTER_SHEETS, type SheetDef } from '../core/roster/columns.js';
import type { ParsedSheet, RosterError } from '../core/roster/validate.js';
import { DEFAULT_LIMITS, columnLetters, readSpreadsheet, toRawSheets, type FileError, type ReadLimits } from './sheet-cells.js';

/**
 * A row whose first cell starts with this is an example, never imported: the template's example rows can stay in
 * the file while the real rows are typed below them.
 */
const EXAMPLE_MARK = '示例';

/** Writes the empty roster workbook: one sheet per kind, Chinese headers, one example row (marked, not imported). */
export async function writeRosterTemplate(file: string): Promise<void> {
  const wb = new (excelJs().Workbook)();
  for (const def of ROSTER_SHEETS) {
    const ws = wb.addWorksheet(def.zh);
    ws.columns = def.columns.map((c) => ({ header: c.zh, key: c.key, width: Math.max(12, c.zh.length * 3) }));
    ws.addRow(Object.fromEntries(def.columns.map((c, i) => [c.key, i === 0 ? `${EXAMPLE_MARK}${c.example}` : c.example])));
    ws.getRow(1).font = { bold: true };
    // Codes, phones and ID numbers must stay text: Excel would turn 18 digits into 1.1E+17.
    def.columns.forEach((_, i) => (ws.getColumn(i + 1).numFmt = '@'));
  }
  await wb.xlsx.writeFile(file);
}

export interface RosterFile {
  sheets: ParsedSheet[];
  errors: RosterError[];
  /** the file could not be read at all (not a spreadsheet, empty, cut off, over a limit) */
  fileError?: FileError;
}

/**
 * Reads a roster file and recognises each sheet by its headers; unknown sheets and columns are errors, and so is
 * every formula cell (its cached value is not trusted: it once granted 管理员).
 */
export async function readRosterFile(file: string, limits: ReadLimits = DEFAULT_LIMITS): Promise<RosterFile> {
  const read = await readSpreadsheet(file, limits);
  if (!read.ok) return { sheets: [], errors: [], fileError: read.error };
  const sheets: ParsedSheet[] = [];
  const errors: RosterError[] = [];
  const raws = toRawSheets(read.sheets);
  for (const f of read.cellErrors) {
    const raw = raws.find((r) => r.name === f.sheet);
    const index = raw?.headers.findIndex((_, i) => columnLetters(i) === f.column) ?? -1;
    const column = index >= 0 && raw!.headers[index] ? raw!.headers[index] : (f.column ?? '');
    errors.push({ sheet: f.sheet ?? '', row: f.row ?? 0, column, message: { key: 'file.formula' } });
  }
  for (const raw of raws) {
    if (raw.headers.every((h) => h === '') && raw.rows.length === 0) continue;
    const def = recognise(raw.name, raw.headers);
    if (!def) {
      errors.push({ sheet: raw.name, row: 1, column: '', message: { key: 'roster.err.unknown_sheet' } });
      continue;
    }
    const keys = raw.headers.map((h) => def.columns.find((c) => c.zh === h || c.en.toLowerCase() === h.toLowerCase())?.key);
    raw.headers.forEach((h, i) => {
      if (h && !keys[i]) errors.push({ sheet: raw.name, row: 1, column: h, message: { key: 'roster.err.unknown_column' } });
    });
    for (const c of def.columns) {
      if (c.required && !keys.includes(c.key))
        errors.push({ sheet: raw.name, row: 1, column: c.zh, message: { key: 'roster.err.missing_column' } });
    }
    sheets.push({
      kind: def.kind,
      name: raw.name,
      rows: raw.rows.filter((r) => !r.values[0]?.startsWith(EXAMPLE_MARK)).map((r) => ({
        row: r.row,
        cells: Object.fromEntries(def.columns.map((c) => [c.key, r.values[keys.indexOf(c.key)] ?? ''])),
      })),
    });
  }
  return { sheets, errors };
}

/** By sheet name first, then by the best header match (a CSV file has no sheet names). */
function recognise(name: string, headers: string[]): SheetDef | undefined {
  const byName = ROSTER_SHEETS.find((d) => d.zh === name || d.en.toLowerCase() === name.toLowerCase());
  if (byName) return byName;
  const score = (d: SheetDef) =>
    d.columns.filter((c) => c.required && headers.some((h) => h === c.zh || h.toLowerCase() === c.en.toLowerCase())).length /
    d.columns.filter((c) => c.required).length;
  const best = [...ROSTER_SHEETS].sort((a, b) => score(b) - score(a))[0];
  return score(best) === 1 ? best : undefined;
}
