/**
 * The composition root: config → content → one process per database → database (created, migrated) → bot → long
 * polling or webhook. Every expected start-up problem is one line (Chinese / English) and exit 1, never a stack.
 * SIGINT/SIGTERM stop cleanly: the runner finishes the updates in hand, the database is closed, exit 0.
 */
import 'dotenv/config';
import type { Server } from 'node:http';
import { createConcurrentSink, createRunner, createSource, run, type RunnerHandle } from '@grammyjs/runner';
import { serve } from '@hono/node-server';
import { BotError, GrammyError } from 'grammy';
import type { BotContext } from './bot/context.js';
import type { Update } from 'grammy/types';
import { loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { deferSyncs, makeDurable, stopSyncs } from './db/durable.js';
import { acquireProcessLock } from './db/lock.js';
import { pendingInbox, putInbox, removeInbox } from './db/inbox-repo.js';
import { loadContent } from './content/index.js';
import { createLogger } from './logger.js';
import { createTranslator } from './i18n.js';
import { createBot } from './bot/create-bot.js';
import { setDefaultCommands } from './bot/commands.js';
import { ensureConfiguredAdmins } from './db/people-repo.js';
import { telegramNotifier } from './bot/notifier.js';
import { startBackground } from './jobs/background.js';
import { createWebApp } from './web/server.js';
import { UpdateQueue } from './web/update-queue.js';
import { offThreadReports, type OffThreadReports } from './app/stats/off-thread.js';
import { Metrics } from './app/metrics.js';
import { backupDirOf } from './jobs/backup.js';
import { openProblemLine, startupLine } from './startup.js';

// the database, its -wal/-shm, backups and exports hold personal data: owner-only, whatever the shell's umask
process.umask(0o077);
const started = performance.now();
const fail = (line: string): never => {
  console.error(line);
  process.exit(1);
};

const parsed = loadConfig(process.env);
if (!parsed.ok) {
  for (const e of parsed.errors) console.error(`配置错误 / config error: ${e}`);
  process.exit(1);
}
const config = parsed.config;
if (!config.botToken) {
  fail(
    'BOT_TOKEN 未设置：请把 @BotFather 给的令牌写入 .env 的 BOT_TOKEN=…；不用 Telegram 试用请运行 npm run chat\n' +
      'BOT_TOKEN is not set: put the token from @BotFather into .env as BOT_TOKEN=…; to try the bot without Telegram run npm run chat',
  );
}
const log = createLogger(config.logLevel);
const content = loadContent(config.contentDir);
if (!content.ok) fail(content.errors.map((e) => startupLine('content', { path: config.contentDir, detail: e })).join('\n'));

const locked = acquireProcessLock(config.databasePath);
if (!locked.ok) fail(locked.problem === 'locked' ? startupLine('db_locked', { path: config.databasePath }) : openProblemLine('folder', config.databasePath, locked.detail));
const lock = locked.ok ? locked.lock : undefined;
const opened = openDatabase(config.databasePath, { secret: config.appSecret });
if (!opened.ok) fail(openProblemLine(opened.problem, config.databasePath, opened.detail));
const db = opened.ok ? opened.db : (undefined as never);
// the WAL is synced on a thread of its own while a reply is drawn, and every reply, web answer and webhook
// acknowledgement waits for it: as durable as syncing inside each commit, without the bot's thread waiting there
deferSyncs(db, config.databasePath);

const admins = ensureConfiguredAdmins(db, config.adminTelegramIds, Date.now());
if (admins.revoked.length) log.warn({ telegramIds: admins.revoked }, 'ADMIN_TELEGRAM_IDS names revoked people; they stay revoked (restore them or remove the ids)');
const i18n = createTranslator(config.defaultLocale);
const appDeps = { config, db, i18n, log, content: content.ok ? content.content : (undefined as never), now: () => Date.now() };
// `/stats` pages (chat and dashboard) computed in a worker: a district's figures do not hold up the other chats
const reports: OffThreadReports = offThreadReports(appDeps);
const deps = { ...appDeps, reports };
const metrics = new Metrics();
const bot = createBot(deps, { metrics });

/** Rejects after the configured start-up time: an unreachable Bot API would otherwise be retried for ever, silently. */
function bounded<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${config.startupTimeoutSeconds} s`)), config.startupTimeoutSeconds * 1000);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

/** The line for a Bot API failure at start-up or while polling. */
function apiProblemLine(err: unknown): string {
  const root = config.botApiRoot ?? 'https://api.telegram.org';
  const detail = (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 200);
  if (err instanceof GrammyError && err.error_code === 401) return startupLine('unauthorized');
  if (err instanceof GrammyError && err.error_code === 409) return startupLine('conflict');
  if (err instanceof GrammyError) return startupLine('api_failed', { root, detail });
  return startupLine('unreachable', { root, seconds: config.startupTimeoutSeconds, detail });
}

try {
  await bounded(
    (async () => {
      await bot.init();
      if (config.botMode === 'webhook') await bot.api.setWebhook(config.webhookUrl!, { secret_token: config.webhookSecret });
      else await bot.api.deleteWebhook();
    })(),
  );
} catch (err) {
  fail(apiProblemLine(err));
}
await bounded(setDefaultCommands(bot.api, i18n, config.defaultLocale)).catch((err: unknown) =>
  log.warn({ err: String(err) }, 'setMyCommands failed; continuing'),
);
const notifier = telegramNotifier(bot.api, i18n, config.defaultLocale, log);
const background = startBackground({ ...deps, notifier });

let runner: RunnerHandle;
let queue: UpdateQueue | undefined;
if (config.botMode === 'webhook') {
  const q = (queue = new UpdateQueue());
  // updates acknowledged before a restart and not handled come first
  for (const p of pendingInbox(db)) q.push(JSON.parse(p.body) as Update);
  const sink = createConcurrentSink(
    {
      consume: (update: Update) =>
        bot.handleUpdate(update).finally(() => {
          removeInbox(db, update.update_id);
          q.done(update.update_id);
        }),
    },
    async (err) => {
      // handleUpdate wraps middleware errors as BotError for bot.catch; anything else is logged here, never thrown
      if (err instanceof BotError) await bot.errorHandler(err as BotError<BotContext>);
      else log.error({ err: String(err) }, 'update failed outside the bot');
    },
  );
  runner = createRunner(createSource({ supply: (size, signal) => q.supply(size, signal as AbortSignal) }), sink);
  runner.start();
} else {
  runner = run(bot, { runner: { fetch: { timeout: 30 }, silent: true } });
}
// one HTTP server for the webhook (webhook mode), the dashboard, /healthz and /metrics, whenever there is a port
let server: Server | undefined;
if (config.port !== undefined) {
  const q = queue;
  const app = createWebApp({
    log,
    beforeAnswer: () => makeDurable(db),
    webhook: q && {
      path: new URL(config.webhookUrl!).pathname,
      secret: config.webhookSecret!,
      accept(update, body) {
        if (q.has(update.update_id)) return true;
        if (q.size >= q.max) return false;
        putInbox(db, update.update_id, body, Date.now());
        return q.push(update);
      },
    },
    health: { db, metrics, updateQueueDepth: () => q?.size ?? 0, backupDir: backupDirOf(config), now: () => Date.now() },
    dashboard: { ...deps, notifier, botToken: config.botToken, secureCookies: (config.publicUrl ?? '').startsWith('https://') },
  });
  server = serve({ fetch: app.fetch, port: config.port }) as Server;
  await new Promise<void>((resolve) => {
    server!.once('listening', resolve);
    server!.once('error', (err) => fail(startupLine('port', { port: config.port, detail: err.message })));
  });
}
// the runner stops for good only on 401 (token revoked) or 409 (another process took the updates): say so, exit
void runner.task()?.catch((err: unknown) => {
  console.error(apiProblemLine(err));
  void shutdown('runner stopped', 1);
});
log.info({ ms: Math.round(performance.now() - started), pid: process.pid, bot: bot.botInfo.username, mode: config.botMode, port: config.port }, 'bot started');

let stopping = false;
async function shutdown(signal: string, code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'stopping');
  await background.stop();
  if (server) await new Promise((resolve) => server!.close(resolve));
  await reports.close();
  await runner.stop();
  await stopSyncs(db).catch((err: unknown) => log.error({ err: String(err) }, 'the last writes could not be synced'));
  db.$client.close();
  lock?.release();
  log.info('stopped');
  process.exit(code);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
