/**
 * The push wizard and the publication of a question file as dialogs: they survive a restart at any step, /cancel
 * and other commands leave them, other text gets a hint, and a button of an earlier run or preview changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { like } from 'drizzle-orm';
import { buttons, makeHarness, type Harness, type TestUser } from '../support/harness.js';
import { kv, quizPushes } from '../../src/db/schema.js';
import { loadCatalog } from '../../src/db/quiz-repo.js';
import { setFileFetch } from '../../src/bot/features/quiz-import.js';
import { TEMPLATE_HEADERS } from '../../src/content/quiz-spreadsheet.js';

const STALE = '这个按钮已经过期了，请按最新消息中的按钮操作。';
const savedDialogs = (h: Harness) => h.db.select().from(kv).where(like(kv.key, 'dialog:%')).all();
const pushes = (h: Harness) => h.db.select().from(quizPushes).all();

async function trainerOf(h: Harness): Promise<TestUser> {
  const u = h.user(201);
  await u.send(`/start ${h.demo.find((d) => d.name === '赵培训')!.code}`);
  return u;
}

async function newPush(u: TestUser): Promise<void> {
  await u.send('/push');
  await u.press('新建推送');
}

describe('the push wizard as a dialog', () => {
  it('continues after a restart at any step, takes a typed deadline, and queues the push', async () => {
    const h = makeHarness();
    const u = await trainerOf(h);
    await newPush(u);
    h.restart();
    await u.press('全部题目');
    await u.press(/^5$/);
    h.restart();
    await u.press('某个单位');
    await u.press('区教育局');
    expect(u.lastText()).toContain('也可以直接输入日期');
    h.restart();
    await u.send('下周');
    expect(u.lastText()).toContain('没看懂这个截止时间');
    await u.send('2017-11-30');
    expect(u.lastText()).toBe('请确认：5 道题，推送给 2 人，截止 2017-11-30 23:59。');
    expect(savedDialogs(h)).toHaveLength(1);
    const summary = u.last();
    const confirm = buttons(summary).find((b) => b.text.includes('确认推送'))!.callback_data!;
    h.restart();
    await u.press('确认推送');
    expect(u.lastText()).toContain('已排队');
    expect(pushes(h)).toMatchObject([{ deadline: Date.parse('2017-11-30T23:59:00+08:00') }]);
    expect(savedDialogs(h)).toHaveLength(0);
    // a decided step loses its buttons; the confirmation pressed again (an old client) pushes nothing more
    expect(buttons(h.tg.sent.find((m) => m.messageId === summary.messageId))).toEqual([]);
    await u.pressData(confirm, summary);
    expect(h.tg.callbackAnswers.at(-1)?.text).toBe(STALE);
    expect(pushes(h)).toHaveLength(1);
  });

  it('/cancel mid-wizard leaves it: its buttons are stale and nothing is pushed', async () => {
    const h = makeHarness();
    const u = await trainerOf(h);
    await newPush(u);
    await u.press('全部题目');
    await u.send('/cancel');
    expect(u.lastText()).toBe('已退出当前操作。已填写的内容都保留着，可以随时继续。');
    expect(savedDialogs(h)).toHaveLength(0);
    await u.press(/^5$/);
    expect(h.tg.callbackAnswers.at(-1)?.text).toBe(STALE);
    await u.send('/cancel');
    expect(u.lastText()).toBe('当前没有进行中的操作。');
    expect(pushes(h)).toHaveLength(0);
  });

  it('typed text outside the deadline step gets a hint; a command leaves the wizard and is handled', async () => {
    const h = makeHarness();
    const u = await trainerOf(h);
    await newPush(u);
    await u.send('全部');
    expect(u.lastText()).toBe('请按上面的按钮选择，或发送 /cancel 退出。');
    await u.press('全部题目');
    await u.press(/^10$/);
    await u.send('/quiz');
    expect(u.lastText()).toContain('学习测验');
    expect(savedDialogs(h)).toHaveLength(0);
    await u.press('全体帮扶责任人');
    expect(h.tg.callbackAnswers.at(-1)?.text).toBe(STALE);
    expect(pushes(h)).toHaveLength(0);
  });

  it('a button of an earlier run changes nothing in the current one', async () => {
    const h = makeHarness();
    const u = await trainerOf(h);
    await newPush(u);
    await u.press('全部题目');
    const oldCount = u.last();
    // a new run from the menu leaves the first one
    await newPush(u);
    await u.pressData(buttons(oldCount).find((b) => b.text === '5')!.callback_data!, oldCount);
    expect(h.tg.callbackAnswers.at(-1)?.text).toBe(STALE);
    expect(u.lastText()).toBe('第 1 步：从哪里出题？');
    await u.press('按级别');
    expect(u.lastText()).toBe('请选择级别：');
    await u.press('取消');
    expect(u.lastText()).toBe('已取消，没有推送。');
    expect(savedDialogs(h)).toHaveLength(0);
  });
});

describe('publishing a question file as a dialog', () => {
  const csv = (text: string) => {
    const cells: Record<string, string> = {
      题号: 'P-100', 级别: '省级', 地区: '某省', 主题: '入户要求', 题目: text, 选项A: '户口本和系统记录', 选项B: '邻居的说法',
      正确答案: 'A', 解析: '以户口本和系统记录为准。', 出处: '某省文件', 生效日期: '2017-11-02', 版本: '1',
    };
    return Buffer.from([TEMPLATE_HEADERS.join(','), TEMPLATE_HEADERS.map((hd) => cells[hd] ?? '').join(',')].join('\n'), 'utf8');
  };
  const sendFile = (h: Harness, u: TestUser, text: string) => u.sendUpdate(h.tg.documentUpdate(u.user, h.tg.addUserFile('questions.csv', csv(text))));
  const version = (h: Harness) => loadCatalog(h.db, h.deps.content.quizzes, h.clock.now).byId.get('P-100')?.version;

  it('the preview waits through a restart; publishing it adds the questions', async () => {
    const h = makeHarness();
    setFileFetch(h.tg.fetch as never);
    const u = await trainerOf(h);
    await sendFile(h, u, '入户时应核对哪份材料？');
    expect(u.lastText()).toContain('请检查后发布');
    h.restart();
    await u.send('好的');
    expect(u.lastText()).toBe('请按上面的按钮发布或取消，也可以发送新的题目文件。');
    await u.press('确认发布');
    expect(u.lastText()).toBe('题目导入成功：新增 1，更新（新版本）0，未变 0。');
    expect(version(h)).toBe(1);
    expect(savedDialogs(h)).toHaveLength(0);
  });

  it('/cancel, cancel, a newer file or a command: nothing published, and the older buttons are stale', async () => {
    const h = makeHarness();
    setFileFetch(h.tg.fetch as never);
    const u = await trainerOf(h);
    await sendFile(h, u, '第一稿？');
    const first = u.last();
    await u.send('/cancel');
    expect(u.lastText()).toContain('已退出当前操作');
    await u.pressData(buttons(first).find((b) => b.text.includes('确认发布'))!.callback_data!, first);
    expect(h.tg.callbackAnswers.at(-1)?.text).toBe(STALE);

    await sendFile(h, u, '第二稿？');
    const second = u.last();
    await sendFile(h, u, '第三稿？');
    await u.pressData(buttons(second).find((b) => b.text.includes('确认发布'))!.callback_data!, second);
    expect(h.tg.callbackAnswers.at(-1)?.text).toBe(STALE);
    await u.press('取消');
    expect(u.lastText()).toBe('已取消，题库没有变化。');

    await sendFile(h, u, '第四稿？');
    await u.send('/help');
    expect(savedDialogs(h)).toHaveLength(0);
    await u.press('确认发布');
    expect(h.tg.callbackAnswers.at(-1)?.text).toBe(STALE);
    expect(version(h)).toBe(undefined);
  });
});
