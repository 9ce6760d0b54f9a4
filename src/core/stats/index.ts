/** Supervision figures: pure aggregation over plain rows (see `aggregate.ts` for the rules). */
export { computeStats, DEFAULT_IDLE_DAYS } from './aggregate.js';
export type * from './types.js';
export { addDays, addMask, cutoffs, emptySparse, rowWidth, ROW, statsFromSlots, type Cutoffs, type ScopedHelper, type SlotInput, type SparseSums } from './grouped.js';
