import { Composer, InlineKeyboard, InputFile } from 'grammy';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localDate } from '../../core/time.js';
import { EXPORT_KINDS, writeExport, type ExportKind } from '../../db/export-repo.js';
import type { BotContext } from '../context.js';
import { cb, parseCb } from '../callback-data.js';
import { requireScope } from './stats.js';

/** `/export`: the supervisor picks a spreadsheet; it is written for their own scope (never one from the button). */
export const exportFeature = new Composer<BotContext>();

async function offer(ctx: BotContext): Promise<void> {
  if (!(await requireScope(ctx))) return;
  const kb = new InlineKeyboard();
  for (const k of EXPORT_KINDS) kb.text(ctx.t(`export.kind.${k}`), cb('ex', k)).row();
  await ctx.reply(ctx.t('export.pick'), { reply_markup: kb });
}

exportFeature.command('export', offer);
exportFeature.callbackQuery('m:export', async (ctx) => {
  await ctx.answerCallbackQuery();
  await offer(ctx);
});

exportFeature.callbackQuery(/^ex:/, async (ctx) => {
  const scope = await requireScope(ctx);
  if (!scope) return;
  const kind = parseCb(ctx.callbackQuery.data, 'ex', 1)?.[0] as ExportKind | undefined;
  if (!kind || !EXPORT_KINDS.includes(kind)) return void (await ctx.answerCallbackQuery({ text: ctx.t('refuse.stale'), show_alert: true }));
  await ctx.answerCallbackQuery();
  const { db, config, content, now, log } = ctx.deps;
  await ctx.reply(ctx.t('export.working'));
  const dir = mkdtempSync(join(tmpdir(), 'bangfu-export-'));
  try {
    const name = `${ctx.t(`export.file.${kind}`)}-${localDate(now(), config.timezone)}.xlsx`;
    const file = join(dir, 'workbook.xlsx');
    const summary = await writeExport(db, kind, file, {
      scope, t: ctx.t, locale: ctx.locale, form: content.card, timeZone: config.timezone, now: now(), target: content.settings.visits.target,
      settings: content.settings, by: { personId: ctx.actor!.personId, via: 'bot' },
    });
    const rows = summary.sheets.reduce((n, s) => n + s.rows, 0);
    log.info({ personId: ctx.actor!.personId, kind, rows }, 'export sent');
    await ctx.replyWithDocument(new InputFile(readFileSync(file), name), { caption: ctx.t('export.caption', { rows, sheets: summary.sheets.length }) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
