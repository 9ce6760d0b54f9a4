/**
 * Quiz bench: assembling + scoring a 20-question quiz from the shipped banks, and selecting a pushed quiz's
 * audience among 10,000 helpers (by unit, and by a weak topic). Each figure is the median of many runs.
 */
import { loadQuizBanksOrThrow } from '../src/content/quiz-loader.js';
import {
  assembleQuiz,
  scoreQuiz,
  selectAudience,
  topicScores,
  type AnswerRow,
  type HelperRow,
  type ScoreRow,
} from '../src/core/quiz/index.js';
import type { BenchModule, BenchTarget } from './types.js';

function median(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function measure(runs: number, fn: (i: number) => unknown): number {
  for (let i = 0; i < Math.min(20, runs); i++) fn(i); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn(i);
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

export const bench: BenchModule = {
  title: 'quiz: assembly, scoring, audience selection',
  async run(): Promise<BenchTarget[]> {
    const content = loadQuizBanksOrThrow('content/quizzes');

    let sink = 0;
    const assembleScoreMs = measure(500, (i) => {
      const r = assembleQuiz(content, { count: 20, seed: `push-${i}` });
      if (!r.ok) throw new Error('assembly failed');
      const answers = new Map(r.questions.map((q, k) => [q.id, k % 3 === 0 ? [(q.correct[0] + 1) % q.options.length] : q.correct]));
      sink += scoreQuiz(r.questions, answers).pct;
    });
    const assembleOnlyMs = measure(500, (i) => assembleQuiz(content, { count: 20, seed: `a-${i}` }));

    // first, cold (no warm-up), as a push's first selection after a start: by unit and by a weak topic together
    const many: HelperRow[] = Array.from({ length: 10_000 }, (_, i) => ({ personId: `p${i}`, unitId: `u${i % 50}`, townId: `t${i % 7}` }));
    const manyScores = many.map((h, i) => ({ personId: h.personId, topic: 'exit', pct: i % 100 }));
    const cold0 = performance.now();
    sink += selectAudience(many, manyScores, { kind: 'unit', unitId: 'u7' }).length;
    sink += selectAudience(many, manyScores, { kind: 'below', topic: 'exit', threshold: 30 }).length;
    const audienceColdMs = performance.now() - cold0;

    const topics = Object.keys(content.topics);
    const helpers: HelperRow[] = Array.from({ length: 10_000 }, (_, i) => ({ personId: `p${i}`, unitId: `u${i % 120}`, townId: `t${i % 9}` }));
    const scores: ScoreRow[] = helpers.flatMap((h, i) => topics.slice(0, 8).map((topic, k) => ({ personId: h.personId, topic, pct: (i * 7 + k * 13) % 101 })));
    const byUnitMs = measure(200, (i) => { sink += selectAudience(helpers, scores, { kind: 'unit', unitId: `u${i % 120}` }).length; });
    const byWeakTopicMs = measure(200, (i) => {
      sink += selectAudience(helpers, scores, { kind: 'below', topic: topics[i % 8], threshold: 60 }).length;
    });

    // Side figure: deriving the topic scores themselves from 200,000 answer rows (not a target).
    const questions = content.questions;
    const topicOf = new Map(questions.map((q) => [q.id, q.topic]));
    const answers: AnswerRow[] = Array.from({ length: 200_000 }, (_, i) => ({
      personId: `p${i % 10_000}`, questionId: questions[i % questions.length].id, questionVersion: 1,
      choices: [0], correct: i % 3 !== 0, ms: 4000, quizId: null, at: i,
    }));
    const scoresFromRowsMs = measure(5, () => { sink += topicScores(answers, topicOf).length; });

    const audienceMs = Math.max(byUnitMs, byWeakTopicMs);
    console.log(`  bank: ${questions.length} questions in ${content.banks.length} files; ${scores.length} score rows for 10,000 helpers`);
    console.log(`  assemble 20 questions          ${assembleOnlyMs.toFixed(4)} ms   | assemble + score 20: ${assembleScoreMs.toFixed(4)} ms`);
    console.log(`  audience by unit (10,000)      ${byUnitMs.toFixed(4)} ms   | by weak topic (<60%): ${byWeakTopicMs.toFixed(4)} ms`);
    console.log(`  audience, first selection after start (unit + weak topic, cold): ${audienceColdMs.toFixed(2)} ms`);
    console.log(`  topic scores from 200,000 answer rows: ${scoresFromRowsMs.toFixed(1)} ms (side figure)`);
    if (sink === -1) console.log('');
    return [
      { name: 'quiz_assemble_score_ms', measured: assembleScoreMs, limit: 5, unit: 'ms' },
      { name: 'audience_select_ms', measured: audienceMs, limit: 50, unit: 'ms' },
      { name: 'audience_select_cold_ms', measured: audienceColdMs, limit: 50, unit: 'ms' },
    ];
  },
};
