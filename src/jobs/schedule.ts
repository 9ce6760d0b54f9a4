/**
 * Scheduled jobs on cron patterns in the configured time zone (croner computes the instants). A tick looks at the
 * latest scheduled instant not after now, the job's current slot; the slot is claimed in job_runs (job, slot) before
 * anything is sent. So a slot runs at most once across restarts, and after downtime only the latest missed slot
 * runs (once), never the whole backlog. A job that has never run (a fresh database) does not catch up: its current
 * slot is only recorded, unless it fell due moments ago, so a first start does not message everyone at once.
 */
import { Cron } from 'croner';
import type { JobDeps } from './deps.js';
import { localDateTime } from '../core/time.js';
import { claimJobRun, finishJobRun, lastJobRun } from '../db/job-runs-repo.js';

/** On a job's very first tick, a slot older than this is recorded but not run. */
const FIRST_RUN_GRACE_MS = 10 * 60_000;

export interface ScheduledJob {
  name: string;
  /** five-field cron pattern, read in config.timezone */
  pattern: string;
  /** does the work of one slot; returns how many messages it sent */
  run(deps: JobDeps, slotAt: number): Promise<number>;
}

/** The latest instant of a cron pattern at or before `now` (epoch ms), or undefined if it never fired. */
export function latestSlot(pattern: string, timeZone: string, now: number): number | undefined {
  const cron = new Cron(pattern, { timezone: timeZone, paused: true });
  try {
    // previousRuns excludes the reference instant itself: look from just after now
    return cron.previousRuns(1, new Date(now + 1))[0]?.getTime();
  } finally {
    cron.stop();
  }
}

/** The slot's key in job_runs: its local time, 'YYYY-MM-DD HH:mm'. */
export function slotKey(at: number, timeZone: string): string {
  return localDateTime(at, timeZone);
}

export interface SlotRun {
  job: string;
  slot: string;
  sent: number;
}

/** Runs every job whose current slot has not been claimed yet; returns what ran. */
export async function runDueJobs(deps: JobDeps, jobs: readonly ScheduledJob[]): Promise<SlotRun[]> {
  const ran: SlotRun[] = [];
  for (const job of jobs) {
    const at = latestSlot(job.pattern, deps.config.timezone, deps.now());
    if (at === undefined) continue;
    const slot = slotKey(at, deps.config.timezone);
    const firstEver = !lastJobRun(deps.db, job.name);
    if (!claimJobRun(deps.db, job.name, slot, deps.now())) continue;
    if (firstEver && deps.now() - at > FIRST_RUN_GRACE_MS) {
      finishJobRun(deps.db, job.name, slot, 0, deps.now());
      deps.log.info({ job: job.name, slot }, 'scheduled job: first start, current slot recorded without running');
      continue;
    }
    let sent = 0;
    try {
      sent = await job.run(deps, at);
    } catch (err) {
      deps.log.error({ job: job.name, slot, err: String(err) }, 'scheduled job failed');
    }
    finishJobRun(deps.db, job.name, slot, sent, deps.now());
    deps.log.info({ job: job.name, slot, sent }, 'scheduled job ran');
    ran.push({ job: job.name, slot, sent });
  }
  return ran;
}

/**
 * Runs `tick` once shortly after start and then every `everyMs`, never two at a time; timers do not keep the
 * process alive. Shared by the reminder schedule and the quiz jobs.
 */
export function startTicker(tick: () => Promise<void>, everyMs: number, firstAfterMs: number): { stop(): void } {
  let running = false;
  const guarded = async () => {
    if (running) return;
    running = true;
    try {
      await tick();
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void guarded(), firstAfterMs);
  const timer = setInterval(() => void guarded(), everyMs);
  first.unref();
  timer.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}

export function startSchedule(deps: JobDeps, jobs: readonly ScheduledJob[], everyMs = 60_000): { stop(): void } {
  return startTicker(async () => void (await runDueJobs(deps, jobs)), everyMs, 3000);
}
