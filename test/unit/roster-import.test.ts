import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../src/db/client.js';
import { importRoster, rosterTemplate, type CliEnv } from '../../src/cli/admin-commands.js';
import { loadConfig } from '../../src/config.js';
import { createTranslator } from '../../src/i18n.js';
import { households, pairings, people, personRoles, towns, villages } from '../../src/db/schema.js';
import { readRosterFile } from '../../src/content/roster-file.js';
import { writeWorkbookFile } from '../support/workbook-file.js';

const dir = mkdtempSync(join(tmpdir(), 'roster-'));

function env(dbFile: string): CliEnv & { lines: string[] } {
  const lines: string[] = [];
  const config = loadConfig({ DATABASE_PATH: join(dir, dbFile) });
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

type Sheets = Record<string, string[][]>;
const good: Sheets = {
  镇街村: [
    ['镇街编码', '镇街名称', '村编码', '村名称'],
    ['T01', '城关镇', 'V01', '东沟村'],
    ['T01', '城关镇', 'V02', '西坪村'],
  ],
  帮扶单位: [
    ['单位编码', '单位名称', '所属镇街编码'],
    ['U01', '区教育局', 'T01'],
  ],
  人员: [
    ['人员编号', '姓名', '手机号', '单位编码', '角色', '督导范围'],
    ['P1', '王小明', '13800138000', 'U01', '帮扶责任人', ''],
    ['P2', '孙局长', '13900139000', 'U01', '督导、培训员', '单位'],
    ['P3', '吴主任', '13700137000', '', '督导', '全区'],
  ],
  贫困户: [
    ['户编号', '户主姓名', '户主身份证号', '村编码', '贫困户属性', '脱贫属性', '主要致贫原因', '家庭人口', '纬度', '经度'],
    ['H1', '李大山', '11010519491231002X', 'V01', '一般贫困户', '未脱贫', '因病', '4', '34.5', '108.9'],
    ['H2', '王秀英', '', 'V02', '五保贫困户', '未脱贫', '缺劳力', '1', '', ''],
  ],
  帮扶关系: [
    ['人员编号', '户编号', '开始日期'],
    ['P1', 'H1', '2017-03-01'],
    ['P1', 'H2', '2017-03-01'],
  ],
};

function writeXlsx(name: string, sheets: Sheets): Promise<string> {
  return writeWorkbookFile(join(dir, name), sheets);
}

const clone = (s: Sheets): Sheets => JSON.parse(JSON.stringify(s)) as Sheets;

describe('roster import', () => {
  it('imports a good workbook, and a second import changes nothing', async () => {
    const e = env('good.sqlite');
    const file = await writeXlsx('good.xlsx', good);
    expect(await importRoster(e, file)).toBe(0);
    expect(e.db.select().from(towns).all()).toHaveLength(1);
    expect(e.db.select().from(villages).all()).toHaveLength(2);
    expect(e.db.select().from(people).all().map((p) => p.code)).toEqual(['P1', 'P2', 'P3']);
    expect(e.db.select().from(households).all().find((h) => h.code === 'H2')?.attribute).toBe('特困供养贫困户');
    expect(e.db.select().from(pairings).all()).toHaveLength(2);
    const roles = e.db.select().from(personRoles).all();
    expect(roles.filter((r) => r.role === 'supervisor').map((r) => r.scopeKind).sort()).toEqual(['district', 'unit']);

    e.lines.length = 0;
    expect(await importRoster(e, file)).toBe(0);
    expect(e.lines.join('\n')).not.toMatch(/新增 [1-9]|更新 [1-9]/);
    expect(e.lines.join('\n')).toContain('人员：新增 0，更新 0，未变 3');
  });

  it('updates changed rows in place', async () => {
    const e = env('change.sqlite');
    await importRoster(e, await writeXlsx('a.xlsx', good));
    const changed = clone(good);
    changed['人员'][1][2] = '13811112222';
    changed['贫困户'][1][5] = '已脱贫';
    e.lines.length = 0;
    expect(await importRoster(e, await writeXlsx('b.xlsx', changed))).toBe(0);
    expect(e.lines.join('\n')).toContain('人员：新增 0，更新 1，未变 2');
    expect(e.db.select().from(people).all().find((p) => p.code === 'P1')?.phone).toBe('13811112222');
    expect(e.db.select().from(households).all().find((h) => h.code === 'H1')?.status).toBe('已脱贫');
    expect(e.db.select().from(people).all()).toHaveLength(3);
  });

  const bad: [string, (s: Sheets) => void, string, number, string][] = [
    ['a missing required cell', (s) => (s['人员'][1][1] = ''), '人员', 2, '姓名'],
    ['a bad phone', (s) => (s['人员'][1][2] = '12345'), '人员', 2, '手机号'],
    ['an unknown unit', (s) => (s['人员'][1][3] = 'U99'), '人员', 2, '单位编码'],
    ['an unknown role', (s) => (s['人员'][1][4] = '村长'), '人员', 2, '角色'],
    ['a bad scope', (s) => (s['人员'][3][5] = '全省'), '人员', 4, '督导范围'],
    ['a duplicate person', (s) => s['人员'].push(['P1', '重复', '13800138001', 'U01', '帮扶责任人', '']), '人员', 5, '人员编号'],
    ['a bad ID number', (s) => (s['贫困户'][1][2] = '110105194912310021'), '贫困户', 2, '户主身份证号'],
    ['an unknown village', (s) => (s['贫困户'][1][3] = 'V99'), '贫困户', 2, '村编码'],
    ['a bad attribute', (s) => (s['贫困户'][1][4] = '富裕户'), '贫困户', 2, '贫困户属性'],
    ['a bad cause', (s) => (s['贫困户'][1][6] = '因懒'), '贫困户', 2, '主要致贫原因'],
    ['a bad member count', (s) => (s['贫困户'][1][7] = '0'), '贫困户', 2, '家庭人口'],
    ['a bad latitude', (s) => (s['贫困户'][1][8] = '134'), '贫困户', 2, '纬度'],
    ['a pairing with a non-helper', (s) => (s['帮扶关系'][1][0] = 'P2'), '帮扶关系', 2, '人员编号'],
    ['a pairing with an unknown household', (s) => (s['帮扶关系'][2][1] = 'H9'), '帮扶关系', 3, '户编号'],
    ['a future start date', (s) => (s['帮扶关系'][1][2] = '2030-01-01'), '帮扶关系', 2, '开始日期'],
    ['an impossible date', (s) => (s['帮扶关系'][1][2] = '2017-02-30'), '帮扶关系', 2, '开始日期'],
    ['an unknown town of a unit', (s) => (s['帮扶单位'][1][2] = 'T77'), '帮扶单位', 2, '所属镇街编码'],
  ];

  it.each(bad)('rejects %s and changes nothing', async (_name, mutate, sheet, row, column) => {
    const e = env(`bad-${row}-${column}-${sheet}.sqlite`);
    const s = clone(good);
    mutate(s);
    expect(await importRoster(e, await writeXlsx(`bad-${sheet}-${row}-${column}.xlsx`, s))).toBe(1);
    expect(e.lines.join('\n')).toContain(`表「${sheet}」第 ${row} 行「${column}」列`);
    expect(e.db.select().from(people).all()).toHaveLength(0);
    expect(e.db.select().from(towns).all()).toHaveLength(0);
  });

  it('reports every bad row at once', async () => {
    const e = env('many.sqlite');
    const s = clone(good);
    s['人员'][1][2] = 'x';
    s['贫困户'][2][6] = '因懒';
    s['帮扶关系'][1][2] = '昨天';
    expect(await importRoster(e, await writeXlsx('many.xlsx', s))).toBe(1);
    expect(e.lines.filter((l) => l.includes('表「'))).toHaveLength(3);
  });

  it('reads CSV sheets one at a time, recognised by their headers', async () => {
    const e = env('csv.sqlite');
    await importRoster(e, await writeXlsx('base.xlsx', good));
    const csv = join(dir, 'households.csv');
    writeFileSync(csv, '\uFEFF户编号,户主姓名,村编码,贫困户属性,脱贫属性,主要致贫原因\r\nH3,"赵, 大",V01,一般贫困户,未脱贫,因学\r\n');
    expect(await importRoster(e, csv)).toBe(0);
    expect(e.db.select().from(households).all().find((h) => h.code === 'H3')?.headName).toBe('赵, 大');
  });

  it('writes a template whose marked example rows are never imported, while real rows below them are', async () => {
    const e = env('template.sqlite');
    const file = join(dir, 'template.xlsx');
    expect(await rosterTemplate(e, file)).toBe(0);
    const read = await readRosterFile(file);
    expect(read.errors).toEqual([]);
    expect(read.sheets.map((s) => s.name)).toEqual(['镇街村', '帮扶单位', '人员', '贫困户', '帮扶关系', '家庭成员']);
    expect(read.sheets.every((s) => s.rows.length === 0)).toBe(true);
    expect(await importRoster(e, file)).toBe(0);
    expect(e.db.select().from(people).all()).toHaveLength(0);

    // an admin fills the template below the examples
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    wb.getWorksheet('镇街村')!.addRow(['T09', '新镇', 'V0901', '新村']);
    await wb.xlsx.writeFile(file);
    expect(await importRoster(e, file)).toBe(0);
    expect(e.db.select().from(villages).all().map((v) => v.code)).toEqual(['V0901']);
  });
});
