/** `/export`: the supervisor picks a spreadsheet; it is written for their own scope (src/app/export.ts). */
import { Composer, InputFile } from 'grammy';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
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
      // the Bot API refuses larger files (50 MB with Telegram's servers): say where to get it instead of failing
      const mb = statSync(file).size / 1024 / 1024;
      const limit = ctx.deps.config.fileLimitMb;
      if (mb > limit) {
        // the dashboard's export page serves any size, when there is a dashboard (/web needs the server's port)
        await ctx.reply(ctx.t(ctx.deps.config.port !== undefined ? 'export.too_large' : 'export.too_large_no_web', { mb: mb.toFixed(1), limit }));
        return;
      }
      const name = renderPiece(r.value.fileName, ctx.t, ctx.locale);
      await ctx.replyWithDocument(new InputFile(readFileSync(file), name), { caption: renderPiece(r.value.caption, ctx.t, ctx.locale) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }),
);
