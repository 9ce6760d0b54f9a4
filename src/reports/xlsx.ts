/**
 * Streaming spreadsheets: each sheet's XML is built row by row and deflated into the .xlsx (a zip) as it is made, by a
 * writer of our own (./zip-stream.ts). Nothing but the rows in hand and a bounded shared-string table (short repeated
 * texts; the rest inline) is kept, so memory stays flat however many rows an export has (720,000 rows of the all-cards
 * export included), and the bot does not load a spreadsheet library to write one. Header row bold and frozen.
 */
import { safeCellText } from '../core/people/privacy.js';
import { DeflatedPart, ZipStream } from './zip-stream.js';

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

/** A row: a record keyed by `columns[].key`, or the values in column order (no key lookups: wide sheets). */
export type Row = Record<string, unknown> | readonly unknown[];

/** One sheet: rows are plain records keyed by `columns[].key`, from an array, a generator or an async generator. */
export interface SheetSpec {
  name: string;
  columns: SheetColumn[];
  rows: Iterable<Row> | AsyncIterable<Row>;
}

/** What was written, per sheet, in order (the sheet names as actually used). */
export interface WorkbookSummary {
  sheets: Array<{ name: string; rows: number }>;
}

/**
 * Rows are joined into one string until it reaches this many characters, then go to the deflater: fewer writes than
 * one per row, yet small enough that V8 never flattens a long rope of row strings into a large object (with 200 rows
 * of the all-cards sheet, about 600 KB a chunk, that flattening and its garbage made the export half again slower and
 * its peak RSS 30 MB higher).
 */
const CHUNK_CHARS = 16_384;
const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
/** cellXfs 0: plain, 1: bold (the header); 2 and up: one per number format, in order of first use */
const BOLD_STYLE = 1;

/**
 * Sheets filled in one pass over rows read once: each row names the sheet it belongs to. The first sheet streams into
 * the workbook as it is made; the others are deflated into temporary files beside the workbook meanwhile and copied
 * in after the pass (the all-cards export parses every card once for its main sheet and its repeats' sheets).
 */
export interface SheetGroup {
  sheets: Array<Omit<SheetSpec, 'rows'>>;
  rows: Iterable<{ sheet: number; row: Row }> | AsyncIterable<{ sheet: number; row: Row }>;
}

const isGroup = (x: SheetSpec | SheetGroup): x is SheetGroup => 'sheets' in x;

/** One sheet's XML, built row by row: the head, each row, the tail. */
class SheetXml {
  /** each column's cell start (`<c r="B`, the row number follows) and style attribute, made once */
  private readonly columns: Array<SheetColumn & { ref: string; style: number; open: string; s: string }>;
  rows = 0;

  constructor(spec: Omit<SheetSpec, 'rows'>, styleOf: (numFmt: string | undefined) => number, private readonly texts: TextCells) {
    this.columns = spec.columns.map((c, i) => {
      const style = styleOf(c.numFmt);
      return { ...c, ref: columnName(i), style, open: `<c r="${columnName(i)}`, s: style ? ` s="${style}"` : '' };
    });
  }

  head(): string {
    let head = `${XML_HEAD}<worksheet xmlns="${NS}" xmlns:r="${REL_NS}"><sheetViews><sheetView workbookViewId="0">`;
    head += '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>';
    head += '<sheetFormatPr defaultRowHeight="15"/>';
    if (this.columns.length) {
      head += '<cols>';
      this.columns.forEach((c, i) => {
        const width = c.width ?? defaultWidth(c.header);
        head += `<col min="${i + 1}" max="${i + 1}" width="${width}" customWidth="1"${c.style ? ` style="${c.style}"` : ''}/>`;
      });
      head += '</cols>';
    }
    head += `<sheetData><row r="1" s="${BOLD_STYLE}" customFormat="1">`;
    for (const c of this.columns) head += `<c r="${c.ref}1" s="${BOLD_STYLE}" t="inlineStr"><is><t xml:space="preserve">${xmlText(c.header)}</t></is></c>`;
    return head + '</row>';
  }

  /** A row as a record keyed by `columns[].key`, or (faster for wide sheets) an array of values in column order. */
  row(row: Row): string {
    const r = numberText(++this.rows + 1);
    const cols = this.columns;
    let x = '<row r="' + r + '">';
    if (Array.isArray(row)) {
      for (let i = 0; i < cols.length; i++) {
        const v: unknown = row[i];
        if (v !== null && v !== undefined) x += cellXml(v, cols[i].open + r + '"', cols[i].s, this.texts);
      }
    } else {
      for (const c of cols) {
        const v = (row as Record<string, unknown>)[c.key];
        if (v !== null && v !== undefined) x += cellXml(v, c.open + r + '"', c.s, this.texts);
      }
    }
    return x + '</row>';
  }

  static readonly tail = '</sheetData></worksheet>';
}

/**
 * Writes an .xlsx file sheet by sheet and row by row. Header row bold and frozen. Sheet names are made valid for
 * Excel (at most 31 characters, none of `[]:*?/\\`, unique). The file is owner-only: an export holds personal data.
 */
export async function writeWorkbook(
  file: string,
  sheets: Iterable<SheetSpec | SheetGroup> | AsyncIterable<SheetSpec | SheetGroup>,
): Promise<WorkbookSummary> {
  // level 4: most of level 6's size at about half its time (sheet XML repeats itself; deflate is most of the work)
  const zip = new ZipStream(file, 0o600, 4);
  const summary: WorkbookSummary = { sheets: [] };
  const used = new Set<string>();
  const formats: string[] = [];
  const styleOf = (numFmt: string | undefined): number => {
    if (!numFmt) return 0;
    let i = formats.indexOf(numFmt);
    if (i < 0) i = formats.push(numFmt) - 1;
    return 2 + i;
  };
  const parts: DeflatedPart[] = [];
  const texts = new TextCells();
  try {
    for await (const spec of sheets) {
      const group = isGroup(spec) ? spec : { sheets: [spec], rows: (async function* () {})() };
      const first = summary.sheets.length + 1;
      const xml = group.sheets.map((sh) => new SheetXml(sh, styleOf, texts));
      await zip.startEntry(`xl/worksheets/sheet${first}.xml`);
      // sheets after the first of a group: deflated beside the workbook while the pass runs
      const side = xml.slice(1).map((_, i) => new DeflatedPart(`${file}.part${first + 1 + i}`, 4));
      parts.push(...side);
      const outs = [(x: string) => zip.write(x), ...side.map((p) => (x: string) => p.write(x))];
      const chunks = xml.map((x) => x.head());
      const flush = async (i: number) => {
        await outs[i](chunks[i]);
        chunks[i] = '';
      };
      const add = (sheet: number, row: Row): boolean => {
        chunks[sheet] += xml[sheet].row(row);
        return chunks[sheet].length >= CHUNK_CHARS;
      };
      const rows = isGroup(spec) ? spec.rows : undefined;
      if (rows && Symbol.iterator in rows) {
        // a plain generator is walked without a promise per row; only a full chunk waits for the deflater
        for (const { sheet, row } of rows) if (add(sheet, row)) await flush(sheet);
      } else if (rows) {
        for await (const { sheet, row } of rows) if (add(sheet, row)) await flush(sheet);
      } else if (Symbol.iterator in (spec as SheetSpec).rows) {
        for (const row of (spec as SheetSpec).rows as Iterable<Row>) if (add(0, row)) await flush(0);
      } else {
        for await (const row of (spec as SheetSpec).rows) if (add(0, row)) await flush(0);
      }
      for (let i = 0; i < xml.length; i++) {
        chunks[i] += SheetXml.tail;
        await flush(i);
      }
      await zip.endEntry();
      for (let i = 0; i < side.length; i++) {
        await side[i].end();
        await zip.addPart(`xl/worksheets/sheet${first + 1 + i}.xml`, side[i]);
      }
      group.sheets.forEach((sh, i) => summary.sheets.push({ name: uniqueSheetName(sh.name, used), rows: xml[i].rows }));
    }
    // in pieces: joined whole, the table (up to 16,384 texts) was a string of megabytes, flattened and encoded again
    // at the very end of the export, when the heap is at its largest
    await zip.startEntry('xl/sharedStrings.xml');
    for (const piece of texts.xmlPieces(CHUNK_CHARS)) await zip.write(piece);
    await zip.endEntry();
    await zip.entry('[Content_Types].xml', contentTypes(summary.sheets.length));
    await zip.entry('_rels/.rels', `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`);
    await zip.entry('xl/workbook.xml', workbookXml(summary.sheets.map((s) => s.name)));
    await zip.entry('xl/_rels/workbook.xml.rels', workbookRels(summary.sheets.length));
    await zip.entry('xl/styles.xml', stylesXml(formats));
    await zip.close();
  } catch (e) {
    zip.destroy();
    for (const p of parts) p.destroy();
    throw e;
  }
  return summary;
}

/** Characters XML 1.0 cannot carry at all (C0 controls but tab, newline, return; lone surrogates; U+FFFE/U+FFFF). */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const XML_ESCAPE = /[&<>]/g;
const ESCAPED: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Anything {@link xmlText} would change: most texts have none and are returned as they are. */
const NEEDS_WORK = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff\ud800-\udfff&<>]/;

function xmlText(s: string): string {
  if (!NEEDS_WORK.test(s)) return s;
  return s.replace(NOT_XML, '').replace(XML_ESCAPE, (c) => ESCAPED[c]);
}

/** Excel's day number of an instant (days since 1899-12-30, UTC), as exceljs and Excel read dates. */
const excelDate = (d: Date): number => d.getTime() / 86_400_000 + 25569;

/**
 * A finite number's text, the same as String(n), but made outside V8's number-to-string cache. That cache (in the
 * old generation) keeps each recent number's string alive until another number takes its slot, long enough to
 * survive two scavenges: the row numbers and numeric cells of an export were promoted at about 90 KB a scavenge,
 * garbage the old generation held until its next full collection, so the export's peak grew with its rows.
 * JSON.stringify writes a number's shortest form directly (the same text for every finite number).
 */
export const numberText = (n: number): string => JSON.stringify(n);

/** Leading or trailing white space, or a line break: kept only with xml:space="preserve". */
const PRESERVE = /^\s|\s$|\n/;

/** `open` is the cell's start up to its reference's closing quote (`<c r="B7"`); null and undefined are never passed. */
function cellXml(v: unknown, open: string, s: string, texts: TextCells): string {
  if (typeof v === 'string') return open + s + texts.body(v);
  if (typeof v === 'number') return Number.isFinite(v) ? open + s + '><v>' + numberText(v) + '</v></c>' : '';
  if (typeof v === 'boolean') return open + s + ' t="b"><v>' + (v ? 1 : 0) + '</v></c>';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : open + s + '><v>' + numberText(excelDate(v)) + '</v></c>';
  return open + s + texts.body(Array.isArray(v) ? v.join('、') : String(v));
}

/** Every text passes safeCellText (no hidden characters, no leading = + - @ a CSV re-save could run), then escaping. */
function safeXmlText(raw: string): { xml: string; keep: string } {
  const text = safeCellText(raw);
  // xml:space only where a reader would trim: most cells are spared its 21 bytes
  return { xml: xmlText(text), keep: PRESERVE.test(text) ? ' xml:space="preserve"' : '' };
}

/**
 * Text cells of one workbook. Labels, names, codes and dates repeat across thousands of rows: the first
 * {@link SHARED_MAX} distinct short texts go to the shared-string table, written once, and their cells hold only an
 * index (the all-cards sheets' XML a third smaller, so less to encode, checksum and deflate). Longer texts and those
 * after the table is full are written inline, so memory stays bounded however many rows there are.
 */
class TextCells {
  private readonly index = new Map<string, string>();
  private readonly shared: string[] = [];

  /** The rest of a text cell after its style attribute. */
  body(raw: string): string {
    const hit = this.index.get(raw);
    if (hit !== undefined) return hit;
    const { xml, keep } = safeXmlText(raw);
    // an empty text stays inline: readers take an inline one for an empty cell, a shared one for a text ""
    if (!xml || raw.length > SHARED_CHARS || this.shared.length >= SHARED_MAX) return ' t="inlineStr"><is><t' + keep + '>' + xml + '</t></is></c>';
    const body = ' t="s"><v>' + this.shared.length + '</v></c>';
    this.shared.push('<si><t' + keep + '>' + xml + '</t></si>');
    this.index.set(raw, body);
    return body;
  }

  /** The shared-string table's XML, in pieces of about `chars` characters. */
  *xmlPieces(chars: number): Generator<string> {
    let piece = `${XML_HEAD}<sst xmlns="${NS}" uniqueCount="${this.shared.length}">`;
    for (const si of this.shared) {
      piece += si;
      if (piece.length >= chars) {
        yield piece;
        piece = '';
      }
    }
    yield piece + '</sst>';
  }
}

const SHARED_CHARS = 64;
/** at most about 4 MB of table and index, whatever the export */
const SHARED_MAX = 16_384;

/** A, B, … Z, AA, AB … */
function columnName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

const attr = (s: string) => xmlText(s).replace(/"/g, '&quot;');

function contentTypes(sheets: number): string {
  let x = `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`;
  x += '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>';
  x += '<Default Extension="xml" ContentType="application/xml"/>';
  x += '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>';
  for (let i = 1; i <= sheets; i++) {
    x += `<Override PartName="/xl/worksheets/sheet${i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`;
  }
  x += '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>';
  x += '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>';
  return x + '</Types>';
}

function workbookXml(names: string[]): string {
  let x = `${XML_HEAD}<workbook xmlns="${NS}" xmlns:r="${REL_NS}"><bookViews><workbookView/></bookViews><sheets>`;
  names.forEach((name, i) => (x += `<sheet name="${attr(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`));
  return x + '</sheets></workbook>';
}

function workbookRels(sheets: number): string {
  let x = `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`;
  for (let i = 1; i <= sheets; i++) x += `<Relationship Id="rId${i}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i}.xml"/>`;
  x += `<Relationship Id="rId${sheets + 1}" Type="${REL_NS}/styles" Target="styles.xml"/>`;
  x += `<Relationship Id="rId${sheets + 2}" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/>`;
  return x + '</Relationships>';
}

function stylesXml(formats: string[]): string {
  let x = `${XML_HEAD}<styleSheet xmlns="${NS}">`;
  if (formats.length) {
    x += `<numFmts count="${formats.length}">`;
    formats.forEach((f, i) => (x += `<numFmt numFmtId="${164 + i}" formatCode="${attr(f)}"/>`));
    x += '</numFmts>';
  }
  x += '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>';
  x += '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>';
  x += '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>';
  x += '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>';
  x += `<cellXfs count="${2 + formats.length}"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>`;
  x += '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>';
  formats.forEach((_, i) => (x += `<xf numFmtId="${164 + i}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`));
  x += '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>';
  return x + '</styleSheet>';
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
