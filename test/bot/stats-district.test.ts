import { describe, expect, it, beforeAll } from 'vitest';
import { assertNoRawKeys, buttons } from '../support/harness.js';
import { seededDistrict, type District } from './stats-fixture.js';
import { villages, towns } from '../../src/db/schema.js';
import { eq } from 'drizzle-orm';

/*
 * Hand-computed figures. Today 2017-11-15 10:00 (Asia/Shanghai); the year's target is 6 in-person visits, the ideal
 * gap 365/6 ≈ 60.8 days, and by now 6 × 318.4/365 ≈ 5.23 visits are expected (floor 5).
 *   H0001 王小明: in person 11-10 (UI) and 09-01 → 2 visits, last 5 days ago → behind (2 < 5)
 *   H0002 王小明: a phone call 10-20 only → 0 → overdue; latest card: 住房安全 不达标
 *   H0003 王小明: nothing → overdue
 *   H0004 李红: in person 2016-12-20 (last year) → 0 → overdue; its flag is resolved
 *   H0005 张强: in person 11-01 → 1, 14 days ago → behind; latest card: 不愁吃, 饮水安全 不达标; one open flag
 *   H0006 张强: nothing → overdue
 * Cards in 2017: C1–C4 (4, all submitted), households with one: H0001, H0002, H0005 (3).
 * Helpers idle for 30 days: 李红 (last in person 2016-12-20 → 330 days); 王小明 5 days, 张强 14 days.
 * Quiz: pushed to 王小明 and 张强; 王小明 done with 3/4 → completion 50 %, mean 75 %.
 */
describe('/stats on a seeded district', () => {
  let d: District;
  beforeAll(async () => {
    d = await seededDistrict();
  }, 60_000);

  it('the district office sees the whole district, by town, with a chart', async () => {
    const u = d.users.wu;
    await u.send('/stats');
    const texts = u.takeTexts();
    const text = texts.find((x) => x.startsWith('📊'))!;
    expect(text).toContain('📊 完成情况 · 全区（2017年）');
    expect(text).toContain('帮扶户 6 户，入户走访 3 次（本期每户目标 6 次）');
    expect(text).toContain('✅ 按进度 0 户 · ⚠️ 进度落后 2 户 · ❗ 逾期未走访 4 户');
    expect(text).toContain('🎯 已完成 6 次入户：0 户');
    expect(text).toContain('📝 动态信息卡：开始填写 4 张，其中已提交 4 张（3 户有已提交的卡）');
    expect(text).toContain('🚩 未处理风险提示 1 条（1 户）');
    expect(text).toContain('🏠 两不愁三保障不达标 3 项（2 户）');
    expect(text).toMatch(/住房安全 1/);
    expect(text).toContain('😴 帮扶责任人 3 人，其中 1 人超过 30 天未入户：李红（330 天）');
    expect(text).toContain('📚 测验：推送 2 人次，完成 1 人次（50%），平均分 75%');
    expect(text).toContain('▸ 城关镇：4 户 · 入户 2 次 · ✅0 ⚠️1 ❗3 · 🚩0 · 不达标 1');
    expect(text).toContain('▸ 河口镇：2 户 · 入户 1 次 · ✅0 ⚠️1 ❗1 · 🚩1 · 不达标 2');
    assertNoRawKeys(texts);

    const photo = u.inbox().find((m) => m.method === 'sendPhoto')!;
    expect(photo.caption).toContain('全区');
    const png = photo.file!.bytes;
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.length).toBeGreaterThan(10_000);
  });

  it('drills down: a town by village, then a village by helper, then a helper\'s households', async () => {
    const u = d.users.wu;
    const textMsg = [...u.inbox()].reverse().find((m) => m.text?.startsWith('📊'))!;
    const town = buttons(textMsg).find((b) => b.text.includes('城关镇'))!;
    await u.pressData(town.callback_data!, textMsg);
    const t = u.lastText();
    expect(t).toContain('📊 完成情况 · 城关镇（2017年）');
    expect(t).toContain('帮扶户 4 户，入户走访 2 次');
    expect(t).toContain('▸ 东沟村：2 户 · 入户 2 次 · ✅0 ⚠️1 ❗1');
    expect(t).toContain('▸ 西坪村：2 户 · 入户 0 次 · ✅0 ⚠️0 ❗2');
    await u.press('东沟村');
    expect(u.lastText()).toContain('▸ 王小明：2 户 · 入户 2 次');
    await u.press('王小明');
    const list = u.lastText();
    expect(list).toContain('👤 王小明 帮扶的户（2017年）');
    expect(list).toContain('H0001 李大山（东沟村）：入户 2 次（目标 6 次），进度落后，最近入户 2017-11-10');
    expect(list).toContain('H0003 陈老汉（西坪村）：入户 0 次（目标 6 次），逾期未走访');
    await u.press('H0002');
    expect(u.lastText()).toContain('两不愁三保障不达标：住房安全');
  });

  it('switches the period and the grouping', async () => {
    const u = d.users.wu;
    await u.send('/stats');
    await u.press('按帮扶责任人');
    const byHelper = u.lastText();
    expect(byHelper).toContain('▸ 李红：1 户 · 入户 0 次');
    await u.press('近30天');
    const last30 = u.lastText();
    expect(last30).toContain('（近 30 天）');
    // 10-20 → 11-15: the UI card (11-10) and 张强's 11-01; the 09-01 visit is outside
    expect(last30).toContain('入户走访 2 次');
    expect(last30).toContain('每户目标 1 次');
    // a window of the past is judged at its end: the four households nobody visited in it are overdue, never on pace
    expect(last30).toContain('✅ 按进度 2 户 · ⚠️ 进度落后 0 户 · ❗ 逾期未走访 4 户');
    await u.press('近90天');
    const last90 = u.lastText();
    // 08-18 → 11-15: H0001 twice (09-01, 11-10), H0005 once; target round(6 × 90 / 365) = 1
    expect(last90).toContain('入户走访 3 次');
    expect(last90).toContain('✅ 按进度 2 户 · ⚠️ 进度落后 0 户 · ❗ 逾期未走访 4 户');
  });

  it('a unit head sees only the unit; a town office only the town', async () => {
    await d.users.sun.send('/stats');
    const unit = d.users.sun.takeTexts().find((x) => x.startsWith('📊'))!;
    expect(unit).toContain('📊 完成情况 · 区教育局（2017年）');
    expect(unit).toContain('帮扶户 4 户，入户走访 2 次');
    expect(unit).toContain('😴 帮扶责任人 2 人，其中 1 人超过 30 天未入户：李红');
    expect(unit).toContain('📚 测验：推送 1 人次，完成 1 人次（100%），平均分 75%');
    expect(unit).not.toContain('张强');

    await d.users.zhou.send('/stats');
    const town = d.users.zhou.takeTexts().find((x) => x.startsWith('📊'))!;
    const t01 = d.h.db.select().from(towns).where(eq(towns.code, 'T01')).get()!;
    expect(d.h.db.select().from(villages).where(eq(villages.townId, t01.id)).all()).toHaveLength(2);
    expect(town).toContain('📊 完成情况 · 城关镇（2017年）');
    expect(town).toContain('帮扶户 4 户');
    expect(town).not.toContain('河口镇');
  });

  it('a helper is refused', async () => {
    await d.users.wang.send('/stats');
    expect(d.users.wang.lastText()).toBe('这个功能不对您的角色开放。发送 /help 查看您能用的功能。');
  });
});
