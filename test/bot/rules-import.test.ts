/**
 * The demo, in the bot: a trainer loads a provincial notice from a .docx, keeps the clauses that bind helpers
 * (one with the drafted question, one with a question they type), skips the rest, confirms; nothing is asked before.
 * Then a helper's 我的应知应会 counts the new requirements, and /push offers them to whoever does not know them yet.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeHarness, type Harness, type TestUser } from '../support/harness.js';
import { setFileFetch } from '../../src/bot/features/quiz-import.js';
import { createBot } from '../../src/bot/create-bot.js';
import { BOT_USER } from '../support/local-telegram.js';
import { NOTICE, writeDocx } from '../support/docx.js';
import { liveRequirements } from '../../src/app/quiz/knowledge.js';
import { loadCatalog } from '../../src/db/quiz-repo.js';

async function join_(h: Harness, tgId: number, name: string): Promise<TestUser> {
  const u = h.user(tgId);
  await u.send(`/start ${h.demo.find((d) => d.name === name)!.code}`);
  return u;
}

describe('loading a provincial notice from a .docx', () => {
  it('clauses kept one by one, questions approved, published on confirmation; helpers and pushes see them', async () => {
    const h = makeHarness();
    setFileFetch(h.tg.fetch as never);
    const trainer = await join_(h, 501, '赵培训');
    const helper = await join_(h, 502, '王小明');
    const bot = createBot(h.deps, { botInfo: BOT_USER as never, fetch: h.tg.fetch as never, throttle: false });
    const file = writeDocx(join(mkdtempSync(join(tmpdir(), 'rules-bot-')), 'notice.docx'), NOTICE);
    const before = liveRequirements(h.deps).length;
    const catalogSize = () => loadCatalog(h.db, h.deps.content.quizzes, h.clock.now).questions.length;
    const questionsBefore = catalogSize();

    const id = h.tg.addUserFile('通知.docx', readFileSync(file));
    await bot.handleUpdate(h.tg.push(h.tg.documentUpdate(trainer.user, id)));
    expect(trainer.lastText()).toContain('找到 3 条带编号的条款');
    expect(trainer.lastText()).toContain('某扶组发〔2018〕12号');
    expect(trainer.lastText()).toContain('2018-03-05');
    await trainer.press(/省级/);
    expect(trainer.lastText()).toContain('第 1/3 条：一、帮扶责任人每月入户走访不少于2次。');
    expect(trainer.lastText()).toContain('不少于____次');
    await trainer.press('✅ 约束帮扶责任人，采用草拟题');
    // clause 2: the trainer writes the question
    expect(trainer.lastText()).toContain('第 2/3 条');
    await trainer.press('✍️ 约束帮扶责任人，我来写题');
    await trainer.send('走访后几个工作日内要记录？');
    expect(trainer.lastText()).toContain('没能读出题目');
    await trainer.send('走访后几个工作日内要在帮扶手册上记录？\nA. 3个工作日\nB. 5个工作日\nC. 10个工作日\n答案：B');
    // clause 3 does not bind helpers
    expect(trainer.lastText()).toContain('第 3/3 条');
    await trainer.press('⏭ 不约束帮扶责任人，跳过');
    expect(trainer.lastText()).toContain('3 条中保留 2 条');
    // nothing published before the confirmation
    expect(catalogSize()).toBe(questionsBefore);
    await trainer.press('📤 发布');
    expect(trainer.lastText()).toContain('已发布 省级要求 2 条、题目 2 道');
    expect(catalogSize()).toBe(questionsBefore + 2);

    // the notice is dated 2018-03-05: not asked before that day, then among the requirements in force
    expect(liveRequirements(h.deps).length).toBe(before);
    h.clock.now = Date.parse('2018-04-02T02:00:00Z');
    const live = liveRequirements(h.deps);
    const added = live.filter((l) => l.req.document.number === '某扶组发〔2018〕12号');
    expect(added.map((l) => [l.req.level, l.req.region, l.req.inForceFrom, l.questions.length])).toEqual([
      ['provincial', '安徽省', '2018-03-05', 1],
      ['provincial', '安徽省', '2018-03-05', 1],
    ]);
    await helper.send('/quiz');
    await helper.press('📋 我的应知应会');
    expect(helper.lastText()).toContain('帮扶责任人每月入户走访不少于2次');
    await trainer.send('/push');
    await trainer.press('新建推送');
    await trainer.press('按要求条目（缺什么补什么）');
    await trainer.press(new RegExp(added[0]!.req.id));
    await trainer.press('尚未掌握这条的人');
    expect(trainer.lastText()).toContain('截止');
  });
});
