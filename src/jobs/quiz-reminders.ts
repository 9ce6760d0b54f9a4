/**
 * Before-deadline reminders of pushed quizzes and the gentle daily weak-spot nudge. Each is recorded in the
 * database before it is sent (delivery.reminded_at, quiz_nudges), so a restart never sends one twice.
 */
import { pushReminderView, weakSpotNudgeView } from '../app/notices.js';
import type { Recipient } from '../app/notifier.js';
import type { ChatView } from '../app/views.js';
import { localDate, localHour } from '../core/time.js';
import { claimNudge, claimReminder, dueReminders, helpersWithDueCards } from '../db/quiz-push-repo.js';
import type { JobDeps } from './deps.js';
import type { SendGate } from './push-queue.js';
import { startTicker } from './schedule.js';

/** Reminders go out this long before a deadline. */
const REMINDER_LEAD_MS = 24 * 3600 * 1000;
/** The nudge goes out from this local hour on. */
const NUDGE_HOUR = 9;

async function send(deps: JobDeps, gate: SendGate, to: Recipient, view: ChatView): Promise<boolean> {
  await gate.wait();
  return (await deps.notifier.send(to, view)).status === 'sent';
}

/** Sends due before-deadline reminders; returns how many were sent. */
export async function sendDueReminders(deps: JobDeps, gate: SendGate): Promise<number> {
  let sent = 0;
  for (const r of dueReminders(deps.db, deps.now(), REMINDER_LEAD_MS)) {
    if (!claimReminder(deps.db, r.deliveryId, deps.now())) continue;
    const to = { personId: r.personId, address: r.telegramId, locale: r.locale };
    if (await send(deps, gate, to, pushReminderView({ id: r.pushId, deadline: r.deadline }, deps.config.timezone))) sent++;
  }
  return sent;
}

/** Once a local day (from NUDGE_HOUR), helpers with due weak spots get one gentle nudge; returns how many. */
export async function sendDailyNudges(deps: JobDeps, gate: SendGate): Promise<number> {
  const now = deps.now();
  const hour = localHour(now, deps.config.timezone);
  if (hour < NUDGE_HOUR) return 0;
  const day = localDate(now, deps.config.timezone);
  let sent = 0;
  for (const h of helpersWithDueCards(deps.db, now)) {
    if (!claimNudge(deps.db, h.personId, day, now)) continue;
    if (await send(deps, gate, { personId: h.personId, address: h.telegramId, locale: h.locale }, weakSpotNudgeView(h.due))) sent++;
  }
  return sent;
}

/** Runs both every few minutes (and once shortly after start). */
export function startQuizJobs(deps: JobDeps, gate: SendGate, everyMs = 5 * 60 * 1000): { stop(): void } {
  return startTicker(
    async () => {
      try {
        await sendDueReminders(deps, gate);
        await sendDailyNudges(deps, gate);
      } catch (err) {
        deps.log.error({ err: String(err) }, 'quiz jobs failed');
      }
    },
    everyMs,
    5000,
  );
}
