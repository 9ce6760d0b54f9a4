import type { Api } from 'grammy';
import type { BotDeps } from '../../src/bot/context.js';
import { telegramNotifier } from '../../src/bot/notifier.js';
import type { JobDeps } from '../../src/jobs/deps.js';

/** A job's dependencies over a test's Api: notices go through the same Telegram adapter as in production. */
export function jobDeps(deps: BotDeps, api: Api): JobDeps {
  return { ...deps, notifier: telegramNotifier(api, deps.i18n, deps.config.defaultLocale, deps.log) };
}
