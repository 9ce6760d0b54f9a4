/**
 * `/stats`: completion figures of a supervisor's scope for a period, grouped, with drill-down to any part inside
 * the scope and to one helper's households; the pace chart of the same figures. Every request is re-checked against
 * the supervisor's own scope: a button may be old or forged.
 */
import type { Actor } from '../../core/people/roles.js';
import type { Scope } from '../../core/people/scope.js';
import type { GroupBy, GroupStats, StatsReport } from '../../core/stats/index.js';
import { localDate } from '../../core/time.js';
import { paceOfVisits, type Pace } from '../../core/visits/pacing.js';
import { scopeName, scopeWithin } from '../../db/scope-repo.js';
import { helperHouseholdsInScope } from '../../db/stats-repo.js';
import { groupLabels, personNames } from '../../db/stats-names-repo.js';
import { groupedStats } from '../../db/stats-snapshot-repo.js';
import { ok, refuse, type AppDeps, type Result } from '../deps.js';
import { supervisorOf, type Supervisor } from '../scope.js';
import { join, msg, raw, ViewBuilder, type ChatView, type Piece } from '../views.js';
import { PERIOD_KEYS, resolvePeriod, type ResolvedPeriod } from './period.js';
import { drillRequest, GROUPS_FOR, parseRequest, requestArgs, rootRequest, type StatsRequest } from './request.js';
import { IDLE_NAMED, totalsLines } from './totals.js';
import { rulesLine } from '../rules-line.js';

/** Groups listed (and drill buttons drawn) at most; the rest are counted. */
const MAX_GROUPS = 20;

export type StatsRefusal = 'role' | 'not_yours' | 'stale';

/** The pace chart of a report, its texts still to be translated. */
export interface PaceChart {
  report: StatsReport;
  title: Piece;
  subtitle: Piece;
  legend: Record<Pace, Piece>;
  caption: Piece;
}

export interface HelperHouseholdLine {
  id: number;
  code: string;
  headName: string;
  villageName: string;
  visits: number;
  pace: Pace;
  lastVisitDate: string | null;
  openFlags: number;
}

export type StatsPage =
  | { kind: 'figures'; request: StatsRequest; report: StatsReport; view: ChatView; chart: PaceChart | undefined }
  | { kind: 'helper'; request: StatsRequest; households: HelperHouseholdLine[]; view: ChatView };

interface Checked {
  sup: Supervisor;
  request: StatsRequest;
  period: ResolvedPeriod;
  title: Piece;
  periodLabel: Piece;
  /** the rules in force at the period's end: period, household words, the figure compared with */
  rules?: Piece;
}

/** The request (the supervisor's first page when none), checked: a supervisor, well formed, inside their scope. */
function check(deps: AppDeps, actor: Actor | undefined, args: readonly string[] | undefined): Result<Checked, StatsRefusal> {
  const sup = supervisorOf(actor);
  if (!sup.ok) return sup;
  const request = args ? parseRequest(args) : rootRequest(sup.value.scope);
  if (!request) return refuse('stale');
  if (!scopeWithin(deps.db, sup.value.scope, request.scope)) return refuse('not_yours');
  const { now, config, content } = deps;
  const period = resolvePeriod(request.period, now(), config.timezone, content.settings.visits.target);
  // the rules of the period's last day (or today, for the current period)
  const rules = rulesLine(deps, localDate(Math.min(now(), period.period.endAt - 1), config.timezone));
  return ok({ sup: sup.value, request, period, title: titleOf(deps, request.scope), periodLabel: msg(period.label.key, period.label.params), rules });
}

function titleOf(deps: AppDeps, scope: Scope): Piece {
  return scope.kind === 'district' ? msg('supervise.district') : raw(scopeName(deps.db, scope) ?? '?');
}

/** The figures of a checked request: read for the supervisor's scope, narrowed to the request's. */
function reportOf(deps: AppDeps, c: Checked, groupBy: GroupBy): { report: StatsReport; helperNames: Map<number, string> } {
  const labels = groupLabels(deps.db, groupBy, c.sup.scope);
  const now = deps.now();
  const report = groupedStats(
    deps.db,
    { supervisor: c.sup.scope, scope: c.request.scope, groupBy, period: c.period.period, now: c.period.judgedAt(now), target: c.period.target, labels },
    deps.config.timezone,
  );
  // idle helpers are named: the helper grouping's labels are their names, else the few listed are read
  const helperNames = groupBy === 'helper' ? (labels as Map<number, string>) : personNames(deps.db, report.idleHelpers.slice(0, IDLE_NAMED).map((h) => h.id));
  return { report, helperNames };
}

/** One `/stats` page: without `args` the supervisor's first page, else the page a `stats:view` action names. */
export function statsPage(deps: AppDeps, actor: Actor | undefined, args?: readonly string[]): Result<StatsPage, StatsRefusal> {
  const checked = check(deps, actor, args);
  if (!checked.ok) return checked;
  const c = checked.value;
  const groupBy = c.request.groupBy;
  if (!groupBy) return ok(helperPage(deps, c));
  const { report, helperNames } = reportOf(deps, c, groupBy);
  return ok({ kind: 'figures', request: c.request, report, view: figuresView(c, report, helperNames), chart: chartOf(c, report) });
}

/** The pace chart of a `stats:chart` action; `no_chart` when the page has no groups to draw. */
export function statsChart(deps: AppDeps, actor: Actor | undefined, args: readonly string[]): Result<PaceChart, StatsRefusal | 'no_chart'> {
  const checked = check(deps, actor, args);
  if (!checked.ok) return checked;
  const c = checked.value;
  if (!c.request.groupBy) return refuse('stale');
  const chart = chartOf(c, reportOf(deps, c, c.request.groupBy).report);
  return chart ? ok(chart) : refuse('no_chart');
}

function chartOf(c: Checked, report: StatsReport): PaceChart | undefined {
  if (!report.groups.length) return undefined;
  return {
    report,
    title: msg('supervise.chart_title', { title: c.title, by: msg(`stats.group_by.${report.groupBy}`) }),
    subtitle: c.periodLabel,
    legend: { on_pace: msg('stats.pace.on_pace'), behind: msg('stats.pace.behind'), overdue: msg('stats.pace.overdue') },
    caption: msg('supervise.chart_caption', { title: c.title, period: c.periodLabel }),
  };
}

function groupLine(g: GroupStats): Piece {
  return msg('supervise.group_line', {
    label: g.label, households: g.households, visits: g.inPersonVisits, on_pace: g.pace.on_pace, behind: g.pace.behind,
    overdue: g.pace.overdue, flags: g.openFlags.total, failed: g.guarantee.failedItems,
  });
}

const marked = (on: boolean, label: Piece): Piece => (on ? join([raw('✓ '), label]) : label);

/** Title, totals, one line per group; buttons to drill into a group, regroup, change the period, draw the chart. */
function figuresView(c: Checked, r: StatsReport, helperNames: ReadonlyMap<number, string>): ChatView {
  const req = c.request;
  const groupBy = req.groupBy!;
  const v = new ViewBuilder().line(msg('supervise.title', { title: c.title, period: c.periodLabel }));
  if (c.rules) v.line(c.rules);
  v.block();
  for (const l of totalsLines(r, helperNames)) v.line(l);
  if (r.groups.length) {
    v.block().line(msg('supervise.groups_title', { by: msg(`stats.group_by.${r.groupBy}`) }));
    for (const g of r.groups.slice(0, MAX_GROUPS)) v.line(groupLine(g));
    if (r.groups.length > MAX_GROUPS) v.line(msg('supervise.more_groups', { count: r.groups.length - MAX_GROUPS }));
  }
  let inRow = 0;
  for (const g of r.groups.slice(0, MAX_GROUPS)) {
    if (typeof g.key !== 'number') continue;
    v.action(raw(`▸ ${g.label}`.slice(0, 40)), 'stats:view', ...requestArgs(drillRequest(req.period, groupBy, g.key)));
    if (++inRow % 2 === 0) v.row();
  }
  v.row();
  for (const gb of GROUPS_FOR[req.scope.kind]) v.action(marked(gb === groupBy, msg(`stats.group_by.${gb}`)), 'stats:view', ...requestArgs({ ...req, groupBy: gb }));
  v.row();
  for (const p of PERIOD_KEYS) v.action(marked(p === req.period, msg(`supervise.period_btn.p${p}`)), 'stats:view', ...requestArgs({ ...req, period: p }));
  v.row().action(msg('supervise.btn_chart'), 'stats:chart', ...requestArgs(req));
  v.row().action(msg('supervise.btn_knowledge'), 'stats:know');
  return v.build();
}

/** One helper: their households inside the supervisor's scope with visits of the period and pace; each opens. */
function helperPage(deps: AppDeps, c: Checked): StatsPage {
  const { db, config, now } = deps;
  const p = c.period;
  const helperId = c.request.scope.kind === 'helper' ? c.request.scope.id : 0;
  const rows = helperHouseholdsInScope(db, c.sup.scope, helperId, localDate(p.period.startAt, config.timezone), localDate(p.period.endAt, config.timezone));
  const households = rows.map((h): HelperHouseholdLine => ({
    id: h.id, code: h.code, headName: h.headName, villageName: h.villageName, visits: h.visits, lastVisitDate: h.lastVisitDate, openFlags: h.openFlags,
    pace: paceOfVisits({ count: h.visits, lastDate: h.lastVisitDate }, p.period, p.judgedAt(now()), p.target, config.timezone).pace,
  }));
  const v = new ViewBuilder().line(msg('supervise.helper_title', { name: c.title, period: c.periodLabel }));
  for (const h of households) {
    v.line(
      msg('supervise.helper_household', {
        code: h.code, head: h.headName, village: h.villageName, count: h.visits, target: p.target, pace: msg(`stats.pace.${h.pace}`),
        last: h.lastVisitDate ?? msg('supervise.never'), flags: h.openFlags,
      }),
    );
    v.action(raw(`${h.code} ${h.headName}`), 'stats:household', h.id).row();
  }
  if (!households.length) v.line(msg('supervise.no_households'));
  return { kind: 'helper', request: c.request, households, view: v.build() };
}
