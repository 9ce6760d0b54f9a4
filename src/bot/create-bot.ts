import { Bot, type Transformer } from 'grammy';
import { autoRetry } from '@grammyjs/auto-retry';
import { apiThrottler } from '@grammyjs/transformer-throttler';
import type { UserFromGetMe } from 'grammy/types';
import type { BotContext, BotDeps, ChatDeps } from './context.js';
import type { Metrics } from '../app/metrics.js';
import type { Db } from '../db/client.js';
import { makeDurable } from '../db/durable.js';
import { telegramNotifier } from './notifier.js';
import { errorBoundary } from './middlewares/error-boundary.js';
import { arrival } from './middlewares/arrival.js';
import { oneAtATime } from './middlewares/in-order.js';
import { answerOnce } from './middlewares/answer-once.js';
import { strangerGate } from './middlewares/identify.js';
import { privateOnly } from './middlewares/private-only.js';
import { startFeature } from './features/start.js';
import { menuFeature } from './features/menu.js';
import { helpFeature } from './features/help.js';
import { langFeature } from './features/lang.js';
import { cancelFeature } from './features/cancel.js';
import { householdsFeature } from './features/households.js';
import { visitFeature } from './features/visit.js';
import { cardInputFeature } from './features/card-input.js';
import { unhandledFeature } from './features/unhandled.js';
import { quizFeature } from './features/quiz.js';
import { pushFeature } from './features/push.js';
import { quizImportFeature } from './features/quiz-import.js';
import { rulesImportFeature } from './features/rules-import.js';
import { statsFeature } from './features/stats.js';
import { exportFeature } from './features/export.js';
import { reviewFeature } from './features/review.js';
import { receiptFeature } from './features/receipt.js';
import { flagsFeature } from './features/flags.js';
import { webFeature } from './features/web.js';
import { installConversations } from './conversations/setup.js';
import { dialogs } from './conversations/index.js';

export interface CreateBotOptions {
  /** skip getMe (tests, the terminal chat) */
  botInfo?: UserFromGetMe;
  /** replace the HTTP client (tests and the terminal chat answer Bot API calls in-process) */
  fetch?: typeof fetch;
  /** leave out the throttler (in-process tests want no timers) */
  throttle?: boolean;
  /** counts updates, their latency and Telegram's errors for /metrics */
  metrics?: Metrics;
}

/** Nothing leaves for Telegram while a write of this connection is not yet on disk (see db/durable.ts). */
function durableBeforeSend(db: Db): Transformer {
  return (prev, method, payload, signal) => {
    makeDurable(db);
    return prev(method, payload, signal);
  };
}

/** Counts every Bot API attempt Telegram refused (installed first: innermost, so auto-retry's retries count too). */
function countingErrors(metrics: Metrics): Transformer {
  return async (prev, method, payload, signal) => {
    try {
      const res = await prev(method, payload, signal);
      if (!res.ok) metrics.telegramError(res.error_code);
      return res;
    } catch (err) {
      metrics.telegramError(0);
      throw err;
    }
  };
}

/**
 * Builds the bot: outgoing calls pass the throttler (≈30 msg/s overall, one in flight per chat) and
 * auto-retry (429 retry_after, 5xx); updates of one chat run in order, other chats do not wait.
 */
export function createBot(deps: BotDeps, opts: CreateBotOptions = {}): Bot<BotContext> {
  const { config } = deps;
  const token = config.botToken ?? '0:offline';
  const bot = new Bot<BotContext>(token, {
    botInfo: opts.botInfo,
    client: {
      apiRoot: config.botApiRoot,
      ...(opts.fetch ? { fetch: opts.fetch as never } : {}),
    },
  });
  // one retry policy and one throttle for the bot's own Api and every dialog's (the plugin builds its own Api objects)
  // innermost: no call leaves while a write of this connection is not on disk (when the database defers its syncs)
  const transformers: Transformer[] = [durableBeforeSend(deps.db)];
  if (opts.metrics) transformers.push(countingErrors(opts.metrics));
  transformers.push(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60, rethrowInternalServerErrors: false }) as Transformer);
  if (opts.throttle !== false) {
    const rate = config.sendRatePerSecond;
    transformers.push(
      apiThrottler({
        global: { reservoir: rate, reservoirRefreshAmount: rate, reservoirRefreshInterval: 1000 },
        out: { maxConcurrent: 1, minTime: 0 },
      }) as Transformer,
    );
  }
  for (const t of transformers) bot.api.config.use(t);

  const chatDeps: ChatDeps = { ...deps, notifier: telegramNotifier(bot.api, deps.i18n, config.defaultLocale, deps.log) };

  const metrics = opts.metrics;
  if (metrics) {
    bot.use(async (_ctx, next) => {
      const t0 = performance.now();
      let failed = true;
      try {
        await next();
        failed = false;
      } finally {
        metrics.updateHandled((performance.now() - t0) / 1000, failed, Date.now());
      }
    });
  }
  bot.use(oneAtATime((ctx) => (ctx.chat?.id ?? ctx.from?.id)?.toString()));
  // once every reply to an update has gone out: the signal tests wait for instead of sleeping
  bot.use((ctx, next) => next().finally(() => deps.log.debug({ updateId: ctx.update.update_id }, 'update handled')));
  bot.use((ctx, next) => {
    ctx.deps = chatDeps;
    ctx.locale = config.defaultLocale;
    ctx.t = deps.i18n.forLocale(config.defaultLocale);
    return next();
  });
  bot.use(answerOnce);
  bot.use(errorBoundary);
  // before anything reads or writes personal data: groups and channels get one pointer line at most
  bot.use(privateOnly());
  // a redelivery is skipped here; the person behind the update and their chat's saved dialog are read with it
  bot.use(arrival);
  // A card answer (text, location, photo, a card button) is the most frequent update. With no dialog under way it goes
  // to the card first: the dialogs' plugin (a storage read and a check per dialog) runs only for what the card passes
  // on. The card never enters a dialog, so nothing it handles needs the plugin.
  const card = cardInputFeature.middleware();
  const cardTried = new WeakSet<BotContext>();
  bot.use((ctx, next) => {
    if (!ctx.actor || ctx.chat?.type !== 'private' || ctx.dialogSaved) return next();
    cardTried.add(ctx);
    return card(ctx, next);
  });
  // dialogs come before the stranger gate: `/start` without a code asks a stranger for the code in a dialog
  installConversations(bot, chatDeps, transformers);
  bot.use(cancelFeature, dialogs());
  bot.use(strangerGate);
  // during a dialog the card comes after it (the dialog takes what it waits for); before the features between, which
  // take only their commands and buttons (the card passes both on), not through them all
  bot.use((ctx, next) => (cardTried.has(ctx) ? next() : card(ctx, next)));
  bot.use(startFeature, menuFeature, helpFeature, langFeature, householdsFeature);
  // a supervisor's review comment and flag note are dialogs (above); these only answer their buttons and commands
  bot.use(reviewFeature, flagsFeature);
  bot.use(visitFeature);
  bot.use(quizFeature, pushFeature, quizImportFeature, rulesImportFeature);
  bot.use(statsFeature, exportFeature, receiptFeature, webFeature);
  bot.use(unhandledFeature);
  bot.catch((err) => deps.log.error({ updateId: err.ctx.update.update_id, err: String(err.error) }, 'unhandled bot error'));
  return bot;
}
