import { jobDeps } from '../support/job-deps.js';
import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { Api } from 'grammy';
import { assertNoRawKeys, buttons, makeHarness, type Harness, type TestUser } from '../support/harness.js';
import { quizAnswers, quizAttempts, quizDeliveries, quizPushes } from '../../src/db/schema.js';
import { loadCatalog, questionVersion } from '../../src/db/quiz-repo.js';
import { attemptForPush } from '../../src/db/quiz-attempt-repo.js';
import { findPeople } from '../../src/db/people-repo.js';
import { drainPushQueue, SendGate } from '../../src/jobs/push-queue.js';
import { sendDueReminders } from '../../src/jobs/quiz-reminders.js';
import { setFileFetch } from '../../src/bot/features/quiz-import.js';
import { TEMPLATE_HEADERS } from '../../src/content/quiz-spreadsheet.js';
import { createBot } from '../../src/bot/create-bot.js';
import { BOT_USER } from '../support/local-telegram.js';

const pid = (h: Harness, name: string) => findPeople(h.db, name)[0].id;

async function join(h: Harness, tgId: number, name: string): Promise<TestUser> {
  const u = h.user(tgId);
  await u.send(`/start ${h.demo.find((d) => d.name === name)!.code}`);
  return u;
}

/** Answers the current question of the person's attempt at a push. */
async function answerPush(h: Harness, u: TestUser, personId: number, pushId: number, right: boolean): Promise<void> {
  const a = attemptForPush(h.db, personId, pushId)!;
  const q = questionVersion(h.db, a.questions[a.position])!;
  const choices = right ? q.correct : [[...q.options.keys()].find((i) => !q.correct.includes(i))!];
  if (!q.multi) return u.pressData(`qa:${a.id}:${a.position}:${choices[0]}`);
  for (const c of choices) await u.pressData(`qa:${a.id}:${a.position}:${c}`);
  await u.pressData(`qs:${a.id}:${a.position}`);
}

describe('/push: a trainer pushes a quiz to a unit and reads the results', () => {
  it('wizard → queue → helpers take it → reminders → results that match', async () => {
    const h = makeHarness();
    const api = new Api('0:offline', { fetch: h.tg.fetch as never });
    const gate = new SendGate(25);
    const trainer = await join(h, 201, '赵培训');
    const wang = await join(h, 202, '王小明');
    const li = await join(h, 203, '李红');
    const zhang = await join(h, 204, '张强');

    await wang.send('/push');
    expect(wang.lastText()).toBe('这个功能不对您的角色开放。发送 /help 查看您能用的功能。');

    await trainer.send('/push');
    await trainer.press('新建推送');
    const srcMsg = trainer.last();
    const oldData = buttons(srcMsg).find((b) => b.text === '按主题')!.callback_data!;
    await trainer.press('全部题目');
    await trainer.press(/^5$/);
    await trainer.press('某个单位');
    await trainer.press('区教育局');
    // an old button of an earlier step is refused and changes nothing
    await trainer.pressData(oldData, srcMsg);
    expect(h.tg.callbackAnswers.at(-1)?.text).toBe('这个按钮已经过期了，请按最新消息中的按钮操作。');
    await trainer.press('7 天');
    expect(trainer.lastText()).toMatch(/5 道题，推送给 2 人，截止 2017-11-22 10:00/);
    await trainer.press('确认推送');
    expect(trainer.lastText()).toContain('已排队');
    const push = h.db.select().from(quizPushes).get()!;
    expect(h.db.select().from(quizDeliveries).all().map((d) => d.status)).toEqual(['pending', 'pending']);

    expect(await drainPushQueue(jobDeps(h.deps, api), gate)).toBe(2);
    expect(h.db.select().from(quizDeliveries).all().every((d) => d.status === 'sent' && d.sentAt !== null)).toBe(true);
    expect(wang.lastText()).toContain('📣 新的测验：共 5 题');
    expect(li.lastText()).toContain('📣 新的测验');
    expect(zhang.inbox().some((m) => m.text?.includes('新的测验'))).toBe(false);
    expect(await drainPushQueue(jobDeps(h.deps, api), gate)).toBe(0);

    // 张强 is not a recipient: a forged start button is refused
    await zhang.pressData(`qz:p:${push.id}`);
    expect(h.tg.callbackAnswers.at(-1)?.text).toBe('您无权查看或修改这条记录。');

    // 王小明: one wrong, four right; 李红: two right, then stops
    const wangId = pid(h, '王小明');
    const liId = pid(h, '李红');
    await wang.press('开始答题');
    await answerPush(h, wang, wangId, push.id, false);
    for (let i = 0; i < 4; i++) await answerPush(h, wang, wangId, push.id, true);
    expect(wang.lastText()).toContain('共 5 题，答对 4 题（80%）');
    await li.press('开始答题');
    for (let i = 0; i < 2; i++) await answerPush(h, li, liId, push.id, true);
    const missedId = h.db.select().from(quizAnswers).where(and(eq(quizAnswers.personId, wangId), eq(quizAnswers.correct, false))).get()!.questionId;
    expect(h.db.select().from(quizAnswers).where(eq(quizAnswers.pushId, push.id)).all()).toHaveLength(7);

    await trainer.send('/push');
    await trainer.press(`#${push.id}`);
    let results = trainer.lastText();
    expect(results).toContain('推送 2 人，完成 1 人（50%），平均分 80%');
    expect(results).toContain('送达：已发送 2，待发送 0，未送达/不确定 0');
    // both answered the first question; only 王小明 missed it
    expect(results).toContain(`· ${missedId}（第 1 版）共答 2 次，错 1 次（50%）`);
    expect(results).toContain('· 区教育局：推送 2 人，完成 1 人（50%），平均分 80%');

    // the day before the deadline: only 李红 (not finished) is reminded, and only once
    h.clock.now = push.deadline - 12 * 3600 * 1000;
    expect(await sendDueReminders(jobDeps(h.deps, api), gate)).toBe(1);
    expect(li.lastText()).toContain('⏰ 提醒');
    expect(wang.lastText()).not.toContain('⏰ 提醒');
    expect(await sendDueReminders(jobDeps(h.deps, api), gate)).toBe(0);

    // 李红 resumes where she stopped and finishes
    await li.press('开始答题');
    expect(li.lastText()).toMatch(/^第 3 题（共 5 题）/);
    for (let i = 0; i < 3; i++) await answerPush(h, li, liId, push.id, true);
    expect(li.lastText()).toContain('共 5 题，答对 5 题（100%）');
    await li.pressData(`qz:p:${push.id}`);
    expect(li.lastText()).toContain('共 5 题，答对 5 题（100%）');

    await trainer.press('刷新');
    results = trainer.lastText();
    expect(results).toContain('推送 2 人，完成 2 人（100%），平均分 90%');
    expect(results).toContain('· 区教育局：推送 2 人，完成 2 人（100%），平均分 90%');
    expect(h.db.select().from(quizAttempts).where(eq(quizAttempts.pushId, push.id)).all()).toHaveLength(2);

    // after the deadline a finished quiz still shows its score, and it is no longer listed as open
    h.clock.now = push.deadline + 1;
    await wang.pressData(`qz:p:${push.id}`);
    expect(wang.lastText()).toContain('共 5 题，答对 4 题（80%）');
    await wang.send('/quiz');
    expect(buttons(wang.last()).some((b) => b.text.includes(`#${push.id}`))).toBe(false);
    assertNoRawKeys([...trainer.takeTexts(), ...wang.takeTexts(), ...li.takeTexts()]);
  });

  it('pushes to those scoring low on a topic; /cancel leaves the wizard', async () => {
    const h = makeHarness();
    const trainer = await join(h, 301, '赵培训');
    await join(h, 302, '王小明');
    await trainer.send('/push');
    await trainer.press('新建推送');
    await trainer.press('按级别');
    await trainer.press('区级');
    await trainer.press(/^10$/);
    await trainer.press('某主题得分偏低的人');
    await trainer.press('精准识别');
    await trainer.press('< 60%');
    await trainer.press('3 天');
    // nobody has answered yet, so all three helpers count as below
    expect(trainer.lastText()).toMatch(/10 道题，推送给 3 人/);
    await trainer.send('/cancel');
    expect(trainer.lastText()).toBe('已退出当前操作。已填写的内容都保留着，可以随时继续。');
    await trainer.press('确认推送');
    expect(h.tg.callbackAnswers.at(-1)?.text).toBe('这个按钮已经过期了，请按最新消息中的按钮操作。');
    expect(h.db.select().from(quizPushes).all()).toHaveLength(0);
  });

  it('a trainer imports a spreadsheet sent to the bot: errors by row and column, then a preview, published as a new version', async () => {
    const h = makeHarness();
    setFileFetch(h.tg.fetch as never);
    const trainer = await join(h, 401, '赵培训');
    const row = (answer: string, text = '入户时应核对哪份材料？') => {
      const cells: Record<string, string> = {
        题号: 'P-100', 级别: '省级', 地区: '某省', 主题: '入户要求', 题目: text,
        选项A: '户口本和系统记录', 选项B: '邻居的说法', 正确答案: answer, 解析: '以户口本和系统记录为准。',
        出处: '某省文件', 生效日期: '2017-11-02', 版本: '1',
      };
      return TEMPLATE_HEADERS.map((hd) => cells[hd] ?? '').join(',');
    };
    const csv = (...rows: string[]) => Buffer.from([TEMPLATE_HEADERS.join(','), ...rows].join('\n'), 'utf8');
    // the harness's users send text and buttons; a document goes to a second bot on the same deps
    const bot = createBot(h.deps, { botInfo: BOT_USER as never, fetch: h.tg.fetch as never, throttle: false });
    const send = async (bytes: Buffer) => {
      const id = h.tg.addUserFile('questions.csv', bytes);
      await bot.handleUpdate(h.tg.push(h.tg.documentUpdate(trainer.user, id)));
    };
    await send(csv(row('A'), row('E')));
    expect(trainer.lastText()).toContain('导入失败，没有做任何修改');
    expect(trainer.lastText()).toContain('第 3 行「正确答案」列');
    expect(trainer.lastText()).toContain('第 3 行「题号」列');
    const catalog = () => loadCatalog(h.db, h.deps.content.quizzes, h.clock.now);
    expect(catalog().byId.has('P-100')).toBe(false);

    // a good file is previewed first; nothing is published until the trainer confirms
    await send(csv(row('A')));
    expect(trainer.lastText()).toContain('新增 1，更新（新版本）0，未变 0');
    expect(trainer.lastText()).toContain('P-100（新题）入户时应核对哪份材料？');
    expect(catalog().byId.has('P-100')).toBe(false);
    await trainer.press('确认发布');
    expect(trainer.lastText()).toBe('题目导入成功：新增 1，更新（新版本）0，未变 0。');
    expect(catalog().byId.get('P-100')?.version).toBe(1);
    await send(csv(row('A', '入户时应当核对哪份材料？')));
    expect(trainer.lastText()).toContain('P-100（第 1 版 → 第 2 版）入户时应当核对哪份材料？');
    await trainer.press('确认发布');
    expect(trainer.lastText()).toBe('题目导入成功：新增 0，更新（新版本）1，未变 0。');
    expect(catalog().byId.get('P-100')?.version).toBe(2);
    expect(questionVersion(h.db, { id: 'P-100', v: 1 })?.text.zh).toBe('入户时应核对哪份材料？');
  });
});
