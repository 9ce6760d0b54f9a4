/**
 * A trainer sends a question spreadsheet (.xlsx or .csv, the `quiz-template` layout) to the bot: it is downloaded,
 * read in a worker thread and checked (src/app/quiz/import.ts); errors come back by row and column, a good file as
 * a preview that the trainer publishes or cancels in a dialog (src/bot/conversations/quiz-import.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Composer } from 'grammy';
import { checkQuestionFile, mayImportQuestions } from '../../app/quiz/import.js';
import { refusalPiece } from '../../app/quiz/refusals.js';
import { parseWorkbookOffThread } from '../../content/off-thread.js';
import { startPackImport } from '../../app/quiz/rules-import.js';
import { randomBytes } from 'node:crypto';
import type { WorkbookResult } from '../../content/pack-spreadsheet.js';
import type { BotContext, ChatContext } from '../context.js';
import { DIALOG } from '../conversations/ids.js';
import { replyView, notice } from '../render/send.js';

export const quizImportFeature = new Composer<BotContext>();

/** Largest spreadsheet accepted (Telegram bots may download up to 20 MB). */
const MAX_BYTES = 5 * 1024 * 1024;

let fileFetch: typeof fetch = (input, init) => fetch(input, init);

/** Replaces the HTTP client used to download files (in-process tests answer from LocalTelegram). */
export function setFileFetch(f: typeof fetch): void {
  fileFetch = f;
}

/** Downloads a file the user sent: getFile, then `<apiRoot>/file/bot<token>/<file_path>`. */
export async function download(ctx: ChatContext, fileId: string): Promise<Buffer> {
  const file = await ctx.api.getFile(fileId);
  if (!file.file_path) throw new Error('getFile returned no file_path');
  const root = ctx.deps.config.botApiRoot ?? 'https://api.telegram.org';
  const res = await fileFetch(`${root}/file/bot${ctx.deps.config.botToken ?? '0:offline'}/${file.file_path}`);
  if (!res.ok) throw new Error(`file download failed: HTTP ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/** The file read in a worker thread (a big or hostile file never holds up the other chats). */
async function readSheet(ctx: ChatContext, fileId: string, name: string): Promise<WorkbookResult> {
  const dir = mkdtempSync(join(tmpdir(), 'quiz-import-'));
  try {
    const path = join(dir, /\.csv$/i.test(name) ? 'sheet.csv' : 'sheet.xlsx');
    writeFileSync(path, await download(ctx, fileId), { mode: 0o600 });
    return await parseWorkbookOffThread(path);
  } catch (err) {
    // nothing of the trainer's was being entered: say the file was not read, not that answers are safe
    ctx.deps.log.warn({ updateId: ctx.update.update_id, err: String(err) }, 'quiz file not read');
    return { kind: 'quiz', result: { ok: false, errors: [], fileError: { problem: 'unreadable' } } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

quizImportFeature.on('message:document', async (ctx, next) => {
  const doc = ctx.message.document;
  const name = doc.file_name ?? '';
  if (!mayImportQuestions(ctx.actor) || !/\.(xlsx|csv)$/i.test(name)) return next();
  if ((doc.file_size ?? 0) > MAX_BYTES) return void (await ctx.reply(ctx.t('quizbot.import_too_big')));
  const read = await readSheet(ctx, doc.file_id, name);
  if (read.kind === 'pack') {
    // a rules workbook (sheet 条款): previewed, then confirmed in the /rules dialog
    const p = startPackImport(ctx.deps, ctx.actor, randomBytes(4).toString('hex'), read.result);
    if (!p.ok) return notice(ctx, refusalPiece(p.reason));
    await replyView(ctx, p.value.view);
    if (p.value.kind === 'step') await ctx.conversation.enter(DIALOG.rulesImport, p.value.draft);
    return;
  }
  const r = checkQuestionFile(ctx.deps, ctx.actor, read.result);
  if (!r.ok) return notice(ctx, refusalPiece(r.reason));
  await replyView(ctx, r.value.view);
  if (r.value.kind === 'preview') await ctx.conversation.enter(DIALOG.quizImport, r.value.token);
});
