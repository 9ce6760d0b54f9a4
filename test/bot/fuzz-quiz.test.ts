/**
 * Property: during /quiz practice, whatever a helper sends (text, media, forged or stale `qa:`/`qs:` buttons, any
 * other prefix), the bot answers every update, nothing escapes, and the recorded answers are only for the
 * attempt's real questions and options, one per question, in order, with a consistent score.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { desc, eq } from 'drizzle-orm';
import { makeHarness, type Harness } from '../support/harness.js';
import { buildUpdate, checkedRun, describe as describeInput, extraBot, quizInputArb, visibleButtons, watchRejections, type FuzzInput } from '../support/fuzz-inputs.js';
import { findPeople } from '../../src/db/people-repo.js';
import { attemptById } from '../../src/db/quiz-attempt-repo.js';
import { questionVersion } from '../../src/db/quiz-repo.js';
import { quizAnswers, quizAttempts } from '../../src/db/schema.js';
import { scoreAnswer } from '../../src/core/quiz/index.js';

const SEED = 20171115;
const RUNS = 60;
const CHAT = 101;

async function startPractice(h: Harness) {
  const helper = h.demo.find((d) => d.role === 'helper')!;
  const u = h.user(CHAT);
  await u.send(`/start ${helper.code}`);
  await u.send('/quiz');
  await u.press('按主题练习');
  await u.press(/./);
  return { u, id: findPeople(h.db, helper.name)[0].id };
}

/** Everything that must hold for the stored attempts and answers of a person. */
function quizProblems(h: Harness, personId: number): string[] {
  const out: string[] = [];
  const rows = h.db.select().from(quizAnswers).all();
  for (const r of rows) if (r.personId !== personId) out.push(`answer ${r.id} stored for person ${r.personId}`);
  for (const row of h.db.select().from(quizAttempts).where(eq(quizAttempts.personId, personId)).all()) {
    const a = attemptById(h.db, row.id)!;
    const mine = rows.filter((r) => r.attemptId === a.id).sort((x, y) => x.id - y.id);
    const expected = a.finishedAt === null ? a.position : a.questions.length;
    if (mine.length !== expected) out.push(`attempt ${a.id}: ${mine.length} answers at position ${a.position}`);
    let correct = 0;
    mine.forEach((r, k) => {
      const ref = a.questions[k];
      if (!ref || ref.id !== r.questionId || ref.v !== r.version) return void out.push(`attempt ${a.id}: answer ${k} is for ${r.questionId} v${r.version}, not the question at that position`);
      const q = questionVersion(h.db, ref)!;
      const choices = JSON.parse(r.choices) as number[];
      if (!choices.length || choices.some((c) => !Number.isInteger(c) || c < 0 || c >= q.options.length)) out.push(`attempt ${a.id}: choices ${r.choices} outside the options`);
      if (!q.multi && choices.length !== 1) out.push(`attempt ${a.id}: ${choices.length} choices on a single-answer question`);
      if (scoreAnswer(q, choices).correct !== r.correct) out.push(`attempt ${a.id}: answer ${k} scored wrongly`);
      if (r.correct) correct++;
    });
    if (correct !== a.correctCount) out.push(`attempt ${a.id}: score ${a.correctCount} but ${correct} right answers`);
    const current = a.finishedAt === null ? questionVersion(h.db, a.questions[a.position]) : undefined;
    if (a.pending.some((p) => !current || p < 0 || p >= current.options.length)) out.push(`attempt ${a.id}: pending ${JSON.stringify(a.pending)} outside the options`);
  }
  return out;
}

describe('fuzzing the quiz', () => {
  it('answers every input, records only real answers to real questions, one per question', async () => {
    const rejections = watchRejections();
    let runs = 0;
    let updates = 0;
    let recorded = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(quizInputArb, { minLength: 8, maxLength: 30 }), async (inputs) => {
          runs++;
          const h = makeHarness();
          const { u, id } = await startPractice(h);
          const bot = extraBot(h);
          const latest = () => h.db.select().from(quizAttempts).where(eq(quizAttempts.personId, id)).orderBy(desc(quizAttempts.id)).get()!;
          const resolve = (input: FuzzInput): string | undefined => {
            if (input.kind === 'data') return input.data;
            if (input.kind === 'visible') {
              const all = visibleButtons(h, CHAT);
              return all.length ? all[input.n % all.length] : 'm:quiz';
            }
            if (input.kind === 'quiz') {
              const a = latest();
              const ids = [Math.max(1, a.id + input.attemptDelta), Math.max(0, a.position + input.posDelta)];
              return input.op === 'qa' ? `qa:${ids[0]}:${ids[1]}:${input.arg}` : `qs:${ids[0]}:${ids[1]}`;
            }
            return undefined;
          };
          const problems: string[] = [];
          for (const input of inputs) {
            const update = buildUpdate(h, u.user, input, resolve)!;
            updates++;
            problems.push(...(await checkedRun(h, () => bot.deliver(update), 'callback_query' in update, describeInput(input))));
            problems.push(...quizProblems(h, id));
            if (problems.length) break;
          }
          expect(problems).toEqual([]);
          recorded += h.db.select().from(quizAnswers).all().length;
          expect(h.logLines.filter((l) => /handler failed|unhandled bot error/.test(l))).toEqual([]);
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    } finally {
      rejections.stop();
    }
    expect(rejections.list).toEqual([]);
    // the fuzzing reached real answers, not only refusals
    expect(recorded).toBeGreaterThan(RUNS / 2);
    console.info(`fuzz-quiz: ${runs} cases, ${updates} fuzzed updates, ${recorded} answers recorded`);
  }, 120_000);
});
