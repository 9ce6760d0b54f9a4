import { Composer, InlineKeyboard, InputFile } from 'grammy';
import { computeStats, type GroupBy, type StatsReport, type StatsScope } from '../../core/stats/index.js';
import { supervisorScope, type Scope } from '../../core/people/roles.js';
import { localDate } from '../../core/time.js';
import { localDateToEpoch, paceFromSummary } from '../../core/visits/pacing.js';
import { renderPaceChartPng } from '../../reports/chart.js';
import {
  helperHouseholdsInScope, householdInScope, loadStatsData, viewInScope, viewName, type ViewKind,
} from '../../db/stats-repo.js';
import { latestCard } from '../../db/cards-repo.js';
import { openFlagsOfHousehold } from '../../db/flags-repo.js';
import { householdBrief } from '../../db/household-repo.js';
import { flagMessage } from '../../core/visits/risk-flags.js';
import { openReviewsOfCard } from '../../db/review-repo.js';
import type { BotContext } from '../context.js';
import { cb, parseCb, parseId } from '../callback-data.js';
import { GROUP_OF_CODE, GROUPS_FOR, statsKeyboard, statsText } from '../render/stats.js';
import { isPeriodKey, resolvePeriod, type PeriodKey } from '../render/stats-period.js';
import { failedItems } from '../../core/visits/guarantees.js';

/** `/stats`: completion figures for the supervisor's scope, drill-down by buttons, a chart as PNG. */
export const statsFeature = new Composer<BotContext>();

/** The supervisor's scope, or a refusal sent (callback alert or message). */
export async function requireScope(ctx: BotContext): Promise<Scope | undefined> {
  const scope = supervisorScope(ctx.actor);
  if (scope) return scope;
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t('refuse.role'), show_alert: true });
  else await ctx.reply(ctx.t('refuse.role'));
  return undefined;
}

export async function refuseNotYours(ctx: BotContext): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t('refuse.not_yours'), show_alert: true });
  else await ctx.reply(ctx.t('refuse.not_yours'));
}

interface View {
  kind: ViewKind;
  id: number;
  period: PeriodKey;
  groupBy?: GroupBy;
}

function rootView(scope: Scope): View {
  if (scope.kind === 'district') return { kind: 'd', id: 0, period: 'y', groupBy: 'town' };
  if (scope.kind === 'town') return { kind: 't', id: scope.id, period: 'y', groupBy: 'village' };
  return { kind: 'u', id: scope.id, period: 'y', groupBy: 'helper' };
}

function coreScope(v: View): StatsScope {
  switch (v.kind) {
    case 'd':
      return { kind: 'district' };
    case 't':
      return { kind: 'town', townId: v.id };
    case 'v':
      return { kind: 'village', villageId: v.id };
    case 'u':
      return { kind: 'unit', unitId: v.id };
    case 'h':
      return { kind: 'helper', helperId: v.id };
  }
}

/** Parses `<prefix>:<period>:<groupBy|->:<view>:<id>`; undefined when malformed. */
function parseView(data: string | undefined, prefix: string): View | undefined {
  const p = parseCb(data, prefix, 4);
  if (!p || !isPeriodKey(p[0])) return undefined;
  const kind = p[2] as ViewKind;
  if (!['d', 't', 'v', 'u', 'h'].includes(kind)) return undefined;
  const id = kind === 'd' ? (p[3] === '0' ? 0 : undefined) : parseId(p[3]);
  if (id === undefined) return undefined;
  if (kind === 'h') return p[1] === '-' ? { kind, id, period: p[0] } : undefined;
  const groupBy = GROUP_OF_CODE[p[1]];
  if (!groupBy || !GROUPS_FOR[kind].includes(groupBy)) return undefined;
  return { kind, id, period: p[0], groupBy };
}

function title(ctx: BotContext, v: View): string {
  return v.kind === 'd' ? ctx.t('supervise.district') : (viewName(ctx.deps.db, v.kind, v.id) ?? '?');
}

/** Computes the report of a view, inside the supervisor's scope. */
export function reportFor(
  ctx: BotContext,
  scope: Scope,
  v: View & { groupBy: GroupBy },
): { report: StatsReport; periodLabel: string; helperNames: Map<number, string> } {
  const { db, config, content, now } = ctx.deps;
  const p = resolvePeriod(v.period, now(), config.timezone, content.settings.visits.target);
  const data = loadStatsData(db, scope, p.period, config.timezone);
  const labels = new Map<number | string, string>(data.names[v.groupBy]);
  const report = computeStats(data.input, { scope: coreScope(v), groupBy: v.groupBy, period: p.period, now: p.judgedAt(now()), target: p.target, labels });
  return { report, periodLabel: ctx.t(p.label.key, p.label.params), helperNames: data.names.helper };
}

async function showView(ctx: BotContext, scope: Scope, v: View, withChart: boolean): Promise<void> {
  if (!viewInScope(ctx.deps.db, scope, v.kind, v.id)) return refuseNotYours(ctx);
  if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  if (v.kind === 'h') return showHelper(ctx, scope, v);
  const view = { ...v, groupBy: v.groupBy! };
  const { report, periodLabel, helperNames } = reportFor(ctx, scope, view);
  await ctx.reply(statsText(report, title(ctx, v), periodLabel, ctx.t, helperNames), { reply_markup: statsKeyboard(report, view, ctx.t) });
  if (withChart) await sendChart(ctx, report, title(ctx, v), periodLabel);
}

async function sendChart(ctx: BotContext, report: StatsReport, name: string, periodLabel: string): Promise<void> {
  if (!report.groups.length) return;
  const png = renderPaceChartPng(report, {
    title: ctx.t('supervise.chart_title', { title: name, by: ctx.t(`stats.group_by.${report.groupBy}`) }),
    subtitle: periodLabel,
    onPace: ctx.t('stats.pace.on_pace'),
    behind: ctx.t('stats.pace.behind'),
    overdue: ctx.t('stats.pace.overdue'),
  });
  await ctx.replyWithPhoto(new InputFile(png, 'chart.png'), { caption: ctx.t('supervise.chart_caption', { title: name, period: periodLabel }) });
}

/** One helper: their households in the scope with visits X of target, pace, flags; each opens the household. */
async function showHelper(ctx: BotContext, scope: Scope, v: View): Promise<void> {
  const { db, config, content, now } = ctx.deps;
  const p = resolvePeriod(v.period, now(), config.timezone, content.settings.visits.target);
  const from = localDate(p.period.startAt, config.timezone);
  const to = localDate(p.period.endAt, config.timezone);
  const list = helperHouseholdsInScope(db, scope, v.id, from, to);
  const lines = [ctx.t('supervise.helper_title', { name: title(ctx, v), period: ctx.t(p.label.key, p.label.params) })];
  const kb = new InlineKeyboard();
  for (const h of list) {
    const last = h.lastVisitDate ? localDateToEpoch(h.lastVisitDate, config.timezone) : null;
    const pace = paceFromSummary({ count: h.visits, lastVisitAt: last }, p.period, p.judgedAt(now()), p.target).pace;
    lines.push(
      ctx.t('supervise.helper_household', {
        code: h.code, head: h.headName, village: h.villageName, count: h.visits, target: p.target,
        pace: ctx.t(`stats.pace.${pace}`), last: h.lastVisitDate ?? ctx.t('supervise.never'), flags: h.openFlags,
      }),
    );
    kb.text(`${h.code} ${h.headName}`, cb('sh', h.id)).row();
  }
  if (!list.length) lines.push(ctx.t('supervise.no_households'));
  await ctx.reply(lines.join('\n'), { reply_markup: kb });
}

statsFeature.command('stats', async (ctx) => {
  const scope = await requireScope(ctx);
  if (scope) await showView(ctx, scope, rootView(scope), true);
});
statsFeature.callbackQuery('m:stats', async (ctx) => {
  const scope = await requireScope(ctx);
  if (scope) await showView(ctx, scope, rootView(scope), true);
});

statsFeature.callbackQuery(/^st:/, async (ctx) => {
  const scope = await requireScope(ctx);
  if (!scope) return;
  const v = parseView(ctx.callbackQuery.data, 'st');
  if (!v) return void (await ctx.answerCallbackQuery({ text: ctx.t('refuse.stale'), show_alert: true }));
  await showView(ctx, scope, v, false);
});

statsFeature.callbackQuery(/^sc:/, async (ctx) => {
  const scope = await requireScope(ctx);
  if (!scope) return;
  const v = parseView(ctx.callbackQuery.data, 'sc');
  if (!v || v.kind === 'h') return void (await ctx.answerCallbackQuery({ text: ctx.t('refuse.stale'), show_alert: true }));
  if (!viewInScope(ctx.deps.db, scope, v.kind, v.id)) return refuseNotYours(ctx);
  await ctx.answerCallbackQuery();
  const { report, periodLabel } = reportFor(ctx, scope, { ...v, groupBy: v.groupBy! });
  if (!report.groups.length) return void (await ctx.reply(ctx.t('supervise.no_chart')));
  await sendChart(ctx, report, title(ctx, v), periodLabel);
});

/** A household in the scope: its latest card at a glance, its open flags (each opens), the whole card, send back. */
statsFeature.callbackQuery(/^sh:/, async (ctx) => {
  const scope = await requireScope(ctx);
  if (!scope) return;
  const id = parseId(parseCb(ctx.callbackQuery.data, 'sh', 1)?.[0]);
  const { db } = ctx.deps;
  if (!id || !householdInScope(db, scope, id)) return refuseNotYours(ctx);
  await ctx.answerCallbackQuery();
  const h = householdBrief(db, id)!;
  const card = latestCard(db, id);
  const lines = [ctx.t('supervise.household_title', { code: h.code, head: h.headName, village: h.villageName })];
  const kb = new InlineKeyboard();
  if (!card) lines.push(ctx.t('supervise.no_card'));
  else {
    const answers = card.answers;
    lines.push(ctx.t('supervise.card_line', { date: card.visitDate, mode: card.visitMode, revision: card.revision }));
    const failed = failedItems(answers).map((item) => ctx.t(`stats.guarantee.${item}`));
    lines.push(failed.length ? ctx.t('supervise.card_failed', { list: failed.join('、') }) : ctx.t('supervise.card_all_met'));
    const flags = openFlagsOfHousehold(db, id);
    lines.push(ctx.t('supervise.card_flags', { count: flags.length }));
    for (const f of flags) {
      const m = flagMessage(f.code, f.params);
      lines.push(`  🚩 ${ctx.t(m.key, m.params)}`);
      kb.text(`🚩 ${ctx.t(m.key, m.params)}`.slice(0, 40), cb('fl', 'o', f.id)).row();
    }
    const open = openReviewsOfCard(db, card.id);
    if (open.length) lines.push(ctx.t('supervise.card_under_review', { count: open.length }));
    kb.text(ctx.t('flags.btn_card'), cb('fl', 'c', card.id)).text(ctx.t('review.btn_send_back'), cb('rv', 'c', card.id)).row();
  }
  await ctx.reply(lines.join('\n'), { reply_markup: kb });
});
