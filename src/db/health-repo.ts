/** What /healthz and /metrics read from the database: is it answering, how long is the push queue, what jobs ran. */
import { count, inArray, max } from 'drizzle-orm';
import type { Db } from './client.js';
import { jobRuns, quizDeliveries } from './schema.js';

/** true when a trivial query answers (the file is open and readable). */
export function databaseAnswers(db: Db): boolean {
  try {
    return db.$client.prepare('SELECT 1 AS one').get() !== undefined;
  } catch {
    return false;
  }
}

/** Pushed-quiz deliveries waiting or in hand. */
export function pushQueueDepth(db: Db): number {
  return db.select({ n: count() }).from(quizDeliveries).where(inArray(quizDeliveries.status, ['pending', 'sending'])).get()?.n ?? 0;
}

/** Per scheduled job: slots claimed, slots finished, when the last one finished (epoch ms). */
export function jobRunSummary(db: Db): { job: string; runs: number; finished: number; lastFinishedAt: number | null }[] {
  return db
    .select({ job: jobRuns.job, runs: count(), finished: count(jobRuns.finishedAt), lastFinishedAt: max(jobRuns.finishedAt) })
    .from(jobRuns)
    .groupBy(jobRuns.job)
    .orderBy(jobRuns.job)
    .all()
    .map((r) => ({ ...r, lastFinishedAt: r.lastFinishedAt === null ? null : Number(r.lastFinishedAt) }));
}

