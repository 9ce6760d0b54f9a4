/** Scheduled job runs, one row per (job, slot): inserted before anything is sent, so a slot runs at most once. */
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from './client.js';
import { jobRuns } from './schema.js';

/** Claims a slot; false when it was claimed before (by this process or an earlier one). */
export function claimJobRun(db: Db, job: string, slot: string, now: number): boolean {
  return db.insert(jobRuns).values({ job, slot, startedAt: now }).onConflictDoNothing().run().changes === 1;
}

export function finishJobRun(db: Db, job: string, slot: string, sent: number, now: number): void {
  db.update(jobRuns).set({ finishedAt: now, sent }).where(and(eq(jobRuns.job, job), eq(jobRuns.slot, slot))).run();
}

/** The latest claimed slot of a job. */
export function lastJobRun(db: Db, job: string): typeof jobRuns.$inferSelect | undefined {
  return db.select().from(jobRuns).where(eq(jobRuns.job, job)).orderBy(desc(jobRuns.slot)).get();
}

export function jobRunsOf(db: Db, job: string): (typeof jobRuns.$inferSelect)[] {
  return db.select().from(jobRuns).where(eq(jobRuns.job, job)).orderBy(jobRuns.slot).all();
}
