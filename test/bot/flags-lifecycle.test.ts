/**
 * The loop from a visit to a supervisor's action: a card with an unmet guarantee submits and confirms; a correction
 * supersedes its flags instead of adding to them; the supervisor opens the card behind a flag (answers, revisions,
 * evidence), marks it handled with a note, and /stats agrees; a card sent back for correction tells the supervisor
 * when it is fixed; the helper's next briefing asks about open flags and last time's failed items first.
 */
import { describe, expect, it } from 'vitest';
import { buttons, makeHarness, assertNoRawKeys } from '../support/harness.js';
import { FIRST_CARD, fillCard } from '../support/card-driver.js';
import { findPeople } from '../../src/db/people-repo.js';
import { cardFlags, cardReviews } from '../../src/db/schema.js';

const FAILED_FOOD = { ...FIRST_CARD, guarantee_problems: ['press:不愁吃', 'press:选好了'], food_status: 'press:不达标', food_note: 'text:口粮只够吃到春节' };

async function setUp() {
  const h = makeHarness();
  const helper = h.user(101);
  await helper.send(`/start ${h.demo.find((d) => d.name === '王小明')!.code}`);
  const office = h.user(203);
  await office.send(`/start ${h.demo.find((d) => d.name === '吴主任')!.code}`);
  return { h, helper, office, helperId: findPeople(h.db, '王小明')[0].id };
}

/** The helper submits H0001's card with 不愁吃 failed. */
async function submitFailedFood(h: ReturnType<typeof makeHarness>, helper: ReturnType<ReturnType<typeof makeHarness>['user']>, helperId: number) {
  await helper.send('/visit');
  await helper.press('H0001');
  await helper.press('开始填写');
  await fillCard(h, helper, helperId, 'H0001', FAILED_FOOD);
  await helper.press('提交这张卡');
}

const openFlags = (h: ReturnType<typeof makeHarness>) => h.db.select().from(cardFlags).all().filter((f) => f.resolvedAt === null);

describe('flags a supervisor can act on', () => {
  it('an unmet guarantee submits; a correction supersedes its flags; handled with a note, /stats agrees', async () => {
    const { h, helper, office, helperId } = await setUp();
    await submitFailedFood(h, helper, helperId);
    const confirmation = helper.inbox().at(-2)!;
    expect(confirmation.text).toContain('已提交 李大山 家的动态信息卡');
    expect(confirmation.text).toContain('🚩 “不愁吃”不达标。');
    expect(buttons(confirmation).map((b) => b.text)).toContain(h.deps.i18n.forLocale('zh-CN')('receipt.btn'));
    expect(openFlags(h).map((f) => f.code)).toEqual(['guarantee_failed_food']);

    // a correction (the same item still failing) replaces the set: one open flag, the old one kept as history
    await helper.send('/visit');
    await helper.press('H0001');
    await helper.press('更正上次的卡');
    await helper.send('时长记错了');
    await helper.press('修改某一项');
    await helper.press('A. 走访信息');
    await helper.press('入户时长（分钟）：75');
    await helper.send('95');
    await helper.press('提交这张卡');
    expect(helper.inbox().at(-2)!.text).toContain('第 2 版更正');
    expect(h.db.select().from(cardFlags).all().map((f) => [f.revision, f.resolution])).toEqual([[1, 'superseded'], [2, null]]);

    await office.send('/stats');
    expect(office.takeTexts().find((x) => x.startsWith('📊'))).toContain('🚩 未处理风险提示 1 条（1 户）');

    // the briefing of the next visit asks about it first
    await helper.send('/visit');
    await helper.press('H0001');
    const briefing = helper.lastText();
    const asks = briefing.slice(briefing.indexOf('这次要问'));
    expect(asks.split('\n')[1]).toContain('🚩 “不愁吃”不达标。');
    expect(asks).toContain('❗ 上次“不愁吃”不达标（当时记录：口粮只够吃到春节）');
    expect(asks.split('\n').find((l) => /^\s+1\./.test(l))).toContain('❗不愁吃');

    // the supervisor: the list, the flag, the card behind it, then "handled" with a note
    await office.send('/flags');
    expect(office.lastText()).toContain('共 1 条');
    await office.press('H0001 李大山');
    expect(office.lastText()).toContain('状态：未处理');
    await office.press('查看信息卡');
    const dossier = office.takeTexts().join('\n');
    expect(dossier).toContain('📄 H0001 李大山（东沟村）· 走访 2017-11-10 · 入户走访 · 第 2 版');
    expect(dossier).toContain('第 2 版：王小明 于');
    expect(dossier).toContain('更正，原因：时长记错了');
    expect(dossier).toContain('入户时长（分钟）：75 → 95');
    expect(dossier).toContain('第 1 版：“不愁吃”不达标。（已被后来的信息卡取代');
    expect(dossier).toContain('不愁吃情况说明：口粮只够吃到春节');
    expect(dossier).toContain('📍 佐证：入户走访，时长 95 分钟');
    await office.send('/flags');
    await office.press('H0001 李大山');
    await office.press('标记已处理');
    await office.send('好');
    expect(office.lastText()).toContain('说明太短');
    await office.send('已协调村里送米面，下月再核');
    expect(office.lastText()).toContain('已标记处理');
    expect(office.lastText()).toContain('还有 0 条未处理');
    expect(openFlags(h)).toEqual([]);
    const handled = h.db.select().from(cardFlags).all().find((f) => f.resolution === 'handled')!;
    expect(handled).toMatchObject({ note: '已协调村里送米面，下月再核', resolvedBy: findPeople(h.db, '吴主任')[0].id, resolvedAt: h.clock.now });
    await office.send('/stats');
    expect(office.takeTexts().find((x) => x.startsWith('📊'))).toContain('🚩 未处理风险提示 0 条（0 户）');
    // pressing "handled" again on the old message changes nothing
    await office.press('标记已处理');
    expect(office.lastText()).toContain('已不是未处理状态');
    assertNoRawKeys([...helper.takeTexts(), ...office.takeTexts()]);
  });

  it('a card sent back for correction, with an unmet guarantee, tells the supervisor and closes the review', async () => {
    const { h, helper, office, helperId } = await setUp();
    await submitFailedFood(h, helper, helperId);
    await office.send('/flags');
    await office.press('H0001 李大山');
    await office.press('退回修改');
    await office.press('E. 两不愁三保障和饮水安全');
    await office.press('不愁吃情况说明');
    await office.send('请写清楚缺多少口粮');
    expect(office.lastText()).toContain('已退回给 王小明');
    await helper.press('去修改');
    await helper.send('口粮缺约 200 斤，村里已登记');
    await helper.press('提交这张卡');
    expect(helper.inbox().at(-2)!.text).toContain('第 2 版更正');
    expect(office.lastText()).toContain('已按您的意见修改了 H0001 李大山 的动态信息卡（第 2 版）');
    expect(office.lastText()).toContain('口粮缺约 200 斤');
    expect(h.db.select().from(cardReviews).get()!.status).toBe('revised');
  });

  it('flags stored by an older version (no parameters, or fewer than the message has now) still show, with the gap marked', async () => {
    const { h, helper, office, helperId } = await setUp();
    await submitFailedFood(h, helper, helperId);
    const flag = openFlags(h)[0];
    const base = { cardId: flag.cardId, householdId: flag.householdId, revision: flag.revision, createdAt: h.clock.now };
    h.db.insert(cardFlags).values({ ...base, code: 'dropout', level: 'medium', params: null }).run();
    h.db.insert(cardFlags).values({ ...base, code: 'income_drop', level: 'medium', params: JSON.stringify({ drop: 30 }) }).run();
    await office.send('/flags');
    const list = office.lastText();
    expect(list).toContain('（未记录）（（未记录） 岁）义务教育阶段不在校');
    expect(list).toContain('下降 30%（（未记录） → （未记录） 元）');
    await office.press(/^\d\. H0001/);
    expect(office.lastText()).toContain('🚩');
    assertNoRawKeys([office.lastText()]);
    // the helper's briefing lists them too
    await helper.send('/visit');
    await helper.press('H0001');
    expect(helper.lastText()).toContain('（未记录）');
  });
});
