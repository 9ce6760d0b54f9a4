/** Supervision figures: pure aggregation over plain rows (see `aggregate.ts` for the rules). */
export { computeStats, DEFAULT_IDLE_DAYS } from './aggregate.js';
export type * from './types.js';
export { addDays, addMask, cutoffs, emptySums, statsFromGroups, type Cutoffs, type GroupedInput, type HouseholdSums, type ScopedHelper } from './grouped.js';
