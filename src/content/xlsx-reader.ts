/**
 * A streaming, bounded reader for the spreadsheets people send (rosters, question banks): yauzl reads the zip's
 * directory and inflates one part at a time, saxes parses the XML as it arrives. Limits on inflated bytes, rows,
 * columns and cell length are enforced while streaming, so a zip bomb or a huge sheet is refused after reading at
 * most the limit, never inflated whole. Cost is linear in the file: each cell is visited once.
 * Formula cells are not read (their cached value could say anything, even 管理员): each is reported by sheet, row
 * and column.
 */
import { StringDecoder } from 'node:string_decoder';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { SaxesParser, type SaxesTagPlain } from 'saxes';

export interface ReadLimits {
  /** all parts inflated, in bytes */
  maxInflatedBytes: number;
  /** data rows per sheet (the header row not counted) */
  maxRows: number;
  maxColumns: number;
  /** characters per cell */
  maxCellChars: number;
  maxSheets: number;
}

export const DEFAULT_LIMITS: ReadLimits = {
  maxInflatedBytes: 64 * 1024 * 1024,
  maxRows: 20_000,
  maxColumns: 100,
  maxCellChars: 4_000,
  maxSheets: 20,
};

export type Cell = string | number | boolean;

/** One sheet: dense rows (index 0 = spreadsheet row 1), each a dense list of cells ('' when empty). */
export interface SheetCells {
  name: string;
  rows: Cell[][];
}

/** What stopped the reading (fatal), or a cell refused (reported with the others). */
export type FileProblem =
  | 'empty'
  | 'not_spreadsheet'
  | 'truncated'
  | 'encrypted'
  | 'too_big'
  | 'too_many_sheets'
  | 'too_many_rows'
  | 'too_many_columns'
  | 'cell_too_long'
  | 'formula'
  /** a .docx without its document part, or a text file that is not UTF-8 text */
  | 'not_document'
  /** a document longer than a notice can be */
  | 'too_long'
  /** worker or reader failed unexpectedly (logged); the file is refused */
  | 'unreadable';

export interface FileError {
  problem: FileProblem;
  sheet?: string;
  row?: number;
  /** the column's letters (A, B, … AA) */
  column?: string;
}

export type XlsxResult = { ok: true; sheets: SheetCells[]; cellErrors: FileError[] } | { ok: false; error: FileError };

export class Stop extends Error {
  constructor(readonly error: FileError) {
    super(error.problem);
  }
}

/** Column letters → 0-based index (A → 0, AA → 26). */
function columnIndex(ref: string): number {
  let n = 0;
  for (const ch of ref) {
    const c = ch.charCodeAt(0);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

export function columnLetters(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Built-in number formats that show a date (ECMA-376 18.8.30, with the CJK ones). */
const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

function isDateFormat(code: string): boolean {
  const bare = code.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '');
  return /[ymd]/i.test(bare) && !/^general$/i.test(bare.trim());
}

/** An Excel serial day as YYYY-MM-DD (the 1900 system counts from 1899-12-30, the 1904 one from 1904-01-01). */
function serialToDate(serial: number, date1904: boolean): string {
  const base = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  return new Date(base + Math.round(serial * 86_400_000)).toISOString().slice(0, 10);
}

export interface Budget {
  left: number;
}

/** Streams one part through a SAX parser, counting inflated bytes against the budget. */
export async function parsePart(zip: ZipFile, entry: Entry, budget: Budget, wire: (p: SaxesParser) => void): Promise<void> {
  const stream = await zip.openReadStreamPromise(entry);
  const parser = new SaxesParser();
  let failed: unknown;
  parser.on('error', (e) => {
    failed ??= e;
  });
  wire(parser);
  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      budget.left -= chunk.length;
      if (budget.left < 0) throw new Stop({ problem: 'too_big' });
      parser.write(decoder.write(chunk));
      if (failed) throw failed;
    }
    parser.write(decoder.end());
    parser.close();
    if (failed) throw failed;
  } finally {
    stream.destroy();
  }
}

const attr = (tag: SaxesTagPlain, name: string): string | undefined => {
  const v = tag.attributes[name];
  return typeof v === 'string' ? v : undefined;
};

/** Reads every sheet of an .xlsx file within the limits. */
export async function readXlsx(file: string, limits: ReadLimits = DEFAULT_LIMITS): Promise<XlsxResult> {
  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false });
  } catch (e) {
    const msg = (e as Error).message;
    return { ok: false, error: { problem: /end of central directory|not found/i.test(msg) ? 'not_spreadsheet' : 'truncated' } };
  }
  try {
    return await readZip(zip, limits);
  } catch (e) {
    if (e instanceof Stop) return { ok: false, error: e.error };
    // yauzl and zlib speak of sizes, CRCs and unexpected ends: all mean a damaged or cut-off file
    return { ok: false, error: { problem: 'truncated' } };
  } finally {
    zip.close();
  }
}

async function readZip(zip: ZipFile, limits: ReadLimits): Promise<XlsxResult> {
  const entries = new Map<string, Entry>();
  let declared = 0;
  for await (const entry of zip.eachEntry()) {
    if (entries.size > 10_000) throw new Stop({ problem: 'too_big' });
    entries.set(entry.fileName.replace(/^\/+/, ''), entry);
    declared += entry.uncompressedSize;
  }
  // declared sizes can lie (yauzl then stops at the declared size), but honest bombs are refused before any inflating
  if (declared > limits.maxInflatedBytes) throw new Stop({ problem: 'too_big' });
  const workbook = entries.get('xl/workbook.xml');
  if (!workbook) throw new Stop({ problem: 'not_spreadsheet' });
  for (const e of entries.values()) if (e.isEncrypted()) throw new Stop({ problem: 'encrypted' });
  const budget: Budget = { left: limits.maxInflatedBytes };

  const sheetRefs: { name: string; rid: string }[] = [];
  let date1904 = false;
  await parsePart(zip, workbook, budget, (p) =>
    p.on('opentag', (t) => {
      if (t.name === 'sheet') sheetRefs.push({ name: attr(t, 'name') ?? '', rid: attr(t, 'r:id') ?? '' });
      else if (t.name === 'workbookPr') date1904 = ['1', 'true'].includes(attr(t, 'date1904') ?? '');
    }),
  );
  if (sheetRefs.length > limits.maxSheets) throw new Stop({ problem: 'too_many_sheets' });

  const targets = new Map<string, string>();
  const rels = entries.get('xl/_rels/workbook.xml.rels');
  if (rels) {
    await parsePart(zip, rels, budget, (p) =>
      p.on('opentag', (t) => {
        if (t.name === 'Relationship') targets.set(attr(t, 'Id') ?? '', attr(t, 'Target') ?? '');
      }),
    );
  }

  const dateStyles: boolean[] = [];
  const styles = entries.get('xl/styles.xml');
  if (styles) {
    const custom = new Map<number, string>();
    let inXfs = false;
    await parsePart(zip, styles, budget, (p) => {
      p.on('opentag', (t) => {
        if (t.name === 'numFmt') custom.set(Number(attr(t, 'numFmtId')), attr(t, 'formatCode') ?? '');
        else if (t.name === 'cellXfs') inXfs = true;
        else if (t.name === 'xf' && inXfs) {
          const id = Number(attr(t, 'numFmtId') ?? 0);
          dateStyles.push(DATE_FORMAT_IDS.has(id) || (custom.has(id) && isDateFormat(custom.get(id)!)));
        }
      });
      p.on('closetag', (t) => {
        if (t.name === 'cellXfs') inXfs = false;
      });
    });
  }

  const shared: string[] = [];
  const sst = entries.get('xl/sharedStrings.xml');
  if (sst) {
    let current: string[] | undefined;
    let depthT = 0;
    let inPhonetic = false;
    await parsePart(zip, sst, budget, (p) => {
      p.on('opentag', (t) => {
        if (t.name === 'si') current = [];
        else if (t.name === 'rPh') inPhonetic = true;
        else if (t.name === 't' && !inPhonetic) depthT++;
      });
      p.on('text', (text) => {
        if (depthT > 0 && current) current.push(text);
      });
      p.on('closetag', (t) => {
        if (t.name === 't' && !inPhonetic && depthT > 0) depthT--;
        else if (t.name === 'rPh') inPhonetic = false;
        else if (t.name === 'si' && current) {
          shared.push(current.join(''));
          current = undefined;
        }
      });
    });
  }

  const sheets: SheetCells[] = [];
  const cellErrors: FileError[] = [];
  for (const ref of sheetRefs) {
    const target = targets.get(ref.rid) ?? '';
    const path = target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
    const entry = entries.get(path);
    if (!entry) throw new Stop({ problem: 'not_spreadsheet', sheet: ref.name });
    sheets.push(await readSheet(zip, entry, ref.name, { budget, limits, shared, dateStyles, date1904, cellErrors }));
  }
  return { ok: true, sheets, cellErrors };
}

interface SheetContext {
  budget: Budget;
  limits: ReadLimits;
  shared: string[];
  dateStyles: boolean[];
  date1904: boolean;
  cellErrors: FileError[];
}

async function readSheet(zip: ZipFile, entry: Entry, name: string, ctx: SheetContext): Promise<SheetCells> {
  const { limits } = ctx;
  const rows: Cell[][] = [];
  let rowNo = 0;
  let row: Cell[] = [];
  let col = -1;
  let type = 'n';
  let style = 0;
  let formula = false;
  let collecting: 'v' | 't' | undefined;
  let text = '';
  let inCell = false;
  const where = (): FileError => ({ problem: 'formula', sheet: name, row: rowNo, column: columnLetters(col) });
  const finishCell = () => {
    if (formula) {
      if (ctx.cellErrors.length < 200) ctx.cellErrors.push(where());
      return;
    }
    let value: Cell = '';
    if (type === 's') value = ctx.shared[Number(text)] ?? '';
    else if (type === 'inlineStr' || type === 'str') value = text;
    else if (type === 'b') value = text === '1' || text === 'true';
    else if (type === 'e') value = '';
    else if (type === 'd') value = text.slice(0, 10);
    else if (text !== '') {
      const n = Number(text);
      value = Number.isFinite(n) ? (ctx.dateStyles[style] ? serialToDate(n, ctx.date1904) : n) : text;
    }
    if (typeof value === 'string' && value.length > limits.maxCellChars) throw new Stop({ ...where(), problem: 'cell_too_long' });
    while (row.length < col) row.push('');
    row[col] = value;
  };
  await parsePart(zip, entry, ctx.budget, (p) => {
    p.on('opentag', (t) => {
      switch (t.name) {
        case 'row': {
          const r = Number(attr(t, 'r') ?? rowNo + 1);
          rowNo = Number.isInteger(r) && r > rowNo ? r : rowNo + 1;
          if (rowNo > limits.maxRows + 1) throw new Stop({ problem: 'too_many_rows', sheet: name, row: rowNo });
          row = [];
          col = -1;
          break;
        }
        case 'c': {
          const ref = attr(t, 'r');
          const c = ref ? columnIndex(ref) : col + 1;
          col = c > col ? c : col + 1;
          if (col >= limits.maxColumns) throw new Stop({ problem: 'too_many_columns', sheet: name, row: rowNo, column: columnLetters(col) });
          type = attr(t, 't') ?? 'n';
          style = Number(attr(t, 's') ?? 0);
          formula = false;
          text = '';
          inCell = true;
          break;
        }
        case 'f':
          if (inCell) formula = true;
          break;
        case 'v':
        case 't':
          if (inCell) collecting = t.name;
          break;
      }
    });
    p.on('text', (s) => {
      if (!collecting) return;
      text += s;
      if (text.length > limits.maxCellChars * 2) throw new Stop({ ...where(), problem: 'cell_too_long' });
    });
    p.on('closetag', (t) => {
      if (t.name === 'v' || t.name === 't') collecting = undefined;
      else if (t.name === 'c') {
        finishCell();
        inCell = false;
      } else if (t.name === 'row') {
        while (rows.length < rowNo - 1) rows.push([]);
        rows[rowNo - 1] = row;
      }
    });
  });
  return { name, rows };
}
