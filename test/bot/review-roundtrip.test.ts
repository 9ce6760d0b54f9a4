import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { assertNoRawKeys, buttons } from '../support/harness.js';
import { seededDistrict } from './stats-fixture.js';
import { cardRevisions, cardReviews, cards } from '../../src/db/schema.js';
import { verifyChains } from '../../src/db/cards-repo.js';

describe('review that reaches the helper', () => {
  it('a unit head sends one answer back; the helper corrects exactly that; a new revision; the unit head is told', async () => {
    const d = await seededDistrict();
    const { sun, wang } = d.users;
    await sun.send('/stats');
    await sun.press('王小明');
    await sun.press('H0001');
    expect(sun.lastText()).toContain('最近一张卡：走访日期 2017-11-10，入户走访，第 1 版');
    await sun.press('退回修改');
    await sun.press('A. 走访信息');
    await sun.press('入户时长（分钟）：75');
    expect(sun.lastText()).toContain('退回「入户时长（分钟）」（现填：75）');
    await sun.send('时长与定位记录不符，请核实');
    expect(sun.lastText()).toContain('已退回给 王小明：H0001 李大山「入户时长（分钟）」');

    const notice = wang.last();
    expect(notice.text).toContain('孙局长 退回了 H0001 李大山 2017-11-10 的动态信息卡，请修改「入户时长（分钟）」');
    expect(notice.text).toContain('意见：时长与定位记录不符，请核实');
    await wang.press('去修改这一项');
    // the very field, not the start of the card
    expect(wang.lastText()).toContain('入户时长（分钟）');
    expect(wang.lastText()).toContain('本卡已填：75');
    expect(wang.lastText()).not.toContain('走访日期');
    await wang.send('95');
    expect(wang.lastText()).toContain('全部无误即可提交');
    await wang.press('提交这张卡');
    expect(wang.inbox().at(-2)?.text).toContain('第 2 版更正');

    const card = d.h.db.select().from(cards).where(eq(cards.id, d.card.c1)).get()!;
    expect(card.revision).toBe(2);
    expect(JSON.parse(card.answers).duration_min).toBe(95);
    const rev2 = d.h.db.select().from(cardRevisions).where(eq(cardRevisions.cardId, d.card.c1)).all().find((r) => r.revision === 2)!;
    expect(rev2.reason).toBe('时长与定位记录不符，请核实');
    expect(JSON.parse(rev2.changes)).toEqual([{ field: 'duration_min', old: 75, new: 95 }]);
    expect(rev2.authorId).toBe(d.person.wang);
    expect(verifyChains(d.h.db).ok).toBe(true);
    const review = d.h.db.select().from(cardReviews).get()!;
    expect(review).toMatchObject({ status: 'revised', revision: 2, fieldPath: 'duration_min', supervisorId: d.person.sun, helperId: d.person.wang });

    const told = sun.last();
    expect(told.text).toContain('王小明 已按您的意见修改了 H0001 李大山 的动态信息卡（第 2 版）');
    expect(told.text).toContain('「入户时长（分钟）」现为：95');
    expect(buttons(told).map((b) => b.text)).toContain('查看这户');

    // the old button is now answered as done, and cannot open a second correction
    await wang.press('去修改这一项');
    expect(wang.lastText()).toContain('已经改好了（第 2 版）');
    assertNoRawKeys([...sun.takeTexts(), ...wang.takeTexts()]);
  }, 60_000);

  it('a repeat item field is reopened exactly, and /cancel drops a comment not yet written', async () => {
    const d = await seededDistrict();
    const { wu, wang } = d.users;
    await wu.pressData(`sh:${d.household('H0001')}`, wu.last());
    await wu.press('退回修改');
    await wu.press('C. 家庭成员');
    await wu.press('成员 2 · 健康状况');
    await wu.send('/cancel');
    expect(wu.lastText()).toContain('已退出');
    await wu.send('随便说一句');
    expect(wang.inbox().some((m) => m.text?.includes('随便说一句'))).toBe(false);

    await wu.press('成员 2 · 健康状况');
    await wu.send('张秀兰有高血压，请核实');
    await wang.press('去修改这一项');
    expect(wang.lastText()).toContain('健康状况');
    expect(wang.lastText()).toContain('成员 2');
  }, 60_000);
});
