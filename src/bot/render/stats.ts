/** `/stats` as phone text and buttons: totals first, then one short line per group; drill-down and period buttons. */
import { GUARANTEE_ITEMS } from '../../core/visits/guarantees.js';
import { InlineKeyboard } from 'grammy';
import type { GroupBy, GroupStats, StatsReport } from '../../core/stats/index.js';
import type { ViewKind } from '../../db/stats-repo.js';
import type { Translate } from '../../i18n.js';
import { cb } from '../callback-data.js';
import { PERIOD_KEYS, type PeriodKey } from './stats-period.js';

/** Group-by choices per view (a single helper's view lists households instead). */
export const GROUPS_FOR: Record<ViewKind, GroupBy[]> = {
  d: ['town', 'unit', 'village', 'helper'],
  t: ['village', 'unit', 'helper'],
  u: ['helper', 'village'],
  v: ['helper'],
  h: [],
};

/** Group-by as one letter in callback data, and back. */
export const GROUP_CODE: Record<GroupBy, string> = { town: 't', unit: 'u', village: 'v', helper: 'h' };
export const GROUP_OF_CODE: Record<string, GroupBy> = { t: 'town', u: 'unit', v: 'village', h: 'helper' };
/** A group's key opens this view. */
export const DRILL_KIND: Record<GroupBy, ViewKind> = { town: 't', unit: 'u', village: 'v', helper: 'h' };

/** Callback data of a stats view: `st:<period>:<groupBy|->:<view>:<id>`. */
export function statsCb(period: PeriodKey, groupBy: GroupBy | undefined, kind: ViewKind, id: number): string {
  return cb('st', period, groupBy ? GROUP_CODE[groupBy] : '-', kind, id);
}

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x)}%`);

/**
 * The totals block. `helperNames` names idle helpers: the report's own labels are those of its groups (town, unit…),
 * whose ids may coincide with helper ids.
 */
export function totalsLines(r: StatsReport, t: Translate, helperNames: ReadonlyMap<number | string, string>): string[] {
  const s = r.totals;
  const lines = [
    t('supervise.households_line', { households: s.households, visits: s.inPersonVisits, target: r.target }),
    t('supervise.pace_line', { on_pace: s.pace.on_pace, behind: s.pace.behind, overdue: s.pace.overdue }),
    t('supervise.target_met_line', { target: r.target, count: s.targetMet }),
    t('supervise.cards_line', { complete: s.cards.complete, total: s.cards.total, households: s.cards.householdsWithComplete }),
    t('supervise.flags_line', { total: s.openFlags.total, households: s.openFlags.households }),
  ];
  const items = GUARANTEE_ITEMS.flatMap((item) => (s.guarantee.byItem[item] ? [[item, s.guarantee.byItem[item]] as const] : []))
    .sort((a, b) => b[1] - a[1])
    .map(([item, n]) => `${t(`stats.guarantee.${item}`)} ${n}`)
    .join('、');
  lines.push(
    s.guarantee.failedItems
      ? t('supervise.guarantee_line', { items: s.guarantee.failedItems, households: s.guarantee.households, list: items })
      : t('supervise.guarantee_none'),
  );
  const idle = r.idleHelpers
    .slice(0, 8)
    .map((h) => {
      const name = helperNames.get(h.id) ?? String(h.id);
      return h.daysSince === null ? t('supervise.idle_never', { name }) : t('supervise.idle_days', { name, days: h.daysSince });
    })
    .join('、');
  lines.push(
    t('supervise.idle_line', { days: r.idleDays, idle: s.helpers.idle, total: s.helpers.total }) +
      (idle ? `：${idle}${r.idleHelpers.length > 8 ? '…' : ''}` : ''),
  );
  lines.push(
    s.quiz.assigned
      ? t('supervise.quiz_line', { completion: pct(s.quiz.completionPct), done: s.quiz.done, assigned: s.quiz.assigned, score: pct(s.quiz.meanScorePct) })
      : t('supervise.quiz_none'),
  );
  return lines;
}

/** One group in one line. */
export function groupLine(g: GroupStats, t: Translate): string {
  return t('supervise.group_line', {
    label: g.label,
    households: g.households,
    visits: g.inPersonVisits,
    on_pace: g.pace.on_pace,
    behind: g.pace.behind,
    overdue: g.pace.overdue,
    flags: g.openFlags.total,
    failed: g.guarantee.failedItems,
  });
}

/** The whole message: title, period, totals, groups (at most `maxGroups`, the rest counted). */
export function statsText(
  r: StatsReport,
  title: string,
  periodLabel: string,
  t: Translate,
  helperNames: ReadonlyMap<number | string, string>,
  maxGroups = 20,
): string {
  const out = [t('supervise.title', { title, period: periodLabel }), '', ...totalsLines(r, t, helperNames)];
  if (r.groups.length) {
    out.push('', t('supervise.groups_title', { by: t(`stats.group_by.${r.groupBy}`) }));
    for (const g of r.groups.slice(0, maxGroups)) out.push(groupLine(g, t));
    if (r.groups.length > maxGroups) out.push(t('supervise.more_groups', { count: r.groups.length - maxGroups }));
  }
  return out.join('\n');
}

/** Buttons: one per group (drill down), group-by choices, periods, the chart. */
export function statsKeyboard(
  r: StatsReport,
  view: { kind: ViewKind; id: number; period: PeriodKey; groupBy: GroupBy },
  t: Translate,
  maxGroups = 20,
): InlineKeyboard {
  const kb = new InlineKeyboard();
  const drill = DRILL_KIND[view.groupBy];
  const nextGroup = (k: ViewKind): GroupBy | undefined => GROUPS_FOR[k][0];
  r.groups.slice(0, maxGroups).forEach((g, i) => {
    if (typeof g.key !== 'number') return;
    kb.text(`▸ ${g.label}`.slice(0, 40), statsCb(view.period, nextGroup(drill), drill, g.key));
    if (i % 2 === 1) kb.row();
  });
  kb.row();
  for (const gb of GROUPS_FOR[view.kind]) {
    const mark = gb === view.groupBy ? '✓ ' : '';
    kb.text(`${mark}${t(`stats.group_by.${gb}`)}`, statsCb(view.period, gb, view.kind, view.id));
  }
  kb.row();
  for (const p of PERIOD_KEYS) {
    const mark = p === view.period ? '✓ ' : '';
    kb.text(`${mark}${t(`supervise.period_btn.p${p}`)}`, statsCb(p, view.groupBy, view.kind, view.id));
  }
  kb.row().text(t('supervise.btn_chart'), cb('sc', view.period, GROUP_CODE[view.groupBy], view.kind, view.id));
  return kb;
}
