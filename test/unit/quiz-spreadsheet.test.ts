import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { TEMPLATE_HEADERS, parseQuizSheet, writeQuizTemplate } from '../../src/content/quiz-spreadsheet.js';
import { parseCsv } from '../../src/content/sheet-cells.js';

const dir = mkdtempSync(join(tmpdir(), 'quiz-sheet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Row = Record<string, string | number | Date>;

function good(id: string, extra: Row = {}): Row {
  return {
    题号: id, 级别: '省级', 地区: '某省', 主题: '入户要求',
    题目: '入户后应当做什么？', '题目(英文)': 'What to do after entering?',
    选项A: '核对人口', '选项A(英文)': 'Check members', 选项B: '只拍照', '选项B(英文)': 'Only take photos', 选项C: '讲解政策', '选项C(英文)': 'Explain policies',
    正确答案: 'A,C', 解析: '要核对人口并讲政策。', '解析(英文)': 'Check members and explain policies.',
    出处: '省文件', 生效日期: '2018-01-01', 版本: 1, ...extra,
  };
}

async function writeSheet(name: string, rows: Row[], headers: string[] = TEMPLATE_HEADERS): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('题库');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(headers.map((h) => r[h] ?? null));
  const file = join(dir, name);
  await wb.xlsx.writeFile(file);
  return file;
}

describe('quiz spreadsheet', () => {
  it('the template has Chinese headers and an example row that imports cleanly', async () => {
    const file = join(dir, 'template.xlsx');
    await writeQuizTemplate(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const header = (wb.worksheets[0].getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(TEMPLATE_HEADERS);
    expect(header).toContain('正确答案');
    const r = await parseQuizSheet(file);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.questions).toHaveLength(1);
    expect(r.questions[0]).toMatchObject({ id: 'P-001', level: 'provincial', correct: [0], version: 1 });
  });

  it('imports good rows: multi answers, date cells, numeric ids, blank rows skipped', async () => {
    const file = await writeSheet('good.xlsx', [
      good('P1'),
      {} as Row,
      good('101', { 正确答案: 'b', 生效日期: new Date(Date.UTC(2019, 5, 30)), 版本: 3, 级别: '市级', 停用日期: '2020-12-31' }),
    ]);
    const r = await parseQuizSheet(file);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.questions.map((q) => [q.id, q.level, q.correct, q.multi, q.effectiveDate, q.retiredDate, q.version])).toEqual([
      ['P1', 'provincial', [0, 2], true, '2018-01-01', undefined, 1],
      ['101', 'municipal', [1], false, '2019-06-30', '2020-12-31', 3],
    ]);
    expect(r.questions[0].options[2]).toEqual({ zh: '讲解政策', en: 'Explain policies' });
  });

  it('reports every bad row by row and column and imports nothing', async () => {
    const file = await writeSheet('bad.xlsx', [
      good('P1'),
      good('P2', { 正确答案: 'E' }),
      good('P3', { 级别: '乡级', 生效日期: '2018-13-01' }),
      good('P1'),
      good('P5', { 题目: '' }),
      good('P6', { 选项B: '', '选项B(英文)': '' }),
      good('P7', { 选项B: '', '选项B(英文)': '', 选项C: '', '选项C(英文)': '', 正确答案: 'A' }),
      good('P8', { 版本: 'v2' }),
      good('P9', { 停用日期: '2017-12-31' }),
    ]);
    const r = await parseQuizSheet(file);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const found = r.errors.map((e) => [e.row, e.column, e.message.key]);
    expect(found).toEqual([
      [3, '正确答案', 'quiz.err.answer_out_of_range'],
      [4, '级别', 'quiz.err.bad_level'],
      [4, '生效日期', 'quiz.err.bad_date'],
      [5, '题号', 'quiz.err.duplicate_id'],
      [6, '题目', 'quiz.err.missing_zh'],
      [7, '选项B', 'quiz.err.options_gap'],
      [8, '选项A', 'quiz.err.options_count'],
      [9, '版本', 'quiz.err.bad_version'],
      // retired before it came into force
      [10, '停用日期', 'quiz.err.bad_date'],
    ]);
    expect(r.errors[3].message.params).toEqual({ id: 'P1', first: 2 });
  });

  it('reports missing required columns on row 1', async () => {
    const headers = TEMPLATE_HEADERS.filter((h) => h !== '正确答案' && h !== '出处');
    const file = await writeSheet('cols.xlsx', [good('P1')], headers);
    const r = await parseQuizSheet(file);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([[1, '正确答案'], [1, '出处']]);
  });

  it('an empty sheet is an error, not an empty import', async () => {
    const r = await parseQuizSheet(await writeSheet('empty.xlsx', []));
    expect(r.ok).toBe(false);
  });

  it('reads CSV with quotes, full-width header brackets and a BOM', async () => {
    const headers = ['题号', '级别', '地区', '主题', '题目', '选项A', '选项A（英文）', '选项B', '正确答案', '解析', '出处', '生效日期', '版本'];
    const lines = [
      headers.join(','),
      'C1,区级,本区,入户,"问题，带逗号",是,Yes,"说""否""",A,解析,讲话,2017-11-02,1',
      'C2,区级,本区,入户,问题二,是,Yes,否,C,解析,讲话,2017-11-02,1',
    ];
    const file = join(dir, 'q.csv');
    writeFileSync(file, `\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
    const r = await parseQuizSheet(file);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.row, e.column, e.message.key])).toEqual([[3, '正确答案', 'quiz.err.answer_out_of_range']]);
    writeFileSync(file, `\uFEFF${lines.slice(0, 2).join('\r\n')}\r\n`, 'utf8');
    const ok = await parseQuizSheet(file);
    if (!ok.ok) throw new Error(JSON.stringify(ok.errors));
    expect(ok.questions[0].text.zh).toBe('问题，带逗号');
    expect(ok.questions[0].options).toEqual([{ zh: '是', en: 'Yes' }, { zh: '说"否"', en: '' }]);
  });

  it('parseCsv handles newlines inside quotes', () => {
    expect(parseCsv('a,"b\nc",d\n1,2,3')).toEqual([['a', 'b\nc', 'd'], ['1', '2', '3']]);
  });
});
