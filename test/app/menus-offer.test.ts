/**
 * Only what exists is offered: every level, topic and bank a helper's practice menu or a trainer's push wizard shows
 * leads to questions, never to "this button expired"; and the two menus offer the same levels and topics. Checked for
 * the demo district, for a district whose province and city ship no pack, and on a day before most content took force.
 */
import { describe, expect, it } from 'vitest';
import { quizFixture, actionIds, type QuizFixture } from './quiz-fixture.js';
import { advancePush, startPush } from '../../src/app/quiz/push.js';
import { pushStepView, type PushDraft } from '../../src/app/quiz/push-draft.js';
import { levelChoices, practise, topicChoices } from '../../src/app/quiz/practice.js';
import { catalogOf } from '../../src/app/quiz/catalog.js';
import type { AppDeps } from '../../src/app/deps.js';

const RUN = 'r1';

/** The wizard's choices on screen for a draft, as [what, value], cancel left out. */
function choices(deps: AppDeps, d: PushDraft): [string, string][] {
  return actionIds(pushStepView(deps, d))
    .map((id) => id.split(':'))
    .filter((p) => p[0] === 'push' && p[3] !== 'no')
    .map((p) => [p[3]!, p[4]!]);
}

/**
 * Presses every question-choosing button of the wizard (source, then each topic / level / bank, then each count):
 * each must move the draft on. Returns what was offered, by kind.
 */
function walkPush(deps: AppDeps, trainer: ReturnType<QuizFixture['actor']>): { levels: string[]; topics: string[]; dead: string[] } {
  const s = startPush(deps, trainer, RUN);
  if (!s.ok) throw new Error(s.reason);
  const dead: string[] = [];
  const offered = { levels: [] as string[], topics: [] as string[] };
  const press = (d: PushDraft, what: string, value: string): PushDraft | undefined => {
    const r = advancePush(deps, trainer, d, { run: RUN, what, value });
    if (!r.ok || r.value.kind !== 'step') {
      dead.push(`${d.sel.by}/${d.sel.value ?? ''} ${what}:${value} → ${r.ok ? r.value.kind : r.reason}`);
      return undefined;
    }
    return r.value.draft;
  };
  for (const [what, value] of choices(deps, s.value.draft)) {
    const second = press(s.value.draft, what, value);
    if (!second) continue;
    const pickers = second.step === 'count' ? [second] : choices(deps, second).map(([w, v]) => {
      if (w === 'lv') offered.levels.push(v);
      if (w === 'tp') offered.topics.push(v);
      return press(second, w, v);
    });
    for (const atCount of pickers) {
      if (!atCount) continue;
      for (const [w, v] of choices(deps, atCount)) {
        const aud = press(atCount, w, v);
        if (aud) expect(aud.questions?.length).toBeGreaterThan(0);
      }
    }
  }
  return { ...offered, dead };
}

/** Presses every level and topic of the helper's practice menus: each must start a sitting. */
function walkPractice(deps: AppDeps, helper: ReturnType<QuizFixture['actor']>): { levels: string[]; topics: string[]; dead: string[] } {
  const dead: string[] = [];
  const lv = levelChoices(deps, helper);
  const tp = topicChoices(deps, helper);
  if (!lv.ok || !tp.ok) throw new Error('menus refused');
  const levels = actionIds(lv.value).filter((a) => a.startsWith('quiz:level:')).map((a) => a.split(':')[2]!);
  const topics = actionIds(tp.value).filter((a) => a.startsWith('quiz:topic:')).map((a) => a.split(':')[2]!);
  for (const level of levels) {
    const r = practise(deps, helper, { level });
    if (!r.ok || r.value.attemptId === undefined) dead.push(`level ${level}`);
  }
  for (const topic of topics) {
    const r = practise(deps, helper, { topic });
    if (!r.ok || r.value.attemptId === undefined) dead.push(`topic ${topic}`);
  }
  return { levels, topics, dead };
}

function check(deps: AppDeps, f: QuizFixture): { levels: string[] } {
  const push = walkPush(deps, f.actor('赵培训'));
  const practice = walkPractice(deps, f.actor('王小明'));
  expect(push.dead).toEqual([]);
  expect(practice.dead).toEqual([]);
  // the helper's and the trainer's menus agree
  expect(push.levels).toEqual(practice.levels);
  expect([...push.topics].sort()).toEqual([...practice.topics].sort());
  // and offer exactly what the catalogue holds
  expect(push.levels).toEqual([...new Set(catalogOf(deps).questions.map((q) => q.level))].sort((a, b) => ['national', 'provincial', 'municipal', 'district'].indexOf(a) - ['national', 'provincial', 'municipal', 'district'].indexOf(b)));
  return { levels: push.levels };
}

const withPlace = (deps: AppDeps, requirements: { province?: string; city?: string }): AppDeps => ({
  ...deps,
  content: { ...deps.content, settings: { ...deps.content.settings, requirements } },
});

describe('menus offer only what has questions in force', () => {
  it('the demo district: national, its province, its city and the district, every button leading to questions', () => {
    const f = quizFixture();
    expect(check(f.deps, f).levels).toEqual(['national', 'provincial', 'municipal', 'district']);
  });

  it('a district whose province and city ship no pack: no 省级 or 市级 on offer', () => {
    const f = quizFixture();
    expect(check(withPlace(f.deps, { province: '河南省', city: '郑州市' }), f).levels).toEqual(['national', 'district']);
  });

  it('another province and city with packs: theirs, and no other province\'s', () => {
    const f = quizFixture();
    const deps = withPlace(f.deps, { province: '海南省', city: '海口市' });
    f.clock.now = Date.parse('2019-03-01T02:00:00Z');
    expect(check(deps, f).levels).toEqual(['national', 'municipal', 'district']);
    expect(catalogOf(deps).questions.filter((q) => q.level === 'municipal').every((q) => q.region === '海口市')).toBe(true);
  });

  it('on a day before the district bank took force, the levels it fills are not offered', () => {
    const f = quizFixture();
    f.clock.now = Date.parse('2016-06-01T02:00:00Z');
    const levels = check(f.deps, f).levels;
    expect(levels).not.toContain('district');
  });
});
