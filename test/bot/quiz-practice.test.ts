import { jobDeps } from '../support/job-deps.js';
import { describe, expect, it } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import { Api } from 'grammy';
import { assertNoRawKeys, buttons, makeHarness, type Harness, type TestUser } from '../support/harness.js';
import { quizAnswers, quizAttempts, quizCards } from '../../src/db/schema.js';
import { questionVersion } from '../../src/db/quiz-repo.js';
import { attemptById } from '../../src/db/quiz-attempt-repo.js';
import { sendDailyNudges } from '../../src/jobs/quiz-reminders.js';
import { SendGate } from '../../src/jobs/push-queue.js';
import { findPeople } from '../../src/db/people-repo.js';
import { sourceForHelpers } from '../../src/core/quiz/index.js';

function latestAttempt(h: Harness, personId: number) {
  const row = h.db.select().from(quizAttempts).where(eq(quizAttempts.personId, personId)).orderBy(desc(quizAttempts.id)).get()!;
  return attemptById(h.db, row.id)!;
}

/** Answers the question on screen, right or wrong, by pressing its buttons; returns the question. */
async function answerCurrent(h: Harness, u: TestUser, personId: number, right: boolean) {
  const a = latestAttempt(h, personId);
  const q = questionVersion(h.db, a.questions[a.position])!;
  const wrong = [...q.options.keys()].find((i) => !q.correct.includes(i))!;
  const choices = right ? q.correct : [wrong];
  if (!q.multi) await u.pressData(`qa:${a.id}:${a.position}:${choices[0]}`);
  else {
    for (const c of choices) await u.pressData(`qa:${a.id}:${a.position}:${c}`);
    await u.pressData(`qs:${a.id}:${a.position}`);
  }
  return { q, attempt: a, choices };
}

function helperId(name: string): number {
  return findPeople(hh.db, name)[0].id;
}
let hh: Harness;

describe('/quiz practice and weak spots', () => {
  it('practises a topic, records every answer, and brings a wrong answer back in weak spots', async () => {
    const h = (hh = makeHarness());
    const me = helperId('王小明');
    const u = h.user(101);
    await u.send(`/start ${h.demo.find((d) => d.name === '王小明')!.code}`);
    await u.send('/quiz');
    expect(u.lastText()).toContain('学习测验');
    await u.press('按主题练习');
    await u.press('精准识别');
    const first = u.last();
    expect(first.text).toMatch(/^第 1 题（共 5 题）·〔(国家|区级)〕精准识别/);

    // wrong answer after 5 s: recorded with the version, choice, time taken, no quiz
    h.clock.now += 5000;
    const { q: missed, attempt, choices } = await answerCurrent(h, u, me, false);
    const edited = h.tg.sent.find((m) => m.messageId === first.messageId)!;
    expect(edited.text).toContain('❌ 回答错误。正确答案：');
    const shown = sourceForHelpers(missed.source);
    if (shown) expect(edited.text).toContain(`出处：${shown}`);
    else expect(edited.text).not.toContain("出处");
    expect(edited.text).not.toMatch(/domain\.md|\[S\d+\]|\[GK\]|\[SPEECH\]/);
    expect(edited.text).toContain('解析：');
    const rows = h.db.select().from(quizAnswers).where(eq(quizAnswers.personId, me)).all();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ questionId: missed.id, version: missed.version, correct: false, ms: 5000, pushId: null });
    expect(JSON.parse(rows[0].choices)).toEqual(choices);

    // a double tap on the old question, a forged position and someone else's attempt change nothing
    const answersBefore = h.tg.callbackAnswers.length;
    await u.pressData(`qa:${attempt.id}:0:0`);
    expect(h.tg.callbackAnswers.at(-1)?.text).toBe('这个按钮已经过期了，请按最新消息中的按钮操作。');
    await u.pressData(`qa:${attempt.id}:3:0`);
    await u.pressData(`qa:${attempt.id}:1:9`);
    expect(h.tg.callbackAnswers.length).toBe(answersBefore + 3);
    const other = h.user(102);
    await other.send(`/start ${h.demo.find((d) => d.name === '李红')!.code}`);
    await other.pressData(`qa:${attempt.id}:1:0`);
    expect(h.tg.callbackAnswers.at(-1)?.text).toBe('您无权查看或修改这条记录。');
    expect(h.db.select().from(quizAnswers).all()).toHaveLength(1);
    expect(latestAttempt(h, me).position).toBe(1);

    for (let i = 0; i < 4; i++) await answerCurrent(h, u, me, true);
    expect(u.lastText()).toContain('本次测验完成：共 5 题，答对 4 题（80%）');
    expect(h.db.select().from(quizAnswers).where(eq(quizAnswers.personId, me)).all()).toHaveLength(5);
    const card = h.db.select().from(quizCards).where(eq(quizCards.questionId, missed.id)).get()!;
    expect(card).toMatchObject({ box: 1, lapses: 1 });

    // later: the wrong one is due and served first under "my weak spots"
    h.clock.now += 11 * 60 * 1000;
    await u.send('/quiz');
    expect(buttons(u.last()).map((b) => b.text)).toContain('🔁 我的错题（1 道待复习）');
    await u.press('我的错题');
    const weak = latestAttempt(h, me);
    expect(weak.kind).toBe('weak');
    expect(weak.questions[0]).toEqual({ id: missed.id, v: missed.version });
    expect(weak.questions).toHaveLength(1);
    await answerCurrent(h, u, me, true);
    expect(u.lastText()).toContain('共 1 题，答对 1 题（100%）');
    const moved = h.db.select().from(quizCards).where(eq(quizCards.questionId, missed.id)).get()!;
    expect(moved.box).toBe(2);
    await u.send('/quiz');
    // not due, but still among the most missed (1 of 2 answers wrong): the button counts what it will bring
    expect(buttons(u.last()).map((b) => b.text)).toContain('🔁 我的错题（1 道待复习）');
    await u.press('我的错题');
    expect(latestAttempt(h, me).questions[0].id).toBe(missed.id);
    assertNoRawKeys(u.takeTexts());
  });

  it('a multi-answer question toggles options and submits once', async () => {
    const h = (hh = makeHarness());
    const me = helperId('王小明');
    const u = h.user(111);
    await u.send(`/start ${h.demo.find((d) => d.name === '王小明')!.code}`);
    await u.send('/quiz');
    await u.press('按主题练习');
    await u.press('入户问什么');
    // find a multi question by answering until one comes up
    for (let i = 0; i < 5; i++) {
      const a = latestAttempt(h, me);
      const q = questionVersion(h.db, a.questions[a.position])!;
      if (q.multi) {
        await u.pressData(`qs:${a.id}:${a.position}`);
        expect(h.tg.callbackAnswers.at(-1)?.text).toBe('请先选择至少一个选项。');
        await u.pressData(`qa:${a.id}:${a.position}:${q.correct[0]}`);
        expect(buttons(u.last()).some((b) => b.text.startsWith('☑'))).toBe(true);
        for (const c of q.correct.slice(1)) await u.pressData(`qa:${a.id}:${a.position}:${c}`);
        await u.pressData(`qs:${a.id}:${a.position}`);
        await u.pressData(`qs:${a.id}:${a.position}`); // double tap
        const rows = h.db.select().from(quizAnswers).where(eq(quizAnswers.questionId, q.id)).all();
        expect(rows).toHaveLength(1);
        expect(rows[0].correct).toBe(true);
        expect(JSON.parse(rows[0].choices)).toEqual(q.correct);
        return;
      }
      await answerCurrent(h, u, me, true);
    }
    throw new Error('no multi-answer question in the topic');
  });

  it('nudges a helper with due weak spots once a day', async () => {
    const h = (hh = makeHarness());
    const me = helperId('王小明');
    const u = h.user(121);
    await u.send(`/start ${h.demo.find((d) => d.name === '王小明')!.code}`);
    await u.send('/quiz');
    await u.press('按级别练习');
    await u.press('区级');
    await answerCurrent(h, u, me, false);
    const api = new Api('0:offline', { fetch: h.tg.fetch as never });
    const gate = new SendGate(25);
    h.clock.now = Date.parse('2017-11-16T00:30:00Z'); // 08:30 in Shanghai: too early
    expect(await sendDailyNudges(jobDeps(h.deps, api), gate)).toBe(0);
    h.clock.now = Date.parse('2017-11-16T01:30:00Z'); // 09:30
    expect(await sendDailyNudges(jobDeps(h.deps, api), gate)).toBe(1);
    expect(u.lastText()).toContain('您有 1 道错题到了复习时间');
    expect(await sendDailyNudges(jobDeps(h.deps, api), gate)).toBe(0);
    h.clock.now += 24 * 3600 * 1000;
    expect(await sendDailyNudges(jobDeps(h.deps, api), gate)).toBe(1);
  });
});
