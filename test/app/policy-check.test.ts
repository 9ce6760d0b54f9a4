/** Before a visit: a three-question check on the policies this household receives or qualifies for. */
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { quizFixture, actionIds, lineWith } from './quiz-fixture.js';
import { briefing, policyCheck, POLICY_CHECK_COUNT } from '../../src/app/card/visit.js';
import { households } from '../../src/db/schema.js';
import { attemptById } from '../../src/db/quiz-attempt-repo.js';
import { questionVersion } from '../../src/db/quiz-repo.js';

describe('policy check before a visit', () => {
  it("offers three questions on the household's policies (a sick head: health policies), for its own helper only", () => {
    const f = quizFixture();
    const h = f.db.select().from(households).where(eq(households.code, 'H0001')).get()!;
    const me = f.actor('王小明');
    const b = briefing(f.deps, me, h.id);
    if (!b.ok) throw new Error(b.reason);
    expect(actionIds(b.value)).toContain(`visit:policies:${h.id}`);
    const r = policyCheck(f.deps, me, h.id);
    if (!r.ok || r.value.attemptId === undefined) throw new Error('no check');
    expect(lineWith(r.value.view, 'visit.policy_check_intro')?.params).toMatchObject({ policies: expect.stringContaining('健康扶贫') });
    const a = attemptById(f.db, r.value.attemptId)!;
    expect(a.questions.length).toBeGreaterThan(0);
    expect(a.questions.length).toBeLessThanOrEqual(POLICY_CHECK_COUNT);
    const texts = a.questions.map((ref) => questionVersion(f.db, ref)!).map((q) => q.text.zh + q.explanation.zh);
    expect(texts.some((t) => /医疗|医保|大病|慢性病|健康扶贫|签约/.test(t))).toBe(true);
    expect(lineWith(r.value.view, 'quizbot.header')?.params).toMatchObject({ n: 1 });
    // another helper's household, or not a helper
    expect(policyCheck(f.deps, f.actor('李红'), h.id)).toEqual({ ok: false, reason: 'not_yours' });
    expect(policyCheck(f.deps, f.actor('孙局长'), h.id)).toEqual({ ok: false, reason: 'not_helper' });
  });
});
