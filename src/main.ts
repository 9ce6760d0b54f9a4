/**
 * The composition root: config → database (created, migrated) → content → bot → long polling or webhook.
 * SIGINT/SIGTERM stop cleanly: the runner finishes the updates in hand, the database is closed, exit 0.
 */
import 'dotenv/config';
import { createServer } from 'node:http';
import { run } from '@grammyjs/runner';
import { webhookCallback } from 'grammy';
import { loadConfig } from './config.js';
import { openDb } from './db/client.js';
import { loadContent } from './content/index.js';
import { createLogger } from './logger.js';
import { createTranslator } from './bot/i18n.js';
import { createBot } from './bot/create-bot.js';
import { setDefaultCommands } from './bot/commands.js';
import { ensureConfiguredAdmins } from './db/people-repo.js';
import { startBackground } from './jobs/background.js';

const started = performance.now();
const parsed = loadConfig(process.env);
if (!parsed.ok) {
  for (const e of parsed.errors) console.error(`配置错误 / config error: ${e}`);
  process.exit(1);
}
const config = parsed.config;
if (!config.botToken) {
  console.error(
    'BOT_TOKEN 未设置：请把 @BotFather 给的令牌写入 .env 的 BOT_TOKEN=…；不用 Telegram 试用请运行 npm run chat\n' +
      'BOT_TOKEN is not set: put the token from @BotFather into .env as BOT_TOKEN=…; to try the bot without Telegram run npm run chat',
  );
  process.exit(1);
}
const log = createLogger(config.logLevel);
const content = loadContent(config.contentDir);
if (!content.ok) {
  for (const e of content.errors) console.error(`内容错误 / content error: ${e}`);
  process.exit(1);
}
const db = openDb(config.databasePath);
const admins = ensureConfiguredAdmins(db, config.adminTelegramIds, Date.now());
if (admins.revoked.length) log.warn({ telegramIds: admins.revoked }, 'ADMIN_TELEGRAM_IDS names revoked people; they stay revoked (restore them or remove the ids)');
const i18n = createTranslator(config.defaultLocale);
const deps = { config, db, i18n, log, content: content.content, now: () => Date.now() };
const bot = createBot(deps);
await bot.init();
await setDefaultCommands(bot.api, i18n, config.defaultLocale).catch((err) =>
  log.warn({ err: String(err) }, 'setMyCommands failed; continuing'),
);
const background = startBackground(deps, bot.api);

let stop: () => Promise<void>;
if (config.botMode === 'webhook') {
  await bot.api.setWebhook(config.webhookUrl!, { secret_token: config.webhookSecret });
  const server = createServer(webhookCallback(bot, 'http', { secretToken: config.webhookSecret }));
  server.listen(config.port);
  stop = () => new Promise((resolve) => server.close(() => resolve()));
} else {
  await bot.api.deleteWebhook();
  const handle = run(bot, { runner: { fetch: { timeout: 30 } } });
  stop = () => handle.stop();
}
log.info({ ms: Math.round(performance.now() - started), pid: process.pid, bot: bot.botInfo.username, mode: config.botMode }, 'bot started');

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'stopping');
  await background.stop();
  await stop();
  db.$client.close();
  log.info('stopped');
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
