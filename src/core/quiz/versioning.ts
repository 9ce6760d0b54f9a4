import type { Question } from './types.js';

/**
 * True when what a helper sees or is scored on differs between two versions of a question:
 * text, options, correct answer(s), single/multi, or explanation. Level, topic, source and dates do not count.
 */
export function questionContentChanged(prev: Question, next: Question): boolean {
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  return !(
    same(prev.text, next.text) &&
    same(prev.options, next.options) &&
    same(prev.correct, next.correct) &&
    prev.multi === next.multi &&
    same(prev.explanation, next.explanation)
  );
}

/**
 * Version to store when `next` replaces `prev` (e.g. on re-import): unchanged content keeps the stored version;
 * changed content gets at least prev.version + 1, so answers already given stay tied to the version they saw.
 */
export function nextQuestionVersion(prev: Question, next: Question): number {
  if (!questionContentChanged(prev, next)) return Math.max(prev.version, next.version);
  return Math.max(prev.version + 1, next.version);
}
