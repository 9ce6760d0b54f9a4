/** Requirements as content: clauses by level and region, their documents, and which bind a district on a day. Pure. */
export * from './types.js';
export { appliesTo, inForceOn, certainFrom, sameRegion } from './applies.js';
export type { Placed } from './applies.js';
export { validatePack, sourceLine, REQUIREMENT_TOPICS } from './validate.js';
export type { PackResult } from './validate.js';
export { masteryOf, RIGHT_ANSWERS_TO_KNOW } from './knowledge.js';
export type { Mastery, MasteryAnswer } from './knowledge.js';
export { splitClauses, documentHead, MAX_CLAUSES, MAX_CLAUSE_CHARS } from './split.js';
export type { Clause, DocumentHead } from './split.js';
export { draftQuestion } from './draft.js';
export type { DraftQuestion } from './draft.js';
