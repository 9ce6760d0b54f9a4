/**
 * Quiz feedback in Telegram: a typed letter answers like its button (under the letters as shown), the feedback names
 * the correct option's words, a letter the question does not show is refused in words, and other text is left alone.
 */
import { describe, expect, it } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import { makeHarness, type Harness } from '../support/harness.js';
import { quizAnswers, quizAttempts } from '../../src/db/schema.js';
import { questionVersion } from '../../src/db/quiz-repo.js';
import { attemptById } from '../../src/db/quiz-attempt-repo.js';
import { findPeople } from '../../src/db/people-repo.js';
import { optionOrder } from '../../src/core/quiz/index.js';

function latestAttempt(h: Harness, personId: number) {
  const row = h.db.select().from(quizAttempts).where(eq(quizAttempts.personId, personId)).orderBy(desc(quizAttempts.id)).get()!;
  return attemptById(h.db, row.id)!;
}

describe('typed answers and feedback in words', () => {
  it('a typed letter answers the question on screen; the feedback says the right option in words', async () => {
    const h = makeHarness();
    const me = findPeople(h.db, '王小明')[0].id;
    const u = h.user(201);
    await u.send(`/start ${h.demo.find((d) => d.name === '王小明')!.code}`);
    await u.send('/quiz');
    await u.press('按级别练习');
    await u.press('省级');
    const a = latestAttempt(h, me);
    const q = questionVersion(h.db, a.questions[0])!;
    expect(q.multi).toBe(false);
    const order = optionOrder(q, a.id);
    // the question shows the options in this sitting's order
    expect(u.lastText()).toContain(`A. ${q.options[order[0]].zh}`);

    // a letter it does not show: refused in words, nothing recorded
    await u.send('Ｇ');
    expect(u.lastText()).toContain('请发送题目里有的选项字母');
    expect(h.db.select().from(quizAnswers).all()).toHaveLength(0);

    // a wrong option, typed in lower case, full width
    const wrongAt = order.findIndex((i) => !q.correct.includes(i));
    const letter = 'ａｂｃｄｅｆｇｈｉｊ'[wrongAt];
    await u.send(letter);
    const rows = h.db.select().from(quizAnswers).all();
    expect(rows).toMatchObject([{ questionId: q.id, correct: false }]);
    expect(JSON.parse(rows[0].choices)).toEqual([order[wrongAt]]);
    const rightAt = order.indexOf(q.correct[0]);
    const feedback = u.inbox().map((m) => m.text ?? '').find((t) => t.includes('回答错误'))!;
    expect(feedback).toContain(`正确答案：${'ABCDEFGHIJ'[rightAt]}. ${q.options[q.correct[0]].zh}`);
    expect(feedback).toContain(`您的答案：${'ABCDEFGHIJ'[wrongAt]}. ${q.options[order[wrongAt]].zh}`);
    // the next question followed
    expect(latestAttempt(h, me).position).toBe(1);

    // other text is not an answer: the usual hint
    await u.send('你好');
    expect(h.db.select().from(quizAnswers).all()).toHaveLength(1);
  });
});
