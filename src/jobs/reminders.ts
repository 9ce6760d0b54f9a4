/**
 * Supervision reminders (quiz deadline reminders are in quiz-reminders.ts):
 * - every morning, helpers whose households are behind pace or overdue get one nudge naming those households;
 * - every Monday morning, supervisors get a digest of their scope's figures.
 * Slots are recorded in job_runs (see schedule.ts): a restart never sends a slot twice.
 */
import { helperNudgeView, supervisorDigestView, type BehindHousehold } from '../app/notices.js';
import type { Recipient } from '../app/notifier.js';
import type { ChatView } from '../app/views.js';
import type { Scope } from '../core/people/roles.js';
import { computeStats, type GroupBy, type StatsScope } from '../core/stats/index.js';
import { localYear } from '../core/time.js';
import { localDateToEpoch, paceFromSummary, zonedYearPeriod } from '../core/visits/pacing.js';
import { householdsOfHelper } from '../db/household-repo.js';
import { inPersonVisitDates } from '../db/visits-repo.js';
import { loadStatsData, reachableWithRole } from '../db/stats-repo.js';
import type { JobDeps } from './deps.js';
import type { SendGate } from './push-queue.js';
import { startSchedule, type ScheduledJob } from './schedule.js';

/** When the jobs run, in config.timezone. */
export const HELPER_NUDGE_PATTERN = '30 8 * * *';
export const SUPERVISOR_DIGEST_PATTERN = '0 8 * * 1';

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
      const { db, config, content } = deps;
      const now = deps.now();
      const year = localYear(now, config.timezone);
      const period = zonedYearPeriod(year, config.timezone);
      const target = content.settings.visits.target;
      let sent = 0;
      for (const helper of reachableWithRole(db, 'helper')) {
        const list = householdsOfHelper(db, helper.id);
        if (!list.length) continue;
        const visits = inPersonVisitDates(db, list.map((h) => h.id), `${year}-01-01`, `${year + 1}-01-01`);
        const behind: BehindHousehold[] = [];
        for (const h of list) {
          const dates = (visits.get(h.id) ?? []).sort();
          const last = dates.length ? localDateToEpoch(dates[dates.length - 1], config.timezone) : null;
          const p = paceFromSummary({ count: dates.length, lastVisitAt: last }, period, now, target);
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

function supervisorScope(kind: string | null, id: number | null): Scope | undefined {
  if (kind === 'district') return { kind: 'district' };
  if ((kind === 'town' || kind === 'unit') && id !== null) return { kind, id };
  return undefined;
}

/** Weekly: each supervisor gets the totals of their scope for this year, and a pointer to /stats. */
export function supervisorDigestJob(gate?: SendGate): ScheduledJob {
  return {
    name: 'supervisor-digest',
    pattern: SUPERVISOR_DIGEST_PATTERN,
    async run(deps) {
      const { db, config, content } = deps;
      const now = deps.now();
      const period = zonedYearPeriod(localYear(now, config.timezone), config.timezone);
      let sent = 0;
      for (const sup of reachableWithRole(db, 'supervisor')) {
        const scope = supervisorScope(sup.scopeKind, sup.scopeId);
        if (!scope) continue;
        const data = loadStatsData(db, scope, period, config.timezone);
        const core: StatsScope =
          scope.kind === 'district' ? { kind: 'district' } : scope.kind === 'town' ? { kind: 'town', townId: scope.id } : { kind: 'unit', unitId: scope.id };
        const groupBy: GroupBy = scope.kind === 'unit' ? 'helper' : 'town';
        const report = computeStats(data.input, { scope: core, groupBy, period, now, target: content.settings.visits.target });
        const to = { personId: sup.id, address: sup.telegramId, locale: sup.locale };
        if (await send(deps, gate, to, supervisorDigestView(sup.name, localYear(now, config.timezone), report, data.names.helper))) sent++;
      }
      return sent;
    },
  };
}

/** The supervision jobs, ticking every minute beside polling. */
export function startReminders(deps: JobDeps, gate?: SendGate): { stop(): void } {
  return startSchedule(deps, [helperNudgeJob(gate), supervisorDigestJob(gate)]);
}
