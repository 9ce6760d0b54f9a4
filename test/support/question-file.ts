/** A valid question workbook of n rows (the quiz-template layout), for size and timing tests. */
import ExcelJS from 'exceljs';
import { TEMPLATE_HEADERS } from '../../src/content/quiz-spreadsheet.js';

export async function questionFile(file: string, n: number): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('题库');
  ws.addRow(TEMPLATE_HEADERS);
  for (let i = 0; i < n; i++) {
    const r: Record<string, unknown> = {
      题号: `Q${i}`, 级别: '省级', 地区: '某省', 主题: '入户要求', 题目: `第${i}题：入户后应当做什么？`, 选项A: '核对人口', 选项B: '只拍照',
      选项C: '讲解政策', 正确答案: 'A,C', 解析: '要核对人口并讲政策。', 出处: '省文件', 生效日期: '2018-01-01', 版本: 1,
    };
    ws.addRow(TEMPLATE_HEADERS.map((h) => r[h] ?? null));
  }
  await wb.xlsx.writeFile(file);
  return file;
}
