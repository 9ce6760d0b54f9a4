/**
 * Quiz results of a period as `/stats` counts them, from each push's deliveries and finished attempts: a person with
 * n assignments, k finished and score sum S becomes a row of k done with the score S / k and a row of n − k not done
 * (so completion and mean score come out exactly as from one row per assignment). Sums run in push order, then
 * attempt order, so the snapshot and the recount add the same floats in the same order.
 */
import type { Period } from '../visits/pacing.js';
import type { QuizResultRow } from './types.js';

export interface QuizPush {
  id: number;
  createdAt: number;
  /** questions in the push */
  total: number;
  /** person → deliveries of the push */
  assigned: Map<number, number>;
  /** finished attempts, in attempt order: person, correct answers */
  finished: [number, number][];
}

/** `unitOf` gives a person's unit (0 for none), undefined for someone who is not in the people table. */
export function quizResults(pushes: Iterable<QuizPush>, period: Period, unitOf: (personId: number) => number | undefined): QuizResultRow[] {
  const inPeriod = [...pushes].filter((p) => p.createdAt >= period.startAt && p.createdAt < period.endAt).sort((a, b) => a.id - b.id);
  const people = new Map<number, { n: number; k: number; sum: number; scored: number }>();
  const of = (pid: number) => {
    let x = people.get(pid);
    if (!x) people.set(pid, (x = { n: 0, k: 0, sum: 0, scored: 0 }));
    return x;
  };
  for (const p of inPeriod) {
    for (const [pid, n] of p.assigned) of(pid).n += n;
    for (const [pid, correct] of p.finished) {
      const x = of(pid);
      x.k++;
      if (p.total > 0) {
        x.sum += (correct * 100) / p.total;
        x.scored++;
      }
    }
  }
  const out: QuizResultRow[] = [];
  for (const pid of [...people.keys()].sort((a, b) => a - b)) {
    const x = people.get(pid)!;
    const unitId = unitOf(pid);
    if (!x.n || unitId === undefined) continue;
    const score = x.scored ? x.sum / x.scored : null;
    const k = Math.min(x.k, x.n);
    if (k > 0) out.push({ personId: pid, unitId, quizId: 0, done: true, scorePct: score, count: k });
    if (x.n > k) out.push({ personId: pid, unitId, quizId: 1, done: false, scorePct: null, count: x.n - k });
  }
  return out;
}
