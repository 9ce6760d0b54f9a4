/**
 * Before-deadline reminders of pushed quizzes and the gentle daily weak-spot nudge. Each is recorded in the
 * database before it is sent (delivery.reminded_at, quiz_nudges), so a restart never sends one twice.
 */
import { InlineKeyboard, type Api } from 'grammy';
import type { BotDeps } from '../bot/context.js';
import { cb } from '../bot/callback-data.js';
import { localDate, localDateTime, localHour } from '../core/time.js';
import { claimNudge, claimReminder, dueReminders, helpersWithDueCards } from '../db/quiz-push-repo.js';
import { recipientLocale, type SendGate } from './push-queue.js';
import { startTicker } from './schedule.js';

/** Reminders go out this long before a deadline. */
export const REMINDER_LEAD_MS = 24 * 3600 * 1000;
/** The nudge goes out from this local hour on. */
export const NUDGE_HOUR = 9;

async function send(deps: BotDeps, api: Api, gate: SendGate, chatId: number, text: string, kb: InlineKeyboard): Promise<boolean> {
  await gate.wait();
  try {
    await api.sendMessage(chatId, text, { reply_markup: kb });
    return true;
  } catch (err) {
    deps.log.warn({ err: String(err) }, 'quiz reminder not sent');
    return false;
  }
}

/** Sends due before-deadline reminders; returns how many were sent. */
export async function sendDueReminders(deps: BotDeps, api: Api, gate: SendGate): Promise<number> {
  let sent = 0;
  for (const r of dueReminders(deps.db, deps.now(), REMINDER_LEAD_MS)) {
    if (!claimReminder(deps.db, r.deliveryId, deps.now())) continue;
    const t = deps.i18n.forLocale(recipientLocale(r.locale, deps.config.defaultLocale));
    const text = t('push.reminder', { deadline: localDateTime(r.deadline, deps.config.timezone) });
    const kb = new InlineKeyboard().text(t('push.start_button'), cb('qz', 'p', r.pushId));
    if (await send(deps, api, gate, r.telegramId, text, kb)) sent++;
  }
  return sent;
}

/** Once a local day (from NUDGE_HOUR), helpers with due weak spots get one gentle nudge; returns how many. */
export async function sendDailyNudges(deps: BotDeps, api: Api, gate: SendGate): Promise<number> {
  const now = deps.now();
  const hour = localHour(now, deps.config.timezone);
  if (hour < NUDGE_HOUR) return 0;
  const day = localDate(now, deps.config.timezone);
  let sent = 0;
  for (const h of helpersWithDueCards(deps.db, now)) {
    if (!claimNudge(deps.db, h.personId, day, now)) continue;
    const t = deps.i18n.forLocale(recipientLocale(h.locale, deps.config.defaultLocale));
    const kb = new InlineKeyboard().text(t('quizbot.weak_button'), cb('qz', 'w'));
    if (await send(deps, api, gate, h.telegramId, t('quizbot.nudge', { count: h.due }), kb)) sent++;
  }
  return sent;
}

/** Runs both every few minutes (and once shortly after start). */
export function startQuizJobs(deps: BotDeps, api: Api, gate: SendGate, everyMs = 5 * 60 * 1000): { stop(): void } {
  return startTicker(
    async () => {
      try {
        await sendDueReminders(deps, api, gate);
        await sendDailyNudges(deps, api, gate);
      } catch (err) {
        deps.log.error({ err: String(err) }, 'quiz jobs failed');
      }
    },
    everyMs,
    5000,
  );
}
