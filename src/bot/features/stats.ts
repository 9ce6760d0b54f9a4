/** `/stats`: the figures of the supervisor's scope (src/app/stats), drill-down by buttons, a chart as PNG. */
import { Composer, InputFile } from 'grammy';
import { statsChart, statsPage, type PaceChart } from '../../app/stats/page.js';
import { supervisedHousehold } from '../../app/stats/household.js';
import { coverageView } from '../../app/quiz/coverage.js';
import type { Piece } from '../../app/views.js';
import { renderPaceChartPng } from '../../reports/chart.js';
import { encodeAction, onAction, positiveId } from '../actions.js';
import type { BotContext, ChatContext } from '../context.js';
import { renderPiece } from '../render/view.js';
import { ack, refuseWith, replyView } from '../render/send.js';

export const statsFeature = new Composer<BotContext>();

async function sendChart(ctx: ChatContext, chart: PaceChart): Promise<void> {
  const s = (p: Piece) => renderPiece(p, ctx.t, ctx.locale);
  const png = renderPaceChartPng(chart.report, {
    title: s(chart.title), subtitle: s(chart.subtitle), onPace: s(chart.legend.on_pace), behind: s(chart.legend.behind), overdue: s(chart.legend.overdue),
  });
  await ctx.replyWithPhoto(new InputFile(png, 'chart.png'), { caption: s(chart.caption) });
}

/** A page of figures: in the report worker when the running bot has one (other chats are not held up meanwhile). */
function page(ctx: BotContext, args?: readonly string[]): ReturnType<typeof statsPage> | Promise<ReturnType<typeof statsPage>> {
  return ctx.deps.reports ? ctx.deps.reports.statsPage(ctx.actor, args) : statsPage(ctx.deps, ctx.actor, args);
}

/** The first page, with its chart. */
async function firstPage(ctx: BotContext): Promise<void> {
  const r = await page(ctx);
  if (!r.ok) return refuseWith(ctx, r.reason);
  await ack(ctx);
  await replyView(ctx, r.value.view);
  if (r.value.kind === 'figures' && r.value.chart) await sendChart(ctx, r.value.chart);
}

statsFeature.command('stats', firstPage);
statsFeature.callbackQuery(encodeAction('menu', ['stats']), firstPage);

statsFeature.use(
  onAction('stats:view', async (ctx, args) => {
    const r = await page(ctx, args);
    if (!r.ok) return refuseWith(ctx, r.reason);
    await ack(ctx);
    await replyView(ctx, r.value.view);
  }),
  onAction('stats:chart', async (ctx, args) => {
    const r = statsChart(ctx.deps, ctx.actor, args);
    if (!r.ok && r.reason !== 'no_chart') return refuseWith(ctx, r.reason);
    await ack(ctx);
    if (!r.ok) return void (await ctx.reply(ctx.t('supervise.no_chart')));
    await sendChart(ctx, r.value);
  }),
  onAction('stats:know', async (ctx) => {
    const r = coverageView(ctx.deps, ctx.actor);
    if (!r.ok) return refuseWith(ctx, r.reason);
    await ack(ctx);
    await replyView(ctx, r.value);
  }),
  onAction('stats:household', async (ctx, [id]) => {
    const r = supervisedHousehold(ctx.deps, ctx.actor, positiveId(id) ?? 0);
    if (!r.ok) return refuseWith(ctx, r.reason);
    await ack(ctx);
    await replyView(ctx, r.value);
  }),
);
