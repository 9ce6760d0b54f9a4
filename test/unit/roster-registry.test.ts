/**
 * The registry's facts in the roster (optional columns on 贫困户, the optional 家庭成员 sheet): checked by the card's
 * own field definitions, named by sheet, row and column when wrong, stored per household, merged on re-import, and
 * a roster without them imported as before. The migration that adds their table applies to a database with data.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '../../src/db/client.js';
import { importRoster, type CliEnv } from '../../src/cli/admin-commands.js';
import { loadConfig } from '../../src/config.js';
import { createTranslator } from '../../src/i18n.js';
import { households, householdRegistry } from '../../src/db/schema.js';
import { registryFacts } from '../../src/db/roster-repo.js';
import { writeWorkbookFile } from '../support/workbook-file.js';

const dir = mkdtempSync(join(tmpdir(), 'roster-registry-'));

function env(dbFile: string, db?: Db): CliEnv & { lines: string[] } {
  const lines: string[] = [];
  const config = loadConfig({ DATABASE_PATH: join(dir, dbFile) });
  if (!config.ok) throw new Error('config');
  return {
    config: config.config,
    db: db ?? openDb(config.config.databasePath),
    t: createTranslator('zh-CN').forLocale('zh-CN'),
    out: (l) => lines.push(l),
    now: Date.parse('2017-11-02T02:00:00Z'),
    lines,
  };
}

type Sheets = Record<string, string[][]>;
const HEAD_ID = '41052319650302123X';
const SPOUSE_ID = '410523196807150022';
const SON_ID = '410523200506010033';
const base: Sheets = {
  镇街村: [['镇街编码', '镇街名称', '村编码', '村名称'], ['T01', '城关镇', 'V01', '东沟村']],
  帮扶单位: [['单位编码', '单位名称'], ['U01', '区教育局']],
  人员: [['人员编号', '姓名', '手机号', '单位编码', '角色'], ['P1', '王小明', '13800138000', 'U01', '帮扶责任人']],
  贫困户: [
    ['户编号', '户主姓名', '户主身份证号', '村编码', '贫困户属性', '脱贫属性', '主要致贫原因', '家庭人口'],
    ['H1', '李大山', HEAD_ID, 'V01', '一般贫困户', '未脱贫', '因病', '3'],
    ['H2', '王秀英', '', 'V01', '低保贫困户', '未脱贫', '因残', '1'],
  ],
  帮扶关系: [['人员编号', '户编号', '开始日期'], ['P1', 'H1', '2017-03-01'], ['P1', 'H2', '2017-03-01']],
};
const REG_HEADERS = ['识别标准', '识别年度', '其他致贫原因', '耕地面积（亩）', '林地面积（亩）', '距村主干路距离（公里）', '住房面积（平方米）', '入户路类型', '通生活用电', '有卫生厕所', '主要燃料类型', '加入农民专业合作社'];
const MEMBER_HEADERS = ['户编号', '姓名', '与户主关系', '身份证号', '民族', '在校生状况', '文化程度', '健康状况', '是否持有残疾证', '劳动技能', '务工状况', '务工时间（月）'];

/** The base roster with registry columns on 贫困户 (H1 only) and a members sheet listing the head after the others. */
function withRegistry(): Sheets {
  const s = JSON.parse(JSON.stringify(base)) as Sheets;
  s['贫困户'][0].push(...REG_HEADERS);
  s['贫困户'][1].push('国家标准', '2015', '缺技术', '3.5亩', '0', '2', '80', '水泥路', '是', '否', '柴草', '否');
  s['贫困户'][2].push(...REG_HEADERS.map(() => ''));
  s['家庭成员'] = [
    MEMBER_HEADERS,
    ['H1', '张秀兰', '配偶', SPOUSE_ID, '汉族', '', '初中', '健康', '', '普通劳动力', '乡(镇)内务工', '8'],
    ['H1', '李大山', '户主', HEAD_ID, '汉族', '', '小学', '长期慢性病', '', '弱劳动力或半劳动力', '未务工', ''],
    ['H1', '李小军', '之子', SON_ID, '汉族', '小学', '', '健康', '', '', '', ''],
  ];
  return s;
}

function writeXlsx(name: string, sheets: Sheets): Promise<string> {
  return writeWorkbookFile(join(dir, name), sheets);
}

const idOf = (db: Db, code: string) => db.select().from(households).all().find((h) => h.code === code)!.id;

describe('roster import: registry facts', () => {
  it('stores the registry facts in the card\'s answer shapes, the head first; a second import changes nothing', async () => {
    const e = env('good.sqlite');
    const file = await writeXlsx('good.xlsx', withRegistry());
    expect(await importRoster(e, file)).toBe(0);
    expect(e.lines.join('\n')).toContain('登记信息（户）：新增 1，更新 0，未变 0');
    const facts = registryFacts(e.db, idOf(e.db, 'H1'))!;
    expect(facts).toMatchObject({
      identification_standard: '国家标准', identified_year: 2015, cause_other: ['缺技术'], farmland_mu: 3.5, forest_mu: 0, road_km: 2,
      housing_area_m2: 80, road_type: '水泥路', household_electricity: true, sanitary_toilet: false, main_fuel: '柴草', cooperative_member: false,
    });
    const members = facts.members as Record<string, unknown>[];
    expect(members.map((m) => m.name)).toEqual(['李大山', '张秀兰', '李小军']);
    expect(members[0]).toEqual({ name: '李大山', relation: '户主', id_number: HEAD_ID, ethnicity: '汉族', education: '小学', health: '长期慢性病', labour: '弱劳动力或半劳动力', work_status: '未务工' });
    expect(members[1]).toMatchObject({ work_status: '乡(镇)内务工', work_months: 8 });
    // a household with empty registry cells has no record
    expect(registryFacts(e.db, idOf(e.db, 'H2'))).toBeNull();

    e.lines.length = 0;
    expect(await importRoster(e, file)).toBe(0);
    expect(e.lines.join('\n')).toContain('登记信息（户）：新增 0，更新 0，未变 1');
  });

  it('a roster without registry facts imports as before and leaves stored facts alone; a partial file merges', async () => {
    const e = env('plain.sqlite');
    expect(await importRoster(e, await writeXlsx('plain.xlsx', base))).toBe(0);
    expect(e.db.select().from(householdRegistry).all()).toEqual([]);
    expect(await importRoster(e, await writeXlsx('reg.xlsx', withRegistry()))).toBe(0);
    const before = registryFacts(e.db, idOf(e.db, 'H1'));
    expect(await importRoster(e, await writeXlsx('plain2.xlsx', base))).toBe(0);
    expect(registryFacts(e.db, idOf(e.db, 'H1'))).toEqual(before);
    // only the road changed, in a CSV of its own: the rest of the record stays
    const csv = join(dir, 'road.csv');
    writeFileSync(csv, '\uFEFF户编号,户主姓名,村编码,贫困户属性,脱贫属性,主要致贫原因,入户路类型\r\nH1,李大山,V01,一般贫困户,未脱贫,因病,沥青路\r\n');
    expect(await importRoster(e, csv)).toBe(0);
    expect(registryFacts(e.db, idOf(e.db, 'H1'))).toEqual({ ...before, road_type: '沥青路' });
  });

  const bad: [string, (s: Sheets) => void, string, number, string, string][] = [
    ['an option the card does not have', (s) => (s['贫困户'][1][15] = '柏油路'), '贫困户', 2, '入户路类型', '只能填以下之一：泥土路/砂石路/水泥路/沥青路'],
    ['a registry code instead of an option', (s) => (s['家庭成员'][1][2] = '02'), '家庭成员', 2, '与户主关系', '只能填以下之一'],
    ['registry codes among several options', (s) => (s['贫困户'][1][10] = '缺技术、０８'), '贫困户', 2, '其他致贫原因', '只能填以下之一'],
    ['a number out of the card\'s bounds', (s) => (s['贫困户'][1][11] = '-1'), '贫困户', 2, '耕地面积（亩）', ''],
    ['a year out of the card\'s bounds', (s) => (s['贫困户'][1][9] = '2013'), '贫困户', 2, '识别年度', ''],
    ['another cause repeating the main one', (s) => (s['贫困户'][1][10] = '因病'), '贫困户', 2, '其他致贫原因', '其他致贫原因不能与主要致贫原因重复'],
    ['a yes/no that is neither', (s) => (s['贫困户'][1][16] = '有时'), '贫困户', 2, '通生活用电', ''],
    ['a bad member ID number', (s) => (s['家庭成员'][2][3] = '410523196503021230'), '家庭成员', 3, '身份证号', ''],
    ['an ethnic group that is none of the 56', (s) => (s['家庭成员'][3][4] = '汉'), '家庭成员', 4, '民族', '请写民族全称'],
    ['a member of an unknown household', (s) => (s['家庭成员'][3][0] = 'H9'), '家庭成员', 4, '户编号', ''],
    ['a member without a name', (s) => (s['家庭成员'][1][1] = ''), '家庭成员', 2, '姓名', ''],
    ['a head whose name is not the household\'s head', (s) => (s['家庭成员'][2][1] = '李大三'), '家庭成员', 3, '姓名', '李大山'],
    ['no head among the members', (s) => (s['家庭成员'][2][2] = '之父'), '家庭成员', 2, '与户主关系', '没有“户主”'],
    ['two heads', (s) => (s['家庭成员'][1][2] = '户主'), '家庭成员', 2, '与户主关系', '不止一个'],
  ];

  it.each(bad)('refuses %s, named by sheet, row and column, and changes nothing', async (_name, mutate, sheet, row, column, text) => {
    const e = env(`bad-${sheet}-${row}-${column}.sqlite`);
    const s = withRegistry();
    mutate(s);
    expect(await importRoster(e, await writeXlsx(`bad-${sheet}-${row}-${column}.xlsx`, s))).toBe(1);
    const out = e.lines.join('\n');
    expect(out).toContain(`表「${sheet}」第 ${row} 行「${column}」列`);
    expect(out).toContain(text);
    expect(e.db.select().from(households).all()).toHaveLength(0);
    expect(e.db.select().from(householdRegistry).all()).toHaveLength(0);
  });

  it('the migration adding the registry applies to a database with data, and its facts import on top', async () => {
    // the migrations as they were before this one
    const old = join(dir, 'drizzle-before');
    rmSync(old, { recursive: true, force: true });
    cpSync('drizzle', old, { recursive: true });
    // (this one and every later one gone: a database from before it has none of them)
    const journal = JSON.parse(readFileSync(join(old, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    const at = journal.entries.findIndex((x) => x.tag === '0014_household_registry');
    expect(at).toBeGreaterThan(0);
    for (const later of journal.entries.slice(at)) rmSync(join(old, `${later.tag}.sql`));
    journal.entries = journal.entries.slice(0, at);
    writeFileSync(join(old, 'meta/_journal.json'), JSON.stringify(journal));
    const file = join(dir, 'upgrade.sqlite');
    const first = openDb(file, { migrationsFolder: old });
    expect(await importRoster(env('upgrade.sqlite', first), await writeXlsx('up1.xlsx', base))).toBe(0);
    expect(first.$client.prepare("select name from sqlite_master where name = 'household_registry'").get()).toBeUndefined();
    first.$client.close();

    const db = openDb(file);
    expect(db.select().from(households).all().map((h) => h.code)).toEqual(['H1', 'H2']);
    expect(db.select().from(householdRegistry).all()).toEqual([]);
    expect(await importRoster(env('upgrade.sqlite', db), await writeXlsx('up2.xlsx', withRegistry()))).toBe(0);
    expect((registryFacts(db, idOf(db, 'H1'))!.members as unknown[]).length).toBe(3);
    db.$client.close();
  });
});
