/**
 * A trainer sends a question spreadsheet (.xlsx or .csv, the `quiz-template` layout) to the bot: it is downloaded,
 * validated row by row and imported all or nothing; every bad cell is reported by row and column.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Composer } from 'grammy';
import { hasRole } from '../../core/people/roles.js';
import { parseQuizSheetOffThread } from '../../content/off-thread.js';
import { fileErrorMessage } from '../../content/sheet-cells.js';
import { importQuestions } from '../../db/quiz-repo.js';
import type { BotContext } from '../context.js';

export const quizImportFeature = new Composer<BotContext>();

/** Largest spreadsheet accepted (Telegram bots may download up to 20 MB). */
const MAX_BYTES = 5 * 1024 * 1024;
/** Most errors listed in one reply. */
const MAX_LINES = 30;

let fileFetch: typeof fetch = (input, init) => fetch(input, init);

/** Replaces the HTTP client used to download files (in-process tests answer from LocalTelegram). */
export function setFileFetch(f: typeof fetch): void {
  fileFetch = f;
}

/** Downloads a file the user sent: getFile, then `<apiRoot>/file/bot<token>/<file_path>`. */
async function download(ctx: BotContext, fileId: string): Promise<Buffer> {
  const file = await ctx.api.getFile(fileId);
  if (!file.file_path) throw new Error('getFile returned no file_path');
  const root = ctx.deps.config.botApiRoot ?? 'https://api.telegram.org';
  const res = await fileFetch(`${root}/file/bot${ctx.deps.config.botToken ?? '0:offline'}/${file.file_path}`);
  if (!res.ok) throw new Error(`file download failed: HTTP ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

quizImportFeature.on('message:document', async (ctx, next) => {
  const doc = ctx.message.document;
  const name = doc.file_name ?? '';
  if (!hasRole(ctx.actor, 'trainer') || !/\.(xlsx|csv)$/i.test(name)) return next();
  if ((doc.file_size ?? 0) > MAX_BYTES) return void (await ctx.reply(ctx.t('quizbot.import_too_big')));
  const dir = mkdtempSync(join(tmpdir(), 'quiz-import-'));
  try {
    const path = join(dir, /\.csv$/i.test(name) ? 'sheet.csv' : 'sheet.xlsx');
    let parsed: Awaited<ReturnType<typeof parseQuizSheetOffThread>>;
    try {
      writeFileSync(path, await download(ctx, doc.file_id), { mode: 0o600 });
      // read in a worker thread: a big or hostile file never holds up the other chats
      parsed = await parseQuizSheetOffThread(path);
    } catch (err) {
      // nothing of the trainer's was being entered: say the file was not read, not that answers are safe
      ctx.deps.log.warn({ updateId: ctx.update.update_id, err: String(err) }, 'quiz file not read');
      parsed = { ok: false, errors: [], fileError: { problem: 'unreadable' } };
    }
    if (!parsed.ok && parsed.fileError) {
      const m = fileErrorMessage(parsed.fileError);
      ctx.deps.log.info({ personId: ctx.actor!.personId, problem: parsed.fileError.problem }, 'quiz file refused');
      return void (await ctx.reply([ctx.t('quizbot.import_failed', { count: 1 }), ctx.t(m.key, m.params)].join('\n')));
    }
    if (!parsed.ok) {
      const lines = parsed.errors
        .slice(0, MAX_LINES)
        .map((e) => ctx.t('quizbot.import_error_line', { row: e.row, column: e.column, message: ctx.t(e.message.key, e.message.params) }));
      if (parsed.errors.length > MAX_LINES) lines.push(ctx.t('quizbot.import_more', { count: parsed.errors.length - MAX_LINES }));
      return void (await ctx.reply([ctx.t('quizbot.import_failed', { count: parsed.errors.length }), ...lines].join('\n')));
    }
    const report = importQuestions(ctx.deps.db, parsed.questions, ctx.deps.now());
    ctx.deps.log.info({ personId: ctx.actor!.personId, ...report }, 'quiz questions imported');
    await ctx.reply(ctx.t('quizbot.import_ok', { ...report }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
