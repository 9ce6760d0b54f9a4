import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';

/** A sheet as plain text cells: header row + data rows with their 1-based row numbers. */
export interface RawSheet {
  name: string;
  headers: string[];
  rows: { row: number; values: string[] }[];
}

/** Reads every sheet of an XLSX file, or the one sheet of a CSV file, as trimmed text. */
export async function readSheets(file: string): Promise<RawSheet[]> {
  if (/\.csv$/i.test(file)) return [readCsv(file)];
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const out: RawSheet[] = [];
  wb.eachSheet((ws) => {
    const headerRow = ws.getRow(1);
    const headers: string[] = [];
    for (let c = 1; c <= ws.columnCount; c++) headers.push(cellText(headerRow.getCell(c).value));
    const rows: RawSheet['rows'] = [];
    ws.eachRow((r, n) => {
      if (n === 1) return;
      const values = headers.map((_, i) => cellText(r.getCell(i + 1).value));
      if (values.some((v) => v !== '')) rows.push({ row: n, values });
    });
    out.push({ name: ws.name, headers, rows });
  });
  return out;
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('').trim();
    if ('text' in v) return String(v.text).trim();
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('error' in v) return '';
  }
  return String(v).trim();
}

function readCsv(file: string): RawSheet {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const records = parseCsv(text);
  const [headers = [], ...data] = records;
  const rows = data
    .map((values, i) => ({ row: i + 2, values: headers.map((_, j) => (values[j] ?? '').trim()) }))
    .filter((r) => r.values.some((v) => v !== ''));
  return { name: file.replace(/^.*[\\/]/, ''), headers: headers.map((h) => h.trim()), rows };
}

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      out.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    out.push(row);
  }
  return out;
}
