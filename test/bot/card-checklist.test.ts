/**
 * The checklist (docs/card.md): the living-and-production facts asked as one multi-select through the real bot. A
 * tick records 是 or the option, an unticked fact 否 or none; the summary pages and the cards export show both; on
 * the next visit the section is confirmed in one tap when nothing changed, and checked one by one it starts from last
 * time's ticks.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { buttons, makeHarness, type Harness, type TestUser } from '../support/harness.js';
import { FIRST_CARD, RETURN_CARD, fillCard, withDistrictLine2017, withoutRegistry, type Script } from '../support/card-driver.js';
import { findPeople } from '../../src/db/people-repo.js';
import { cards } from '../../src/db/schema.js';
import { openDrafts } from '../../src/db/cards-repo.js';

const QUESTION = '以下哪些情况属实';

/** Power and grain ticked; toilet, livestock, cooperative, dividends and needs left unticked. */
const SCRIPT: Script = { ...FIRST_CARD, living_facts: ['press:通生活用电', 'press:种：粮食作物', 'press:选好了'] };

async function setUp(): Promise<{ h: Harness; u: TestUser; id: number; sup: TestUser }> {
  const h = makeHarness({ settings: withDistrictLine2017 });
  // first cards ticked in full: no registry record to confirm first
  withoutRegistry(h.db);
  const helper = h.demo.find((d) => d.role === 'helper')!;
  const u = h.user(101);
  await u.send(`/start ${helper.code}`);
  const sup = h.user(203);
  await sup.send(`/start ${h.demo.find((d) => d.role === 'supervisor+admin')!.code}`);
  return { h, u, id: findPeople(h.db, helper.name)[0].id, sup };
}

async function visit(h: Harness, u: TestUser, id: number, script: Script) {
  await u.send('/visit');
  await u.press('H0001');
  await u.press('开始填写');
  return fillCard(h, u, id, 'H0001', script);
}

/** Every page of the summary's answers, read by turning them. */
async function answerPages(u: TestUser): Promise<string> {
  await u.press('查看全部回答');
  const pages = [u.lastText()];
  while (buttons(u.last()).some((b) => b.text === '▶')) {
    await u.press('▶');
    pages.push(u.lastText());
  }
  return pages.join('\n');
}

const openAnswers = (h: Harness, id: number) => openDrafts(h.db, id)[0].state.answers;

const storedAnswers = (h: Harness) => h.db.select().from(cards).all().map((c) => JSON.parse(c.answers) as Record<string, unknown>);

describe('a checklist asks several facts as one multi-select', () => {
  it('records a tick as 是 or the option and the rest as 否 or none; the summary and the export show both', async () => {
    const { h, u, id, sup } = await setUp();
    const { steps } = await visit(h, u, id, SCRIPT);
    // one question, its ticks edited into the same message
    expect(steps.filter((s) => s.path === '+living_facts')).toHaveLength(3);
    for (const f of ['household_electricity', 'sanitary_toilet', 'crops', 'livestock', 'cooperative_member', 'project_dividend', 'tech_needs']) {
      expect(steps.map((s) => s.path)).not.toContain(f);
    }
    const asked = u.inbox().filter((m) => m.text?.includes(QUESTION));
    expect(asked).toHaveLength(1);
    const labels = buttons(asked[0]).map((b) => b.text);
    expect(labels).toEqual(expect.arrayContaining(['✅ 通生活用电', '⬜ 有卫生厕所', '✅ 种：粮食作物', '⬜ 养：家禽', '⬜ 需要：养殖技术']));

    const pages = await answerPages(u);
    expect(pages).toContain('通生活用电：是');
    expect(pages).toContain('有卫生厕所：否');
    expect(pages).toContain('加入农民专业合作社：否');
    expect(pages).toMatch(/种了什么？.*：粮食作物/);
    expect(pages).toMatch(/养了什么？.*：（无）/);
    await u.press('回到汇总');
    await u.press('提交这张卡');
    const [card] = storedAnswers(h);
    expect(card).toMatchObject({
      household_electricity: true, sanitary_toilet: false, crops: ['粮食作物'], livestock: [], cooperative_member: false,
      project_dividend: false, tech_needs: [],
    });

    await sup.send('/export');
    await sup.press('全部动态信息卡');
    const doc = sup.inbox().filter((m) => m.method === 'sendDocument').at(-1)!;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(doc.file!.bytes as never);
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    const row = Object.fromEntries(header.map((k, i) => [k, ws.getRow(2).getCell(i + 1).value]));
    expect(row['通生活用电']).toBe('是');
    expect(row['有卫生厕所']).toBe('否');
    expect(row['加入农民专业合作社']).toBe('否');
    expect(Object.entries(row).find(([k]) => k.startsWith('种了什么'))?.[1]).toBe('粮食作物');
    expect(Object.entries(row).find(([k]) => k.startsWith('养了什么'))?.[1]).toBe('（无）');
    expect(Object.entries(row).find(([k]) => k.startsWith('需要哪些技术'))?.[1]).toBe('（无）');
  });

  it('on the next visit, nothing changed: the section confirmed in one tap and the checklist not asked again', async () => {
    const { h, u, id } = await setUp();
    await visit(h, u, id, SCRIPT);
    await u.press('提交这张卡');
    h.clock.now += 20 * 86_400_000;
    const { steps } = await visit(h, u, id, RETURN_CARD);
    const living = steps.filter((s) => s.path === '@living' || s.path === '+living_facts' || ['farmland_mu', 'road_type', 'main_fuel'].includes(s.path));
    expect(living.map((s) => s.path)).toEqual(['@living']);
    await u.press('提交这张卡');
    const [first, second] = storedAnswers(h);
    for (const f of ['household_electricity', 'sanitary_toilet', 'crops', 'livestock', 'cooperative_member', 'project_dividend', 'tech_needs', 'road_type', 'main_fuel', 'farmland_mu']) {
      expect(second[f]).toEqual(first[f]);
    }
  });

  it('checked one by one, the checklist starts from last time\'s ticks and a change is recorded', async () => {
    const { h, u, id } = await setUp();
    await visit(h, u, id, SCRIPT);
    await u.press('提交这张卡');
    h.clock.now += 20 * 86_400_000;
    await visit(h, u, id, {
      ...RETURN_CARD,
      '@living': 'press:有变化，逐项核对',
      farmland_mu: 'press:不变', forest_mu: 'press:不变', road_km: 'press:不变', housing_area_m2: 'press:不变',
      road_type: 'press:不变', main_fuel: 'press:不变',
      // a toilet was built since: one tick more
      living_facts: ['press:有卫生厕所', 'press:选好了'],
    });
    const asked = u.inbox().filter((m) => m.text?.includes(QUESTION)).at(-1)!;
    expect(buttons(asked).map((b) => b.text)).toEqual(expect.arrayContaining(['✅ 通生活用电', '✅ 有卫生厕所', '✅ 种：粮食作物', '⬜ 养：家禽']));
    await u.press('提交这张卡');
    const [, second] = storedAnswers(h);
    expect(second).toMatchObject({ household_electricity: true, sanitary_toilet: true, crops: ['粮食作物'], livestock: [] });
  });

  it('takes the ticks typed in one message and echoes what they were read as', async () => {
    const { h, u, id } = await setUp();
    const { steps } = await visit(h, u, id, { ...SCRIPT, living_facts: 'text:1 种：粮食作物 养殖技术' });
    expect(steps.filter((s) => s.path === '+living_facts')).toHaveLength(1);
    const after = u.inbox().find((m) => m.text?.includes('✔ D. 生产生活条件：'));
    expect(after?.text).toContain('✔ D. 生产生活条件：通生活用电、种：粮食作物、需要：养殖技术');
    expect(openAnswers(h, id)).toMatchObject({ household_electricity: true, crops: ['粮食作物'], tech_needs: ['养殖技术'], livestock: [], sanitary_toilet: false });
  });
});
