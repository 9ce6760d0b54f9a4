import type { JobDeps } from './deps.js';
import { pruneProcessed } from '../db/updates-repo.js';
import { SendGate, startPushQueue } from './push-queue.js';
import { startQuizJobs } from './quiz-reminders.js';
import { startReminders } from './reminders.js';
import { startBackups } from './backup.js';

export interface Background {
  stop(): Promise<void>;
}

/** Timers that run beside polling: housekeeping now; reminders and the push queue join here. */
export function startBackground(deps: JobDeps): Background {
  const prune = setInterval(() => pruneProcessed(deps.db, deps.now() - 2 * 24 * 3600 * 1000), 3600 * 1000);
  prune.unref();
  // pushed quizzes, reminders and nudges share one pace (config.sendRatePerSecond)
  const sendGate = new SendGate(deps.config.sendRatePerSecond);
  const pushQueue = startPushQueue(deps, sendGate);
  const quizJobs = startQuizJobs(deps, sendGate);
  const reminders = startReminders(deps, sendGate);
  const backups = deps.config.databasePath === ':memory:' ? undefined : startBackups(deps);
  return {
    async stop() {
      clearInterval(prune);
      quizJobs.stop();
      reminders.stop();
      backups?.stop();
      await pushQueue.stop();
    },
  };
}
