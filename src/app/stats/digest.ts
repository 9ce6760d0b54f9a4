/**
 * A supervisor's weekly digest: this year's totals of their scope (by helper for a unit, by town above it). Computed
 * where `/stats` pages are (the report worker, see off-thread.ts): its first run in a process loads the district's
 * snapshot, which on the bot's thread would hold up every chat's card answers meanwhile.
 */
import type { GroupBy } from '../../core/stats/index.js';
import type { SupervisorScope } from '../../core/people/scope.js';
import { localYear } from '../../core/time.js';
import { zonedYearPeriod } from '../../core/visits/pacing.js';
import { personNames } from '../../db/stats-names-repo.js';
import { groupedStats } from '../../db/stats-snapshot-repo.js';
import type { AppDeps } from '../deps.js';
import { supervisorDigestView } from '../notices.js';
import type { ChatView } from '../views.js';
import { IDLE_NAMED } from './totals.js';

export interface DigestRequest {
  name: string;
  scope: SupervisorScope;
  now: number;
}

export function digestView(deps: Pick<AppDeps, 'db' | 'config' | 'content'>, r: DigestRequest): ChatView {
  const { db, config, content } = deps;
  const year = localYear(r.now, config.timezone);
  const period = zonedYearPeriod(year, config.timezone);
  const groupBy: GroupBy = r.scope.kind === 'unit' ? 'helper' : 'town';
  const report = groupedStats(db, { supervisor: r.scope, scope: r.scope, groupBy, period, now: r.now, target: content.settings.visits.target }, config.timezone);
  const names = personNames(db, report.idleHelpers.slice(0, IDLE_NAMED).map((h) => h.id));
  return supervisorDigestView(r.name, year, report, names);
}
