/** The trainer's push without a bot: each step's choices, the refusals, the typed deadline, the queue and the results. */
import { describe, expect, it } from 'vitest';
import { quizFixture, actionIds, keysOf, lineWith, type QuizFixture } from './quiz-fixture.js';
import { advancePush, pushMenu, pushResults, startPush, type PushInput } from '../../src/app/quiz/push.js';
import { pushStepView, type PushDraft } from '../../src/app/quiz/push-draft.js';
import { chooseOption, submitChoices } from '../../src/app/quiz/answer.js';
import { openPushedQuiz } from '../../src/app/quiz/practice.js';
import { people, quizDeliveries, quizPushes, units } from '../../src/db/schema.js';
import { eq } from 'drizzle-orm';
import { pushById } from '../../src/db/quiz-push-repo.js';
import { questionVersion } from '../../src/db/quiz-repo.js';
import { attemptById } from '../../src/db/quiz-attempt-repo.js';

const DAY = 24 * 3600 * 1000;
const RUN = 'r1';

/** Presses the wizard's buttons in order; each must advance. */
function drive(f: QuizFixture, draft: PushDraft, presses: [string, string | number][]): PushDraft {
  let d = draft;
  for (const [what, value] of presses) {
    const r = advancePush(f.deps, f.actor('赵培训'), d, { run: RUN, what, value: String(value) });
    if (!r.ok || r.value.kind !== 'step') throw new Error(`${what}:${value} → ${JSON.stringify(r)}`);
    d = r.value.draft;
  }
  return d;
}

function started(f: QuizFixture): PushDraft {
  const r = startPush(f.deps, f.actor('赵培训'), RUN);
  if (!r.ok) throw new Error(r.reason);
  return r.value.draft;
}

const unitId = (f: QuizFixture, code: string) => f.db.select().from(units).all().find((u) => u.code === code)!.id;

describe('the push wizard', () => {
  it('is for trainers; each step offers its choices under the run', () => {
    const f = quizFixture();
    expect(pushMenu(f.deps, f.actor('王小明'))).toEqual({ ok: false, reason: 'role' });
    expect(startPush(f.deps, f.actor('孙局长'), RUN)).toEqual({ ok: false, reason: 'role' });
    const menu = pushMenu(f.deps, f.actor('赵培训'));
    expect(menu.ok && actionIds(menu.value)).toEqual(['push:new', 'stats:know', 'rules:new']);
    const s = startPush(f.deps, f.actor('赵培训'), RUN);
    if (!s.ok) throw new Error(s.reason);
    expect(s.value.draft).toEqual({ run: RUN, step: 'src', sel: { by: 'all' } });
    expect(keysOf(s.value.view)).toEqual(['push.ask_source']);
    expect(actionIds(s.value.view)).toEqual(['push:wizard:r1:by:topic', 'push:wizard:r1:by:level', 'push:wizard:r1:by:bank', 'push:wizard:r1:by:all', 'push:wizard:r1:by:req', 'push:wizard:r1:no:0']);
    const count = drive(f, s.value.draft, [['by', 'level'], ['lv', 'district']]);
    expect(actionIds(pushStepView(f.deps, count))).toEqual(['push:wizard:r1:ct:5', 'push:wizard:r1:ct:10', 'push:wizard:r1:ct:20', 'push:wizard:r1:no:0']);
    const deadline = drive(f, count, [['ct', 5], ['au', 'all']]);
    expect(deadline).toMatchObject({ step: 'deadline', sel: { by: 'level', value: 'district' }, count: 5, aud: { kind: 'all' } });
    expect(deadline.questions).toHaveLength(5);
    expect(keysOf(pushStepView(f.deps, deadline))).toEqual(['push.ask_deadline', 'push.deadline_typed']);
    // the typed example is a deadline one could give today (ten days ahead), not a date long past
    const example = lineWith(pushStepView(f.deps, deadline), 'push.deadline_typed')!.params!;
    expect(example).toMatchObject({ date: '2017-11-25', month: 11, day: 25 });
    f.clock.now = Date.parse('2026-11-30T02:00:00Z');
    expect(lineWith(pushStepView(f.deps, deadline), 'push.deadline_typed')!.params).toMatchObject({ date: '2026-12-10', month: 12, day: 10 });
  });

  it('refuses another run, another step, a value not on offer, text outside the deadline step, and a helper', () => {
    const f = quizFixture();
    const d = started(f);
    const trainer = f.actor('赵培训');
    const tries: PushInput[] = [
      { run: 'old', what: 'by', value: 'all' },
      { run: RUN, what: 'ct', value: '5' },
      { run: RUN, what: 'by', value: 'everything' },
      { run: RUN, what: 'ok', value: '0' },
      { run: RUN, what: 'zz', value: '0' },
      { text: '7' },
    ];
    for (const input of tries) expect(advancePush(f.deps, trainer, d, input)).toEqual({ ok: false, reason: 'stale' });
    const count = drive(f, d, [['by', 'all']]);
    expect(advancePush(f.deps, trainer, count, { run: RUN, what: 'ct', value: '7' })).toEqual({ ok: false, reason: 'stale' });
    expect(advancePush(f.deps, f.actor('王小明'), count, { run: RUN, what: 'ct', value: '5' })).toEqual({ ok: false, reason: 'role' });
    const cancelled = advancePush(f.deps, trainer, count, { run: RUN, what: 'no', value: '0' });
    expect(cancelled.ok && cancelled.value.kind).toBe('cancelled');
    expect(f.db.select().from(quizPushes).all()).toHaveLength(0);
  });

  it('reads a typed deadline: days, a date, a date without a year; refuses garbage and what is out of range', () => {
    const f = quizFixture();
    const trainer = f.actor('赵培训');
    const d = drive(f, started(f), [['by', 'all'], ['ct', 5], ['au', 'all']]);
    const typed = (text: string) => advancePush(f.deps, trainer, d, { text });
    const at = (text: string) => {
      const r = typed(text);
      return r.ok && r.value.kind === 'step' ? r.value.draft.deadline : r;
    };
    // now is 2017-11-15 10:00 in Shanghai
    expect(at('10')).toBe(f.clock.now + 10 * DAY);
    expect(at(' 3 天')).toBe(f.clock.now + 3 * DAY);
    expect(at('2017-11-30')).toBe(Date.parse('2017-11-30T23:59:00+08:00'));
    expect(at('2017年11月30日')).toBe(Date.parse('2017-11-30T23:59:00+08:00'));
    expect(at('12/1')).toBe(Date.parse('2017-12-01T23:59:00+08:00'));
    expect(at('11月15日')).toBe(Date.parse('2017-11-15T23:59:00+08:00'));
    expect(typed('下周')).toEqual({ ok: false, reason: 'bad_deadline' });
    expect(typed('2017-02-30')).toEqual({ ok: false, reason: 'bad_deadline' });
    expect(typed('2017-11-01')).toEqual({ ok: false, reason: 'deadline_range' });
    expect(typed('0')).toEqual({ ok: false, reason: 'deadline_range' });
    expect(typed('2018-06-01')).toEqual({ ok: false, reason: 'deadline_range' });
    const r = typed('2017-11-30');
    expect(r.ok && r.value.kind === 'step' && lineWith(r.value.view, 'push.summary')?.params).toEqual({ count: 5, recipients: 3, deadline: '2017-11-30 23:59' });
  });

  it('a unit with no helpers: the summary says so and offers no confirmation', () => {
    const f = quizFixture();
    const d = drive(f, started(f), [['by', 'all'], ['ct', 5], ['au', 'unit'], ['un', unitId(f, 'U03')], ['dl', 3]]);
    const view = pushStepView(f.deps, d);
    expect(keysOf(view)).toEqual(['push.summary', 'push.nobody']);
    expect(actionIds(view)).toEqual(['push:wizard:r1:no:0']);
    expect(advancePush(f.deps, f.actor('赵培训'), d, { run: RUN, what: 'ok', value: '0' })).toEqual({ ok: false, reason: 'stale' });
  });

  it('confirmed: the push and one pending delivery per recipient; the results follow the answers', () => {
    const f = quizFixture();
    const trainer = f.actor('赵培训');
    const d = drive(f, started(f), [['by', 'all'], ['ct', 5], ['au', 'unit'], ['un', unitId(f, 'U01')], ['dl', 7]]);
    expect(lineWith(pushStepView(f.deps, d), 'push.summary')?.params).toEqual({ count: 5, recipients: 2, deadline: '2017-11-22 10:00' });
    const r = advancePush(f.deps, trainer, d, { run: RUN, what: 'ok', value: '0' });
    if (!r.ok || r.value.kind !== 'queued') throw new Error('not queued');
    const { pushId } = r.value;
    expect(r.value.recipients).toBe(2);
    expect(actionIds(r.value.view)).toEqual([`push:results:${pushId}`]);
    expect(pushById(f.db, pushId)).toMatchObject({ trainerId: trainer.personId, audience: { kind: 'unit' }, selection: { by: 'all', count: 5 } });
    expect(f.db.select().from(quizDeliveries).all().map((x) => x.status)).toEqual(['pending', 'pending']);
    expect(f.logLines.some((l) => l.includes('"msg":"quiz pushed"'))).toBe(true);

    // 王小明 answers everything right
    const wang = f.actor('王小明');
    const opened = openPushedQuiz(f.deps, wang, pushId);
    if (!opened.ok || !opened.value.attemptId) throw new Error('not opened');
    for (let i = 0; i < 5; i++) {
      const a = attemptById(f.db, opened.value.attemptId)!;
      const q = questionVersion(f.db, a.questions[i])!;
      if (q.multi) for (const c of q.correct) chooseOption(f.deps, wang, a.id, i, c);
      const out = q.multi ? submitChoices(f.deps, wang, a.id, i) : chooseOption(f.deps, wang, a.id, i, q.correct[0]);
      expect(out.ok && out.value.kind === 'answered' && out.value.correct).toBe(true);
    }
    const results = pushResults(f.deps, trainer, pushId);
    if (!results.ok) throw new Error(results.reason);
    expect(lineWith(results.value, 'push.results_overall')?.params).toEqual({ completed: 1, assigned: 2, pct: 50, mean: { raw: '100%' } });
    expect(lineWith(results.value, 'push.results_delivery')?.params).toEqual({ sent: 0, pending: 2, failed: 0 });
    expect(lineWith(results.value, 'push.results_unit_line')?.params).toMatchObject({ unit: { raw: '区教育局' }, completed: 1, assigned: 2 });
    expect(actionIds(results.value)).toEqual([`push:results:${pushId}`]);
    // who has not answered, by name and why, never by id: 李红 never signed in
    expect(lineWith(results.value, 'push.results_not_done')?.params).toEqual({ count: 1 });
    expect(lineWith(results.value, 'push.results_not_done_line')?.params).toEqual({ name: '李红', unit: { raw: '区教育局' }, reason: { key: 'push.why.not_signed_in' } });
    // signed in and sent: not opened; then opened with one answer: started
    f.db.update(people).set({ telegramId: 777001 }).where(eq(people.id, f.actor('李红').personId)).run();
    f.db.update(quizDeliveries).set({ status: 'sent' }).run();
    const why = () => {
      const r = pushResults(f.deps, trainer, pushId);
      return r.ok ? lineWith(r.value, 'push.results_not_done_line')?.params?.reason : undefined;
    };
    expect(why()).toEqual({ key: 'push.why.not_opened' });
    const li = f.actor('李红');
    const liOpened = openPushedQuiz(f.deps, li, pushId);
    if (!liOpened.ok || !liOpened.value.attemptId) throw new Error('not opened');
    const a0 = attemptById(f.db, liOpened.value.attemptId)!;
    const q0 = questionVersion(f.db, a0.questions[0])!;
    if (q0.multi) {
      chooseOption(f.deps, li, a0.id, 0, q0.correct[0]);
      submitChoices(f.deps, li, a0.id, 0);
    } else chooseOption(f.deps, li, a0.id, 0, q0.correct[0]);
    expect(why()).toEqual({ key: 'push.why.started', params: { answered: 1, total: 5 } });
    expect(JSON.stringify(pushResults(f.deps, trainer, pushId))).not.toContain(`"${li.personId}"`);
    // the menu lists it; others may not read it (an admin may); garbage names nothing
    const menu = pushMenu(f.deps, trainer);
    expect(menu.ok && actionIds(menu.value)).toEqual(['push:new', 'stats:know', 'rules:new', `push:results:${pushId}`]);
    expect(pushResults(f.deps, wang, pushId)).toEqual({ ok: false, reason: 'not_yours' });
    expect(pushResults(f.deps, f.actor('吴主任'), pushId).ok).toBe(true);
    expect(pushResults(f.deps, trainer, 'x')).toEqual({ ok: false, reason: 'stale' });
    expect(pushResults(f.deps, trainer, pushId + 1)).toEqual({ ok: false, reason: 'stale' });
  });
});
