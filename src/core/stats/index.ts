/** Supervision figures: pure aggregation over plain rows (see `aggregate.ts` for the rules). */
export { computeStats, DEFAULT_IDLE_DAYS } from './aggregate.js';
export type * from './types.js';
