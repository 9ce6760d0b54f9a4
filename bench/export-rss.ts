/**
 * Child process of bench/reports.bench.ts: streams an all-cards-like workbook and prints its peak RSS as JSON.
 * Usage: node --import tsx bench/export-rss.ts <file.xlsx> <rows> <columns> [exceljs]
 * With `exceljs`, the same rows go through exceljs' streaming WorkbookWriter, the writer used before ours (side figure).
 */
import { createWriteStream } from 'node:fs';
import ExcelJS from 'exceljs';
import { writeWorkbook, type SheetSpec } from '../src/reports/xlsx.js';

async function viaExceljs(file: string, sheets: SheetSpec[]): Promise<void> {
  const stream = createWriteStream(file);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  for (const sheet of sheets) {
    const ws = wb.addWorksheet(sheet.name);
    ws.columns = sheet.columns.map((c) => ({ header: c.header, key: c.key }));
    let n = 0;
    for await (const row of sheet.rows) {
      ws.addRow(row).commit();
      if (++n % 200 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    ws.commit();
  }
  await wb.commit();
}

const rssMb = () => process.memoryUsage().rss / 1024 / 1024;

async function exportPeakRss(file: string, EXPORT_ROWS: number, EXPORT_COLUMNS: number): Promise<{ peak: number; before: number; ms: number }> {
  const columns = Array.from({ length: EXPORT_COLUMNS }, (_, c) => ({ header: `字段${c + 1}（中文表头）`, key: `f${c}` }));
  const text = ['已落实', '进行中', '未开始', '因病致贫，家庭医生已签约', '城关镇李家村三组', '达标'];
  function* rows() {
    for (let i = 0; i < EXPORT_ROWS; i++) {
      const row: Record<string, unknown> = {};
      for (let c = 0; c < EXPORT_COLUMNS; c++) row[`f${c}`] = c % 3 === 0 ? i * 31 + c : c % 3 === 1 ? text[(i + c) % text.length] : `${text[c % 6]}-${i}`;
      yield row;
    }
  }
  global.gc?.();
  const before = rssMb();
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, rssMb())), 20);
  const t0 = performance.now();
  const sheets = [{ name: '全部动态信息卡', columns, rows: rows() }];
  if (process.argv[5] === 'exceljs') await viaExceljs(file, sheets);
  else await writeWorkbook(file, sheets);
  const ms = performance.now() - t0;
  clearInterval(timer);
  peak = Math.max(peak, rssMb());
  return { peak, before, ms };
}

const [file, rows, columns] = process.argv.slice(2);
console.log(JSON.stringify(await exportPeakRss(file, Number(rows), Number(columns))));
