/**
 * A trainer loads a province's or city's notice: `/rules` (or the button in /push) asks for the text, or a .docx /
 * .txt is sent; the file is read in a worker thread with limits (src/content/docx-reader.ts), then the clauses are confirmed one by one
 * in a dialog (src/bot/conversations/rules-import.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Composer } from 'grammy';
import { refusalPiece } from '../../app/quiz/refusals.js';
import { startRulesImport, startRulesPaste } from '../../app/quiz/rules-import.js';
import { hasRole } from '../../core/people/roles.js';
import { readDocumentOffThread } from '../../content/off-thread.js';
import { fileErrorMessage } from '../../content/sheet-cells.js';
import { onAction } from '../actions.js';
import type { BotContext } from '../context.js';
import { DIALOG } from '../conversations/ids.js';
import { replyView, notice } from '../render/send.js';
import { download } from './quiz-import.js';

export const rulesImportFeature = new Composer<BotContext>();

/** Largest notice file accepted. */
const MAX_BYTES = 5 * 1024 * 1024;

const run = () => randomBytes(4).toString('hex');

async function paste(ctx: BotContext): Promise<void> {
  const r = startRulesPaste(ctx.actor, run());
  if (!r.ok) return notice(ctx, refusalPiece(r.reason));
  if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  await replyView(ctx, r.value.view);
  await ctx.conversation.enter(DIALOG.rulesImport, r.value.draft);
}

rulesImportFeature.command('rules', paste);
rulesImportFeature.use(onAction('rules:new', paste));

rulesImportFeature.on('message:document', async (ctx, next) => {
  const doc = ctx.message.document;
  const name = doc.file_name ?? '';
  if (!hasRole(ctx.actor, 'trainer') || !/\.(docx|txt)$/i.test(name)) return next();
  if ((doc.file_size ?? 0) > MAX_BYTES) return void (await ctx.reply(ctx.t('quizbot.import_too_big')));
  const dir = mkdtempSync(join(tmpdir(), 'rules-import-'));
  let read;
  try {
    const path = join(dir, /\.txt$/i.test(name) ? 'notice.txt' : 'notice.docx');
    writeFileSync(path, await download(ctx, doc.file_id), { mode: 0o600 });
    read = await readDocumentOffThread(path, name);
  } catch (err) {
    ctx.deps.log.warn({ updateId: ctx.update.update_id, err: String(err) }, 'notice file not read');
    read = { ok: false as const, error: { problem: 'unreadable' as const } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (!read.ok) {
    const m = fileErrorMessage(read.error);
    return void (await ctx.reply(ctx.t(m.key, m.params)));
  }
  const r = startRulesImport(ctx.deps, ctx.actor, run(), read.text);
  if (!r.ok) return notice(ctx, refusalPiece(r.reason));
  await replyView(ctx, r.value.view);
  if (r.value.kind === 'step') await ctx.conversation.enter(DIALOG.rulesImport, r.value.draft);
});
