import type { NotifyingDeps } from '../app/deps.js';
import type { OffThreadReports } from '../app/stats/off-thread.js';

/**
 * What a background job may use: the application's dependencies, a way to reach people (no channel here), and the
 * report worker when the process has one.
 */
export type JobDeps = NotifyingDeps & { reports?: OffThreadReports };
