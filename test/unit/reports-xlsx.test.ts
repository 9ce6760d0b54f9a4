import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { uniqueSheetName, writeWorkbook } from '../../src/reports/xlsx.js';
import { readXlsx } from '../../src/content/xlsx-reader.js';

const dir = mkdtempSync(path.join(tmpdir(), 'xlsx-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readBack(file: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}

describe('writeWorkbook', () => {
  it('fills a group of sheets in one pass: each row to its sheet, sheets in order after a plain one, no part files left', async () => {
    const sub = mkdtempSync(path.join(dir, 'group-'));
    const file = path.join(sub, 'cards.xlsx');
    function* pass() {
      for (let i = 1; i <= 700; i++) {
        yield { sheet: 0, row: { id: i, head: `户主${i}` } };
        for (let k = 1; k <= i % 3; k++) yield { sheet: 1, row: { id: i, n: k } };
        if (i % 100 === 0) yield { sheet: 2, row: { id: i, what: i === 700 ? '  两端空格\n第二行 ' : '<措施&>' } };
      }
    }
    const summary = await writeWorkbook(file, [
      { name: '说明', columns: [{ header: '说明', key: 'x' }], rows: [{ x: 'a' }] },
      {
        sheets: [
          { name: '全部卡片', columns: [{ header: '卡片', key: 'id' }, { header: '户主', key: 'head' }] },
          { name: '家庭成员', columns: [{ header: '卡片', key: 'id' }, { header: '序号', key: 'n' }] },
          { name: '措施', columns: [{ header: '卡片', key: 'id' }, { header: '措施', key: 'what' }] },
        ],
        rows: pass(),
      },
    ]);
    expect(summary.sheets).toEqual([
      { name: '说明', rows: 1 },
      { name: '全部卡片', rows: 700 },
      { name: '家庭成员', rows: 700 },
      { name: '措施', rows: 7 },
    ]);
    expect(readdirSync(sub)).toEqual(['cards.xlsx']);
    const wb = await readBack(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['说明', '全部卡片', '家庭成员', '措施']);
    expect(wb.getWorksheet('全部卡片')!.getCell('B701').value).toBe('户主700');
    const members = wb.getWorksheet('家庭成员')!;
    expect(members.rowCount).toBe(701);
    expect([members.getCell('A2').value, members.getCell('B2').value, members.getCell('A4').value, members.getCell('B4').value]).toEqual([1, 1, 2, 2]);
    // white space at either end survives (xml:space="preserve" where it matters)
    expect([wb.getWorksheet('措施')!.getCell('B2').value, wb.getWorksheet('措施')!.getCell('B8').value]).toEqual(['<措施&>', '  两端空格\n第二行 ']);

    // a pass that fails leaves neither the side sheets' part files nor an open writer behind
    function* failing() {
      yield { sheet: 1, row: { id: 1 } };
      throw new Error('read failed');
    }
    const broken = path.join(sub, 'broken.xlsx');
    await expect(writeWorkbook(broken, [{ sheets: [{ name: 'a', columns: [] }, { name: 'b', columns: [{ header: 'id', key: 'id' }] }], rows: failing() }])).rejects.toThrow('read failed');
    await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(sub).filter((f) => f.includes('.part'))).toEqual([]);
  });

  it('writes sheets from arrays and async generators; headers and cells read back', async () => {
    const file = path.join(dir, 'households.xlsx');
    async function* visits() {
      for (let i = 1; i <= 1200; i++) yield { hh: `户${i}`, n: i % 7, at: new Date(Date.UTC(2017, 0, i % 28 + 1)) };
    }
    const summary = await writeWorkbook(file, [
      {
        name: '户×走访',
        columns: [
          { header: '户编号', key: 'hh' },
          { header: '入户次数', key: 'n' },
          { header: '最近走访', key: 'at', numFmt: 'yyyy-mm-dd' },
        ],
        rows: visits(),
      },
      {
        name: '帮扶责任人/测试',
        columns: [
          { header: '姓名', key: 'name' },
          { header: '完成率(%)', key: 'pct' },
          { header: '措施', key: 'measures' },
          { header: '已落实', key: 'done' },
        ],
        rows: [
          { name: '张三', pct: 87.5, measures: ['产业扶持', '技能培训'], done: true },
          { name: '李四', pct: null, measures: [], done: false, ignored: 'x' },
        ],
      },
    ]);
    expect(summary.sheets).toEqual([
      { name: '户×走访', rows: 1200 },
      { name: '帮扶责任人_测试', rows: 2 },
    ]);

    const wb = await readBack(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['户×走访', '帮扶责任人_测试']);
    const a = wb.getWorksheet('户×走访')!;
    expect(a.getRow(1).values).toEqual([undefined, '户编号', '入户次数', '最近走访']);
    expect(a.rowCount).toBe(1201);
    // row i + 1 holds household i
    expect(a.getCell('A2').value).toBe('户1');
    expect(a.getCell('B2').value).toBe(1);
    expect(a.getCell('A701').value).toBe('户700');
    expect(a.getCell('B701').value).toBe(700 % 7);
    expect((a.getCell('C701').value as Date).toISOString()).toBe(new Date(Date.UTC(2017, 0, (700 % 28) + 1)).toISOString());
    expect(a.getCell('C701').numFmt).toBe('yyyy-mm-dd');
    expect(a.getCell('A1201').value).toBe('户1200');
    expect(a.getRow(1).font?.bold).toBe(true);

    const b = wb.getWorksheet('帮扶责任人_测试')!;
    expect(b.getRow(1).values).toEqual([undefined, '姓名', '完成率(%)', '措施', '已落实']);
    expect(b.getCell('A2').value).toBe('张三');
    expect(b.getCell('B2').value).toBe(87.5);
    expect(b.getCell('C2').value).toBe('产业扶持、技能培训');
    expect(b.getCell('D2').value).toBe(true);
    expect(b.getCell('A3').value).toBe('李四');
    expect(b.getCell('B3').value).toBe(null);
    expect(b.getCell('D3').value).toBe(false);
    expect(b.getCell('E3').value).toBe(null);
  });

  it('text XML cannot carry is dropped, markup is escaped, and the file reads back through both readers', async () => {
    const file = path.join(dir, 'odd.xlsx');
    const odd = 'a<b>&c\u0001\u000b"d\ud800e\u{1F600}';
    await writeWorkbook(file, [{ name: 'x<y>&"z"', columns: [{ header: '<头>&', key: 'v' }], rows: [{ v: odd }, { v: Number.NaN }, { v: new Date(Number.NaN) }] }]);
    const wb = await readBack(file);
    const ws = wb.worksheets[0];
    expect(ws.name).toBe('x<y>&"z"');
    expect(ws.getCell('A1').value).toBe('<头>&');
    expect(ws.getCell('A2').value).toBe('a<b>&c"de\u{1F600}');
    expect(ws.getCell('A3').value).toBe(null);
    expect(ws.getCell('A4').value).toBe(null);
    // the bot's own streaming reader (what reads the files people send) sees the same
    const read = await readXlsx(file);
    if (!read.ok) throw new Error(JSON.stringify(read.error));
    expect(read.sheets[0].rows.slice(0, 2)).toEqual([['<头>&'], ['a<b>&c"de\u{1F600}']]);
  });

  it('texts past the shared-string table\'s bound, long texts and empty ones read back as written; array rows too', async () => {
    const file = path.join(dir, 'shared.xlsx');
    // 20,000 distinct short texts (more than the table holds: the rest go inline), each repeated, among long ones
    const long = '长'.repeat(70);
    const text = (i: number) => (i % 5 === 0 ? `${long}${i}` : i % 7 === 0 ? '' : i % 11 === 0 ? `=x${i}` : `t${i}`);
    function* rows() {
      for (let i = 0; i < 20_000; i++) yield [i, text(i), text(i >> 1)];
    }
    await writeWorkbook(file, [{ name: 'S', columns: [{ header: 'n', key: 'n' }, { header: 'a', key: 'a' }, { header: 'b', key: 'b' }], rows: rows() }]);
    const ws = (await readBack(file)).worksheets[0];
    const want = (s: string) => (s === '' ? null : s.startsWith('=') ? `'${s}` : s);
    for (let i = 0; i < 20_000; i++) {
      const row = ws.getRow(i + 2);
      expect([row.getCell(1).value, row.getCell(2).value ?? null, row.getCell(3).value ?? null], `row ${i + 2}`).toEqual([i, want(text(i)), want(text(i >> 1))]);
    }
  });

  it('accepts an async iterable of sheets (one per household archive)', async () => {
    const file = path.join(dir, 'archive.xlsx');
    async function* sheets() {
      for (const hh of ['王家', '赵家']) {
        yield { name: hh, columns: [{ header: '修订', key: 'rev' }], rows: [{ rev: 1 }, { rev: 2 }] };
      }
    }
    await writeWorkbook(file, sheets());
    const wb = await readBack(file);
    expect(wb.worksheets.map((w) => [w.name, w.getCell('A3').value])).toEqual([['王家', 2], ['赵家', 2]]);
  });
});

describe('uniqueSheetName', () => {
  it.each([
    [['明细', '明细', '明细'], ['明细', '明细(2)', '明细(3)']],
    [['a:b', 'A_B'], ['a_b', 'A_B(2)']],
    [['x'.repeat(40), 'x'.repeat(40)], ['x'.repeat(31), 'x'.repeat(28) + '(2)']],
    [['  ', ''], ['Sheet', 'Sheet(2)']],
  ])('%j → %j', (wanted, expected) => {
    const used = new Set<string>();
    expect(wanted.map((w) => uniqueSheetName(w, used))).toEqual(expected);
  });
});
