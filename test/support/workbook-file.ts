/** A real .xlsx written by exceljs from sheets of rows (a roster, a pack), for the importers to read back. */
import ExcelJS from 'exceljs';

export type Sheets = Record<string, unknown[][]>;

export async function writeWorkbookFile(file: string, sheets: Sheets): Promise<string> {
  const wb = new ExcelJS.Workbook();
  for (const [sheet, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(sheet);
    for (const r of rows) ws.addRow(r);
  }
  await wb.xlsx.writeFile(file);
  return file;
}
