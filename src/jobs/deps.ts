import type { NotifyingDeps } from '../app/deps.js';

/** What a background job may use: the application's dependencies and a way to reach people (no channel here). */
export type JobDeps = NotifyingDeps;
