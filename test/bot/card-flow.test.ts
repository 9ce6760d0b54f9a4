import { describe, expect, it } from 'vitest';
import { assertNoRawKeys, buttons, makeHarness, type Harness, type TestUser } from '../support/harness.js';
import { DEMO_IDS, FIRST_CARD, TYPED_FIRST_CARD, fillCard, withoutRegistry } from '../support/card-driver.js';
import { cardFlags, cardRevisions, cards, cardDrafts } from '../../src/db/schema.js';
import { findPeople } from '../../src/db/people-repo.js';
import { openDrafts, verifyChains } from '../../src/db/cards-repo.js';

/** `/visit` → household H0001 → start the card (the briefing in between is checked where it matters). */
async function openCard(u: TestUser): Promise<void> {
  await u.send('/visit');
  await u.press('H0001');
  await u.press('开始填写');
}

async function helperAt(h: Harness, chat = 101) {
  const helper = h.demo.find((d) => d.role === 'helper')!;
  const u = h.user(chat);
  await u.send(`/start ${helper.code}`);
  const id = findPeople(h.db, helper.name)[0].id;
  return { u, id };
}

describe('the visit card, step by step', () => {
  it('briefs, walks a whole card with mistakes along the way, and stores exactly the answers given', async () => {
    const h = makeHarness();
    // a household the registry brought nothing for: every fact typed on the card
    withoutRegistry(h.db);
    const { u, id } = await helperAt(h);
    await u.send('/visit');
    await u.press('H0001');
    const briefing = u.lastText();
    expect(briefing).toContain('走访前提示：李大山');
    expect(briefing).toContain('这次要问');
    expect(briefing).toContain('基本医疗有保障'); // 因病 → medical care is on the list
    expect(briefing).toContain('要讲清楚的政策：健康扶贫');
    await u.press('开始填写');

    const { steps, rejected } = await fillCard(h, u, id, 'H0001', TYPED_FIRST_CARD, {
      visit_date: ['text:明天', 'text:2030-01-01', 'text:2017-02-30'],
      duration_min: ['text:一个多小时', 'text:900', 'text:-5'],
      location_start: ['loc-fwd:34.27,108.95', 'text:在他家'],
      members: ['text:张秀兰 配偶 110105196807150049', 'text:张秀兰 配偶 1968年'],
      wage: ['text:很多', 'text:12.345'],
      business_gross: ['sticker'],
    });
    expect(rejected.length).toBe(13);
    expect(rejected.find((r) => r.key === 'members')?.reply).toContain('姓名 关系 身份证号');
    expect(rejected.find((r) => r.action === 'text:2030-01-01')?.reply).toContain('不能晚于今天');
    expect(rejected.find((r) => r.action.startsWith('loc-fwd'))?.reply).toMatch(/转发/);

    const summary = u.inbox().at(-1)!;
    expect(buttons(summary).map((b) => b.text)).toContain('📤 提交这张卡');
    await u.press('提交这张卡');
    expect(u.inbox().at(-2)?.text).toContain('已提交 李大山 家的动态信息卡');
    expect(u.inbox().at(-2)?.text).toContain('今年入户 1 次（目标 6 次）');

    const stored = h.db.select().from(cards).all();
    expect(stored).toHaveLength(1);
    const answers = JSON.parse(stored[0].answers);
    expect(answers).toMatchObject({
      visit_date: '2017-11-10',
      visit_mode: '入户走访',
      duration_min: 75,
      head_id: DEMO_IDS.head,
      household_code: 'H0001',
      cause_main: '因病',
      cause_other: ['缺技术'],
      wage: 16000,
      business_cost: 1500,
      next_visit_date: '2017-12-10',
    });
    // the head is member 1 with the ID typed once; the others from one line each, sex and birth date from the ID
    expect(answers.members.map((m: { name: string; relation: string; gender: string; birth_date: string }) => `${m.name} ${m.relation} ${m.gender} ${m.birth_date}`)).toEqual([
      '李大山 户主 男 1965-03-02', '张秀兰 配偶 女 1968-07-15', '李小军 之子 男 2005-06-01',
    ]);
    expect(answers.members[1].work_months).toBe(8);
    expect(answers.members.map((m: { insured_basic: boolean }) => m.insured_basic)).toEqual([true, true, true]);
    expect(answers.location_start).toMatchObject({ lat: 34.271, lon: 108.95 });
    expect(answers.forest_mu).toBe(0);
    expect(answers.food_status).toBe('达标'); // nobody ticked it as a problem
    // what the roster knows is on the card without being asked
    expect(answers).toMatchObject({ household_code: 'H0001', head_name: '李大山', helper_phone: '13800000001', poor_attribute: '一般贫困户' });
    expect(steps.map((x) => x.fieldId)).not.toContain('household_code');
    // a first visit also records the registry's living conditions and production (one checklist: ticked 是 or the
    // option, the rest 否 / none) and the ethnic group (the head's, taken by the others)
    expect(answers).toMatchObject({
      road_type: '水泥路', main_fuel: '柴草', household_electricity: true, sanitary_toilet: false, crops: ['粮食作物'],
      livestock: ['家禽'], cooperative_member: false, project_dividend: false, tech_needs: ['养殖技术'],
    });
    expect(answers.members.map((m: { ethnicity: string }) => m.ethnicity)).toEqual(['汉族', '汉族', '汉族']);
    expect(steps.filter((x) => x.fieldId === 'members.ethnicity')).toHaveLength(1);
    expect(steps.length).toBeLessThanOrEqual(70);
    expect(stored[0].inPerson).toBe(true);
    expect(h.db.select().from(cardRevisions).all()).toHaveLength(1);
    expect(verifyChains(h.db)).toMatchObject({ ok: true, cards: 1, revisions: 1 });
    // the ID number is shown masked on the summary, never whole
    expect(u.inbox().some((m) => m.text?.includes(DEMO_IDS.head))).toBe(false);
    assertNoRawKeys(u.takeTexts());

    await u.send('/households');
    expect(u.lastText()).toMatch(/H0001 李大山（东沟村）\n.*入户 1 次（本年目标 6 次） · 上次走访 2017-11-10/);
  });

  it('a stale button, a forged one, another helper\'s household and a double tap change nothing', async () => {
    const h = makeHarness();
    const { u, id } = await helperAt(h);
    await openCard(u);
    await u.send('2017-11-10');
    const modeQuestion = u.last();
    await u.press('入户走访');
    const draft = openDrafts(h.db, id)[0];
    // pressing the same (now old) button again
    await u.pressData(buttons(modeQuestion)[1].callback_data!, modeQuestion);
    expect(h.tg.callbackAnswers.at(-1)?.text).toContain('过期');
    expect(openDrafts(h.db, id)[0].step).toBe(draft.step);
    // forged: malformed, someone else's draft id, a choice index that does not exist
    for (const data of ['v:c:x:1:0', `v:c:${draft.id + 1}:${draft.step}:0`, `v:c:${draft.id}:${draft.step}:99`, 'vh:4', 'vn:5']) {
      await u.pressData(data);
    }
    expect(h.tg.callbackAnswers.slice(-5).every((a) => a.text && /过期|无权/.test(a.text))).toBe(true);
    expect(openDrafts(h.db, id)[0].step).toBe(draft.step);
    expect(h.db.select().from(cardDrafts).all()).toHaveLength(1);

    // another helper tries to continue this draft
    const other = h.user(202);
    await other.send(`/start ${h.demo.find((d) => d.name === '李红')!.code}`);
    await other.pressData(`v:s:${draft.id}:${draft.step}`);
    expect(h.tg.callbackAnswers.at(-1)?.text).toContain('无权');
    // a double tap: the same current button twice in a row
    const q = u.last();
    const skipOrBack = buttons(q).find((b) => b.callback_data?.startsWith('v:b:'))!.callback_data!;
    await u.pressData(skipOrBack, q);
    await u.pressData(skipOrBack, q);
    expect(openDrafts(h.db, id)[0].step).toBe(draft.step + 1);
  });

  it('pauses with /cancel and resumes at the same question, even in a new bot', async () => {
    const h = makeHarness();
    const { u } = await helperAt(h);
    await openCard(u);
    await u.send('2017-11-10');
    await u.press('入户走访');
    await u.send('/cancel');
    expect(u.lastText()).toContain('已填写的内容都保留着');
    await u.send('75');
    expect(u.lastText()).toContain('没看懂'); // no longer goes to the card
    await u.send('/resume');
    expect(u.lastText()).toContain('入户时长');
    await u.send('75');
    expect(u.lastText()).toContain('到户位置');
  });

  it('a phone call is recorded but does not count toward the six visits', async () => {
    const h = makeHarness();
    const { u, id } = await helperAt(h);
    await openCard(u);
    await fillCard(h, u, id, 'H0001', { ...FIRST_CARD, visit_mode: 'press:电话联系', duration_min: 'text:15' });
    await u.press('提交这张卡');
    expect(u.inbox().at(-2)?.text).toContain('不计入入户次数');
    expect(h.db.select().from(cards).get()?.inPerson).toBe(false);
  });

  it('the second visit briefs on last time and offers household facts as unchanged', async () => {
    const h = makeHarness();
    const { u, id } = await helperAt(h);
    await openCard(u);
    await fillCard(h, u, id, 'H0001', { ...FIRST_CARD, 'members.health': ['press:患有大病', 'press:健康', 'press:健康'] });
    await u.press('提交这张卡');
    // income well above the line, insured, first card: nothing to flag yet (a serious illness is flagged when it is new)
    expect(h.db.select().from(cardFlags).all()).toEqual([]);

    h.clock.now += 20 * 24 * 3600 * 1000;
    await u.send('/visit');
    await u.press('H0001');
    const b = u.lastText();
    expect(b).toContain('上次走访：2017-11-10（入户走访）');
    expect(b).toContain('李大山（户主');
    expect(b).toContain('上次发现的问题');
    expect(b).toContain('户主慢性病用药负担重');
    expect(b).toContain('协助办理慢病卡');
    await u.press('开始填写');
    await u.send('2017-12-01');
    await u.press('入户走访');
    await u.send('60');
    await u.location(34.271, 108.95);
    await u.press('跳过');
    // the household's facts of last time, confirmed at once
    const confirm = u.lastText();
    expect(confirm).toContain('与上次记录一样吗？');
    expect(confirm).toContain('户主身份证号：4105**********123X');
    expect(confirm).toContain('识别标准：国家标准');
    expect(buttons(u.last()).map((x) => x.text)).toEqual(expect.arrayContaining(['✔ 全部没变', '✏️ 有变化，逐项核对']));
    await u.press('全部没变');
    expect(u.lastText()).toContain('是否为今年计划脱贫户');
    await u.press('否');
    // the members of last time, kept with one press; nothing new to ask of each, so straight to the insurance question
    expect(u.lastText()).toContain('李小军');
    await u.press('全部不变');
    expect(u.lastText()).toContain('每人的医保、养老保险和低保');
  });

  it('a correction is a new revision with a reason; the history keeps who, when, old and new', async () => {
    const h = makeHarness();
    const { u, id } = await helperAt(h);
    await openCard(u);
    await fillCard(h, u, id, 'H0001', FIRST_CARD);
    await u.press('提交这张卡');
    h.clock.now += 3600_000;
    await u.send('/visit');
    await u.press('H0001');
    await u.press('更正上次的卡');
    expect(u.lastText()).toContain('更正原因');
    await u.send('时长记错了');
    expect(u.lastText()).toContain('全部无误即可提交');
    await u.press('修改某一项');
    await u.press('A. 走访信息');
    await u.press('入户时长（分钟）：75');
    expect(u.lastText()).toContain('入户时长');
    // chosen to be changed: asked at once, without "unchanged / change" first
    expect(buttons(u.last()).map((b) => b.text)).not.toContain('✏️ 修改');
    await u.send('95');
    expect(u.lastText()).toContain('全部无误即可提交');
    await u.press('提交这张卡');
    expect(u.inbox().at(-2)?.text).toContain('第 2 版更正');

    const revs = h.db.select().from(cardRevisions).all();
    expect(revs.map((r) => r.revision)).toEqual([1, 2]);
    expect(revs[1].reason).toBe('时长记错了');
    expect(revs[1].authorId).toBe(id);
    expect(revs[1].createdAt).toBe(h.clock.now);
    expect(JSON.parse(revs[1].changes)).toEqual([{ field: 'duration_min', old: 75, new: 95 }]);
    expect(revs[1].prevHash).toBe(revs[0].hash);
    expect(JSON.parse(h.db.select().from(cards).get()!.answers).duration_min).toBe(95);
    expect(h.db.select().from(cards).all()).toHaveLength(1);
    expect(verifyChains(h.db)).toMatchObject({ ok: true, cards: 1, revisions: 2 });
  });

  it('a carried-forward fact typed over by mistake can be put back to last time\'s value', async () => {
    const h = makeHarness();
    const { u, id } = await helperAt(h);
    await openCard(u);
    await fillCard(h, u, id, 'H0001', FIRST_CARD);
    await u.press('提交这张卡');
    h.clock.now += 20 * 24 * 3600 * 1000;
    await u.send('/visit');
    await u.press('H0001');
    await u.press('开始填写');
    await u.send('2017-12-01');
    await u.press('入户走访');
    await u.send('60');
    await u.location(34.271, 108.95);
    await u.press('跳过');
    await u.press('有变化，逐项核对');
    expect(u.lastText()).toContain('户主身份证号');
    for (const label of ['户主身份证号', '贫困户属性', '识别标准', '脱贫属性']) {
      expect(u.lastText()).toContain(label);
      await u.press('不变');
    }
    expect(u.lastText()).toContain('识别年度');
    await u.send('2016'); // typed over 2015 by mistake
    await u.press('上一题');
    const labels = buttons(u.last()).map((b) => b.text);
    expect(labels).toContain('✔ 保留本卡：2016');
    expect(labels).toContain('↩️ 改回上次记录：2015');
    await u.press('改回上次记录');
    const draft = openDrafts(h.db, id)[0];
    expect(draft.state.answers.identified_year).toBe(2015);
  });

  it('accepts a shared location without the device accuracy, refuses a forwarded one', async () => {
    const h = makeHarness();
    const { u } = await helperAt(h);
    await openCard(u);
    await u.send('2017-11-10');
    await u.press('入户走访');
    await u.send('60');
    await u.location(34.271, 108.95, true);
    // the refusal and the question again, in one message (with the location keyboard)
    expect(u.lastText()).toContain('转发');
    expect(u.lastText()).toContain('到户位置');
    const update = h.tg.locationUpdate(u.user, 34.271, 108.95);
    delete (update.message as { location: { horizontal_accuracy?: number } }).location.horizontal_accuracy;
    await u.sendUpdate(update);
    expect(u.lastText()).toContain('同行人员');
  });

  it('a draft started on the wrong household is thrown away after a confirmation, and /resume no longer offers it', async () => {
    const h = makeHarness();
    const { u, id } = await helperAt(h);
    await u.send('/visit');
    await u.press('H0002');
    await u.press('开始填写');
    await u.press('今天');
    await u.press('暂停');
    await u.press('作废这张草稿');
    // asked in place of the message whose button was pressed
    expect(u.inbox().some((m) => m.text?.includes('确定作废 王秀英（H0002）这张未提交的卡吗'))).toBe(true);
    await u.press('不作废，继续填');
    expect(u.inbox().some((m) => m.text?.includes('走访方式'))).toBe(true);
    expect(openDrafts(h.db, id)).toHaveLength(1);
    // and typing goes to the card again
    await u.send('1');
    expect(u.lastText()).toContain('✔ 走访方式：入户走访');
    await u.send('/visit');
    await u.press('H0002');
    await u.press('作废这张草稿');
    await u.press('确认作废');
    expect(u.inbox().at(-2)?.text).toContain('已作废这张草稿');
    expect(u.inbox().some((m) => m.text?.includes('确定作废'))).toBe(true);
    expect(openDrafts(h.db, id)).toEqual([]);
    expect(h.db.select().from(cardDrafts).get()!.status).toBe('discarded');
    await u.send('/resume');
    expect(u.lastText()).toContain('没有未填完的卡');
    // its old buttons are stale now
    await u.press('不作废，继续填');
    expect(h.tg.callbackAnswers.at(-1)?.text).toMatch(/已经提交或作废|过期/);
  });
});
