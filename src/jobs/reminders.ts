/**
 * Supervision reminders (quiz deadline reminders are in quiz-reminders.ts):
 * - every morning, helpers whose households are behind pace or overdue get one nudge naming those households;
 * - every Monday morning, supervisors get a digest of their scope's figures.
 * Slots are recorded in job_runs (see schedule.ts): a restart never sends a slot twice.
 */
import { householdsWithPace } from '../app/households.js';
import { helperNudgeView, type BehindHousehold } from '../app/notices.js';
import { digestView } from '../app/stats/digest.js';
import type { Recipient } from '../app/notifier.js';
import type { ChatView } from '../app/views.js';
import { reachableWithRole } from '../db/stats-repo.js';
import type { JobDeps } from './deps.js';
import type { SendGate } from './push-queue.js';
import { startSchedule, type ScheduledJob } from './schedule.js';

/** When the jobs run, in config.timezone. */
const HELPER_NUDGE_PATTERN = '30 8 * * *';
const SUPERVISOR_DIGEST_PATTERN = '0 8 * * 1';

async function send(deps: JobDeps, gate: SendGate | undefined, to: Recipient, view: ChatView): Promise<boolean> {
  await gate?.wait();
  return (await deps.notifier.send(to, view)).status === 'sent';
}

/** Daily: each helper with households behind or overdue this year gets one message naming them. */
export function helperNudgeJob(gate?: SendGate): ScheduledJob {
  return {
    name: 'helper-nudge',
    pattern: HELPER_NUDGE_PATTERN,
    async run(deps) {
      let sent = 0;
      for (const helper of reachableWithRole(deps.db, 'helper')) {
        const { target, households } = householdsWithPace(deps, helper.id);
        const behind: BehindHousehold[] = [];
        for (const { household: h, pacing: p } of households) {
          if (p.pace === 'on_pace') continue;
          behind.push({ code: h.code, head: h.headName, village: h.villageName, count: p.count, pace: p.pace });
        }
        if (!behind.length) continue;
        const to = { personId: helper.id, address: helper.telegramId, locale: helper.locale };
        if (await send(deps, gate, to, helperNudgeView(helper.name, behind, target))) sent++;
      }
      return sent;
    },
  };
}

/** Weekly: each supervisor gets the totals of their scope for this year, and a pointer to /stats. */
export function supervisorDigestJob(gate?: SendGate): ScheduledJob {
  return {
    name: 'supervisor-digest',
    pattern: SUPERVISOR_DIGEST_PATTERN,
    async run(deps) {
      const now = deps.now();
      let sent = 0;
      for (const sup of reachableWithRole(deps.db, 'supervisor')) {
        if (!sup.scope) continue;
        const request = { name: sup.name, scope: sup.scope, now };
        // in the report worker when there is one (the snapshot's first load is not this thread's work)
        const view = deps.reports ? await deps.reports.digestView(request) : digestView(deps, request);
        const to = { personId: sup.id, address: sup.telegramId, locale: sup.locale };
        if (await send(deps, gate, to, view)) sent++;
      }
      return sent;
    },
  };
}

/** The supervision jobs, ticking every minute beside polling. */
export function startReminders(deps: JobDeps, gate?: SendGate): { stop(): void } {
  return startSchedule(deps, [helperNudgeJob(gate), supervisorDigestJob(gate)]);
}
