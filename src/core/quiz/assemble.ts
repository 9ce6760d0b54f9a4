import type { MessageRef } from '../text.js';
import { seededRandom, shuffled } from './random.js';
import type { Level, Question } from './types.js';

/** What a quiz should contain. */
export interface AssembleOptions {
  topic?: string;
  level?: Level;
  /** Also restrict to a region (e.g. a province's items). */
  region?: string;
  /** How many questions; ignored when `fixedIds` is given. */
  count: number;
  /** An exact list of question ids, used in the given order. */
  fixedIds?: readonly string[];
  /** Same seed + same bank → same quiz. */
  seed: string | number;
  /** Questions not in force on this ISO date (not yet, or retired) are left out (default: no date filter). */
  onDate?: string;
}

/** Whether a question's rule is in force on an ISO date: from its effective date to its retired date. */
export function inForce(q: Pick<Question, 'effectiveDate' | 'retiredDate'>, date: string): boolean {
  return q.effectiveDate <= date && (q.retiredDate === undefined || date <= q.retiredDate);
}

/** Result of assembling a quiz. `available` is the size of the matching pool. */
export type AssembleResult =
  | { ok: true; questions: Question[]; available: number }
  | { ok: false; reason: MessageRef };

/**
 * Picks questions for a quiz, deterministically for a given seed, balanced across topics:
 * topics take turns (in a seeded order), each giving its next question (seeded shuffle),
 * until `count` are chosen or the pool is exhausted.
 */
export function assembleQuiz(bank: { questions: readonly Question[] }, options: AssembleOptions): AssembleResult {
  if (options.fixedIds && options.fixedIds.length > 0) return pickFixed(bank.questions, options.fixedIds);
  if (!Number.isInteger(options.count) || options.count < 1) {
    return { ok: false, reason: { key: 'quiz.err.bad_count', params: { value: String(options.count) } } };
  }
  const pool = bank.questions.filter(
    (q) =>
      (options.topic === undefined || q.topic === options.topic) &&
      (options.level === undefined || q.level === options.level) &&
      (options.region === undefined || q.region === options.region) &&
      (options.onDate === undefined || inForce(q, options.onDate)),
  );
  if (pool.length === 0) return { ok: false, reason: { key: 'quiz.err.no_matching_questions' } };

  const random = seededRandom(options.seed);
  const byTopic = new Map<string, Question[]>();
  for (const q of pool) {
    const list = byTopic.get(q.topic);
    if (list) list.push(q);
    else byTopic.set(q.topic, [q]);
  }
  // Sort before shuffling so the result does not depend on the bank's file order of topics.
  const topics = shuffled([...byTopic.keys()].sort(), random);
  const queues = topics.map((t) => shuffled(byTopic.get(t) ?? [], random));
  const chosen: Question[] = [];
  const want = Math.min(options.count, pool.length);
  for (let round = 0; chosen.length < want; round++) {
    for (const queue of queues) {
      if (chosen.length >= want) break;
      const q = queue[round];
      if (q) chosen.push(q);
    }
  }
  return { ok: true, questions: chosen, available: pool.length };
}

function pickFixed(questions: readonly Question[], ids: readonly string[]): AssembleResult {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const out: Question[] = [];
  const unknown: string[] = [];
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    const q = byId.get(id);
    if (q) out.push(q);
    else unknown.push(id);
  }
  if (unknown.length > 0) {
    return { ok: false, reason: { key: 'quiz.err.unknown_question_ids', params: { ids: unknown.join(', ') } } };
  }
  return { ok: true, questions: out, available: out.length };
}
