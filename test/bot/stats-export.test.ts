import { describe, expect, it, beforeAll } from 'vitest';
import ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededDistrict, type District } from './stats-fixture.js';
import { exportCommand } from '../../src/cli/export-commands.js';

async function workbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as never);
  return wb;
}

/** Rows of a sheet as header → value records. */
function records(ws: ExcelJS.Worksheet): Record<string, unknown>[] {
  const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  const out: Record<string, unknown>[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const vals = (row.values as unknown[]).slice(1);
    out.push(Object.fromEntries(header.map((h, i) => [h, vals[i] ?? null])));
  });
  return out;
}

describe('/export spreadsheets, read back cell by cell', () => {
  let d: District;
  beforeAll(async () => {
    d = await seededDistrict();
  }, 60_000);

  async function exportFrom(label: string): Promise<ExcelJS.Workbook> {
    const u = d.users.wu;
    await u.send('/export');
    await u.press(label);
    const doc = u.inbox().filter((m) => m.method === 'sendDocument').at(-1)!;
    expect(doc.file!.name).toMatch(/\.xlsx$/);
    return workbook(doc.file!.bytes);
  }

  it('households × visits: one row per household with counts, dates and pace', async () => {
    const wb = await exportFrom('贫困户 × 走访情况');
    const ws = wb.worksheets[0];
    expect(ws.name).toBe('贫困户走访情况');
    const rows = records(ws);
    expect(rows.map((r) => r['户编号'])).toEqual(['H0001', 'H0002', 'H0003', 'H0004', 'H0005', 'H0006']);
    expect(rows[0]).toMatchObject({
      户主姓名: '李大山', 镇街: '城关镇', 村: '东沟村', 帮扶责任人: '王小明', 帮扶单位: '区教育局',
      本年入户次数: 2, 入户目标: 6, 进度: '进度落后', 最近入户日期: '2017-11-10', 本年入户日期: '2017-09-01、2017-11-10', 未处理风险提示: 0,
    });
    // H0002: one phone call, counted as a visit but not in person
    expect(rows[1]).toMatchObject({ 本年入户次数: 0, '本年走访总次数（含电话等）': 1, 进度: '逾期未走访' });
    expect(rows[4]).toMatchObject({ 户编号: 'H0005', 帮扶责任人: '张强', 本年入户次数: 1, 未处理风险提示: 1 });
  });

  it('all cards: one row per card with Chinese field labels, numbers as numbers, ID numbers masked; members on their own sheet', async () => {
    const wb = await exportFrom('全部动态信息卡');
    const main = records(wb.worksheets[0]);
    expect(main).toHaveLength(5);
    const c1 = main.find((r) => r['卡片编号'] === d.card.c1)!;
    expect(c1).toMatchObject({ 户编号: 'H0001', 帮扶责任人: '王小明', 版本: 1, 走访日期: '2017-11-10', 走访方式: '入户走访', '入户时长（分钟）': 75 });
    // only the region: the birth date and sequence stay hidden (the old mask plus the birth date rebuilt it)
    expect(c1['户主身份证号']).toBe('410523************');
    expect(JSON.stringify(main)).not.toContain('41052319650302123X');
    const c3 = main.find((r) => r['卡片编号'] === d.card.c3)!;
    expect(c3['走访方式']).toBe('电话联系');
    const names = wb.worksheets.map((w) => w.name);
    expect(names).toContain('家庭成员');
    const members = records(wb.getWorksheet('家庭成员')!).filter((r) => r['卡片编号'] === d.card.c1);
    expect(members.map((m) => m['序号'])).toEqual([1, 2, 3]);
    expect(members[1]).toMatchObject({ 户编号: 'H0001' });
    expect(Object.values(members[0])).toContain('李大山');
  });

  it('helpers × quiz results and the household archive (every revision, who and when)', async () => {
    const quiz = await exportFrom('帮扶责任人测验成绩');
    const summary = records(quiz.worksheets[0]);
    const wang = summary.find((r) => r['姓名'] === '王小明')!;
    expect(wang).toMatchObject({ 推送测验数: 1, 完成数: 1, '完成率（%）': 100, '平均分（%）': 75 });
    expect(summary.find((r) => r['姓名'] === '张强')).toMatchObject({ 推送测验数: 1, 完成数: 0 });
    const detail = records(quiz.worksheets[1]);
    expect(detail.find((r) => r['姓名'] === '王小明')).toMatchObject({ 已完成: '是', '得分（%）': 75, 答对题数: 3, 题数: 4 });

    const dir = mkdtempSync(join(tmpdir(), 'archive-'));
    const file = join(dir, 'a.xlsx');
    expect(await exportCommand({ ...d.h.cli(), out: () => undefined }, ['archive', file])).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const rows = records(wb.worksheets[0]);
    const h1 = rows.filter((r) => r['户编号'] === 'H0001');
    expect(h1.map((r) => r['走访日期'])).toEqual(['2017-09-01', '2017-11-10']);
    expect(h1[1]).toMatchObject({ 版本: 1, 修改人: '王小明', 修改内容: '首次提交', 走访方式: '入户走访' });
    expect(rows.find((r) => r['户编号'] === 'H0003')).toMatchObject({ 修改内容: '（尚无动态信息卡）' });
  });
});
