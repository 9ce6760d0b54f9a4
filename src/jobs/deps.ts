import type { AppDeps } from '../app/deps.js';
import type { Notifier } from '../app/notifier.js';

/** What a background job may use: the application's dependencies and a way to reach people (no channel here). */
export interface JobDeps extends AppDeps {
  notifier: Notifier;
}
