/**
 * Replies wait for the WAL's sync: with the database opened as `npm start` opens it (syncing before replies on a
 * thread of its own, src/db/durable.ts), no Bot API call of any kind leaves while something written before it is not
 * yet on disk. Checked at every call through a whole visit (a card with an unmet guarantee, submitted), a supervisor's
 * return and the helper's correction (a notice to another person), a flag handled with a note, a dialog, a refusal.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeHarness, type Harness } from '../support/harness.js';
import { FIRST_CARD, fillCard } from '../support/card-driver.js';
import { findPeople } from '../../src/db/people-repo.js';
import { stopSyncs, syncCounts } from '../../src/db/durable.js';

const FAILED_FOOD = { ...FIRST_CARD, guarantee_problems: ['press:不愁吃', 'press:选好了'], food_status: 'press:不达标', food_note: 'text:口粮只够吃到春节' };
let harness: Harness | undefined;
afterEach(async () => {
  if (harness) await stopSyncs(harness.db);
});

describe('replies wait for the sync of what was written before them', () => {
  it('a visit, a return for correction, a correction and a flag handled: nothing leaves unsynced', { timeout: 60_000 }, async () => {
    const h = (harness = makeHarness({ deferSyncs: true }));
    const helper = h.user(101);
    await helper.send(`/start ${h.demo.find((d) => d.name === '王小明')!.code}`);
    const office = h.user(203);
    await office.send(`/start ${h.demo.find((d) => d.name === '吴主任')!.code}`);
    const stranger = h.user(999);
    await stranger.send('/households');

    await helper.send('/visit');
    await helper.press('H0001');
    await helper.press('开始填写');
    await fillCard(h, helper, findPeople(h.db, '王小明')[0].id, 'H0001', FAILED_FOOD);
    await helper.press('提交这张卡');
    expect(helper.inbox().at(-2)!.text).toContain('🚩 “不愁吃”不达标。');

    await office.send('/flags');
    await office.press('H0001 李大山');
    await office.press('退回修改');
    await office.press('E. 两不愁三保障和饮水安全');
    await office.press('不愁吃情况说明');
    await office.send('请写清楚缺多少口粮');
    await helper.press('去修改');
    await helper.send('口粮缺约 200 斤，村里已登记');
    await helper.press('提交这张卡');
    expect(office.lastText()).toContain('已按您的意见修改了');
    await office.send('/flags');
    await office.press('H0001 李大山');
    await office.press('标记已处理');
    await office.send('已协调村里送米面，下月再核');
    expect(office.lastText()).toContain('已标记处理');

    expect(h.sentUnsynced).toEqual([]);
    // the syncs were real and made by the sync thread, one per answer or so, not one per call
    const { thread, here } = syncCounts(h.db);
    expect(thread).toBeGreaterThan(50);
    expect(here).toBe(0);
  });
});
