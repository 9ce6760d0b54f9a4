/**
 * Issue 10, hostile spreadsheets: reading is linear in the rows (timed by npm run bench); zip bombs (honest and lying headers) are refused
 * after at most the inflate limit, with memory flat; rows, columns and cell length are limited while streaming;
 * a file that is not a spreadsheet, empty or cut off is named as such; formula cells are refused by sheet, row
 * and column; GBK CSV is read right; codes, names, phones and coordinates are checked.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { parseQuizSheet } from '../../src/content/quiz-spreadsheet.js';
import { readRosterFile } from '../../src/content/roster-file.js';
import { readSpreadsheet, DEFAULT_LIMITS } from '../../src/content/sheet-cells.js';
import { importRoster, type CliEnv } from '../../src/cli/admin-commands.js';
import { openDb } from '../../src/db/client.js';
import { loadConfig } from '../../src/config.js';
import { createTranslator } from '../../src/i18n.js';
import { households, people, personRoles } from '../../src/db/schema.js';
import { bombPart, part, writeZip, xlsxSkeleton } from '../support/zip-writer.js';
import { questionFile } from '../support/question-file.js';
import { adminArgs } from '../support/node-script.js';
import { writeWorkbookFile } from '../support/workbook-file.js';

const dir = mkdtempSync(join(tmpdir(), 'hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs fn while sampling the heap; returns its result and the peak growth in MB. */
async function peakHeap<T>(fn: () => Promise<T>): Promise<{ result: T; mb: number }> {
  global.gc?.();
  const base = process.memoryUsage().heapUsed + process.memoryUsage().external;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed + process.memoryUsage().external)), 5);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().heapUsed + process.memoryUsage().external);
    return { result, mb: (peak - base) / (1024 * 1024) };
  } finally {
    clearInterval(timer);
  }
}

describe('reading is linear and bounded', () => {
  it('1,000 and 4,000 question rows are read whole (linear time: TARGETs of npm run bench)', async () => {
    const small = await questionFile(join(dir, 'q1000.xlsx'), 1000);
    const big = await questionFile(join(dir, 'q4000.xlsx'), 4000);
    let t = performance.now();
    const a = await parseQuizSheet(small);
    const t1000 = performance.now() - t;
    t = performance.now();
    const b = await parseQuizSheet(big);
    const t4000 = performance.now() - t;
    expect(a.ok && a.questions.length).toBe(1000);
    expect(b.ok && b.questions.length).toBe(4000);
    console.log(`quiz sheet read + validated: 1,000 rows ${t1000.toFixed(0)} ms, 4,000 rows ${t4000.toFixed(0)} ms`);
  }, 60_000);

  it('a zip bomb (1 GB of XML in about 1 MB) is refused from its headers, before inflating', async () => {
    const file = join(dir, 'bomb.xlsx');
    writeZip(file, [...xlsxSkeleton(), await bombPart('xl/worksheets/sheet1.xml', '<worksheet><sheetData>', 1024, '</sheetData></worksheet>')]);
    expect(readFileSync(file).length).toBeLessThan(2 * 1024 * 1024);
    const t = performance.now();
    const { result, mb } = await peakHeap(() => parseQuizSheet(file));
    expect(result).toMatchObject({ ok: false, fileError: { problem: 'too_big' } });
    console.log(`1 GB zip bomb (${(readFileSync(file).length / 1024).toFixed(0)} KB): refused in ${(performance.now() - t).toFixed(0)} ms, heap +${mb.toFixed(1)} MB`);
    expect(mb).toBeLessThan(64);
  }, 60_000);

  it('a bomb whose headers lie (claims 1 KB, or 16 MB) is stopped while inflating, memory flat', async () => {
    for (const declared of [1024, 16 * 1024 * 1024]) {
      const file = join(dir, `liar-${declared}.xlsx`);
      const sheet = await bombPart('xl/worksheets/sheet1.xml', '<worksheet><sheetData>', 1024, '</sheetData></worksheet>');
      writeZip(file, [...xlsxSkeleton(), { ...sheet, declaredSize: declared }]);
      const t = performance.now();
      const { result, mb } = await peakHeap(() => readSpreadsheet(file));
      expect(result.ok).toBe(false);
      console.log(`lying bomb (declares ${declared} B, holds 1 GB): refused in ${(performance.now() - t).toFixed(0)} ms, heap +${mb.toFixed(1)} MB`);
      expect(mb).toBeLessThan(64);
    }
    // and one that tells the truth but stays under the limit is stopped by the running count all the same
    const file = join(dir, 'many-parts.xlsx');
    const parts = await Promise.all([1, 2, 3].map((i) => bombPart(`xl/worksheets/pad${i}.xml`, '<x>', 30, '</x>')));
    writeZip(file, [...xlsxSkeleton(), ...parts, part('xl/worksheets/sheet1.xml', '<worksheet><sheetData/></worksheet>')]);
    expect((await readSpreadsheet(file)).ok === false).toBe(true);
  }, 60_000);

  it('rows, columns and cell length are limited while streaming, named by sheet, row and column', async () => {
    const file = await questionFile(join(dir, 'q300.xlsx'), 300);
    expect(await readSpreadsheet(file, { ...DEFAULT_LIMITS, maxRows: 100 })).toMatchObject({ ok: false, error: { problem: 'too_many_rows', sheet: '题库' } });
    expect(await readSpreadsheet(file, { ...DEFAULT_LIMITS, maxColumns: 10 })).toMatchObject({ ok: false, error: { problem: 'too_many_columns', row: 1, column: 'K' } });
    expect(await readSpreadsheet(file, { ...DEFAULT_LIMITS, maxCellChars: 12 })).toMatchObject({ ok: false, error: { problem: 'cell_too_long', sheet: '题库', row: 2, column: 'E' } });
  }, 60_000);
});

describe('files that are not what they claim', () => {
  it('not a spreadsheet, empty, cut off: named, never thrown', async () => {
    const pdf = join(dir, 'report.xlsx');
    writeFileSync(pdf, '%PDF-1.4\n1 0 obj << >> endobj\n');
    const empty = join(dir, 'empty.xlsx');
    writeFileSync(empty, '');
    const good = await questionFile(join(dir, 'good.xlsx'), 50);
    const cut = join(dir, 'cut.xlsx');
    const bytes = readFileSync(good);
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const cutEnd = join(dir, 'cut-end.xlsx');
    writeFileSync(cutEnd, bytes.subarray(0, bytes.length - 30));
    expect(await parseQuizSheet(pdf)).toMatchObject({ ok: false, fileError: { problem: 'not_spreadsheet' } });
    expect(await parseQuizSheet(empty)).toMatchObject({ ok: false, fileError: { problem: 'empty' } });
    expect(await parseQuizSheet(cut)).toMatchObject({ ok: false, fileError: { problem: expect.stringMatching(/truncated|not_spreadsheet/) } });
    expect(await parseQuizSheet(cutEnd)).toMatchObject({ ok: false });
  }, 60_000);

  it('the admin CLI says what is wrong with the file in one line, exit 1, no stack', () => {
    const env = { ...process.env, DATABASE_PATH: join(dir, 'cli.sqlite') };
    const pdf = join(dir, 'roster.xlsx');
    writeFileSync(pdf, '%PDF-1.4 not a workbook');
    for (const [cmd, file, words] of [
      ['import-roster', pdf, /不是 \.xlsx/],
      ['import-quiz', pdf, /不是 \.xlsx/],
      ['import-roster', join(dir, 'empty.xlsx'), /空的/],
    ] as const) {
      const r = spawnSync(process.execPath, adminArgs(cmd, file), { env, encoding: 'utf8' });
      expect([cmd, r.status]).toEqual([cmd, 1]);
      expect(r.stdout).toMatch(words);
      expect(r.stdout + r.stderr).not.toMatch(/^\s+at /m);
    }
  }, 60_000);
});

function cliEnv(name: string): CliEnv & { lines: string[] } {
  const lines: string[] = [];
  const config = loadConfig({ DATABASE_PATH: join(dir, name) });
  if (!config.ok) throw new Error('config');
  return {
    config: config.config,
    db: openDb(config.config.databasePath),
    t: createTranslator('zh-CN').forLocale('zh-CN'),
    out: (l) => lines.push(l),
    now: Date.parse('2017-11-02T02:00:00Z'),
    lines,
  };
}

const PLACES = [['镇街编码', '镇街名称', '村编码', '村名称'], ['T01', '城关镇', 'V01', '东沟村']];
const UNITS = [['单位编码', '单位名称', '所属镇街编码'], ['U01', '区教育局', 'T01']];
const PEOPLE_HEAD = ['人员编号', '姓名', '手机号', '单位编码', '角色', '督导范围'];
const HOUSE_HEAD = ['户编号', '户主姓名', '户主身份证号', '村编码', '贫困户属性', '脱贫属性', '主要致贫原因', '家庭人口', '纬度', '经度'];

function roster(name: string, sheets: Record<string, unknown[][]>): Promise<string> {
  return writeWorkbookFile(join(dir, name), sheets);
}

describe('roster data', () => {
  it('a formula cell is refused by sheet, row and column; its cached 管理员 grants nothing', async () => {
    const e = cliEnv('formula.sqlite');
    const file = await roster('formula.xlsx', {
      镇街村: PLACES,
      帮扶单位: UNITS,
      人员: [PEOPLE_HEAD, ['P1', '王小明', '13800138000', 'U01', { formula: '"管"&"理员"', result: '管理员' }, '']],
    });
    expect(await importRoster(e, file)).toBe(1);
    expect(e.lines.join('\n')).toContain('表「人员」第 2 行「角色」列：这里是公式');
    expect(e.db.select().from(personRoles).all()).toEqual([]);
    expect(JSON.stringify(await readRosterFile(file))).not.toContain('[object Object]');
  });

  it('GBK (GB18030) CSV, as Chinese Excel saves it, is read right', async () => {
    const e = cliEnv('gbk.sqlite');
    expect(await importRoster(e, await roster('base.xlsx', { 镇街村: PLACES }))).toBe(0);
    const csv = join(dir, 'households-gbk.csv');
    writeFileSync(csv, iconv.encode('户编号,户主姓名,村编码,贫困户属性,脱贫属性,主要致贫原因\r\nH1,欧阳振华,V01,一般贫困户,未脱贫,因病\r\nH2,"赵, 大",V01,低保贫困户,未脱贫,缺劳力\r\n', 'gbk'));
    expect(await importRoster(e, csv)).toBe(0);
    expect(e.db.select().from(households).all().map((h) => h.headName)).toEqual(['欧阳振华', '赵, 大']);
  });

  it('codes are normalised; control, bidi and over-long names refused; a shared phone is a warning; coordinates are decimal degrees', async () => {
    const e = cliEnv('norm.sqlite');
    const ok = await roster('norm.xlsx', {
      镇街村: [PLACES[0], ['ｔ０１', '城关镇', 'v01', '东沟村']],
      帮扶单位: UNITS,
      人员: [PEOPLE_HEAD, ['Ｐ００１', '王小明', '１３８００１３８０００', 'u01', '帮扶责任人', ''], ['P002', '李红', '13800138000', 'U01', '帮扶责任人', '']],
      贫困户: [HOUSE_HEAD, ['h1', '李大山', '', 'V01', '一般贫困户', '未脱贫', '因病', '4', '34.2658', '108.9']],
    });
    expect(await importRoster(e, ok)).toBe(0);
    expect(e.db.select().from(people).all().map((p) => [p.code, p.phone])).toEqual([['P001', '13800138000'], ['P002', '13800138000']]);
    expect(e.db.select().from(households).all()[0].code).toBe('H1');
    expect(e.lines.join('\n')).toContain('提醒：表「人员」第 3 行「手机号」列：与人员 P001 的手机号相同');

    const bad = await roster('bad-names.xlsx', {
      人员: [
        PEOPLE_HEAD,
        ['P003', '王\u202Eeno\u202C小明', '13800138001', 'U01', '帮扶责任人', ''],
        ['P004', '张\u200B三', '13800138002', 'U01', '帮扶责任人', ''],
        ['P005', '长'.repeat(41), '13800138003', 'U01', '帮扶责任人', ''],
      ],
      贫困户: [HOUSE_HEAD, ['H2', '刘建国', '', 'V01', '一般贫困户', '未脱贫', '因学', '5', "34°16'", '108.9'], ['H3', '陈老汉', '', 'V01', '一般贫困户', '未脱贫', '因病', '1', '3.4e1', '1e2']],
    });
    e.lines.length = 0;
    expect(await importRoster(e, bad)).toBe(1);
    const out = e.lines.join('\n');
    expect(out).toContain('表「人员」第 2 行「姓名」列：含有控制字符');
    expect(out).toContain('表「人员」第 3 行「姓名」列：含有控制字符');
    expect(out).toContain('表「人员」第 4 行「姓名」列：太长');
    expect(out).toContain('表「贫困户」第 2 行「纬度」列：请写成十进制度数');
    expect(out).toContain('表「贫困户」第 3 行「纬度」列：请写成十进制度数');
    expect(out).toContain('表「贫困户」第 3 行「经度」列：请写成十进制度数');
  });
});
