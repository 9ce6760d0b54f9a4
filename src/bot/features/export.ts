/** `/export`: the supervisor picks a spreadsheet; it is written for their own scope (src/app/export.ts). */
import { Composer, InputFile } from 'grammy';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportForSupervisor, exportOffer, exportRequest } from '../../app/export.js';
import { encodeAction, onAction } from '../actions.js';
import type { BotContext } from '../context.js';
import { renderPiece } from '../render/view.js';
import { ack, refuseWith, replyView } from '../render/send.js';

export const exportFeature = new Composer<BotContext>();

async function offer(ctx: BotContext): Promise<void> {
  const r = exportOffer(ctx.deps, ctx.actor);
  if (!r.ok) return refuseWith(ctx, r.reason);
  await ack(ctx);
  await replyView(ctx, r.value);
}

exportFeature.command('export', offer);
exportFeature.callbackQuery(encodeAction('menu', ['export']), offer);

exportFeature.use(
  onAction('export:kind', async (ctx, [kind]) => {
    const checked = exportRequest(ctx.deps, ctx.actor, kind);
    if (!checked.ok) return refuseWith(ctx, checked.reason);
    await ack(ctx);
    await ctx.reply(ctx.t('export.working'));
    const dir = mkdtempSync(join(tmpdir(), 'bangfu-export-'));
    try {
      const file = join(dir, 'workbook.xlsx');
      const r = await exportForSupervisor(ctx.deps, ctx.actor, kind, { file, t: ctx.t, locale: ctx.locale });
      if (!r.ok) return refuseWith(ctx, r.reason);
      const name = renderPiece(r.value.fileName, ctx.t, ctx.locale);
      await ctx.replyWithDocument(new InputFile(readFileSync(file), name), { caption: renderPiece(r.value.caption, ctx.t, ctx.locale) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }),
);
