/** The messages jobs send on their own: a pushed quiz, its reminder, the weak-spot nudge, visit nudges, digests. */
import type { StatsReport } from '../core/stats/index.js';
import { localDateTime } from '../core/time.js';
import type { Pace } from '../core/visits/pacing.js';
import { totalsLines } from './stats/totals.js';
import { msg, ViewBuilder, type ChatView } from './views.js';

/** A new quiz for the recipient, with the button that starts it. */
export function pushNoticeView(push: { id: number; questionCount: number; deadline: number }, timeZone: string): ChatView {
  return new ViewBuilder()
    .line(msg('push.notice', { count: push.questionCount, deadline: localDateTime(push.deadline, timeZone) }))
    .action(msg('push.start_button'), 'quiz:push', push.id)
    .build();
}

/** The day before a pushed quiz's deadline. */
export function pushReminderView(push: { id: number; deadline: number }, timeZone: string): ChatView {
  return new ViewBuilder()
    .line(msg('push.reminder', { deadline: localDateTime(push.deadline, timeZone) }))
    .action(msg('push.start_button'), 'quiz:push', push.id)
    .build();
}

/** Wrong answers due for another try. */
export function weakSpotNudgeView(due: number): ChatView {
  return new ViewBuilder().line(msg('quizbot.nudge', { count: due })).action(msg('quizbot.weak_button'), 'quiz:weak').build();
}

export interface BehindHousehold {
  code: string;
  head: string;
  village: string;
  count: number;
  pace: Exclude<Pace, 'on_pace'>;
}

/** A helper's households that are behind or overdue, with the button to start a visit. */
export function helperNudgeView(name: string, households: BehindHousehold[], target: number): ChatView {
  const b = new ViewBuilder().line(msg('reminder.nudge_title', { name, count: households.length }));
  for (const h of households)
    b.line(msg('reminder.household', { code: h.code, head: h.head, village: h.village, count: h.count, target, pace: msg(`stats.pace.${h.pace}`) }));
  return b.block().line(msg('reminder.nudge_close')).action(msg('menu.visit'), 'menu', 'visit').build();
}

/** A supervisor's weekly totals of their scope, with the button to /stats. */
export function supervisorDigestView(name: string, year: number, report: StatsReport, helperNames: ReadonlyMap<number | string, string>): ChatView {
  const b = new ViewBuilder().line(msg('reminder.digest_title', { name, year }));
  for (const l of totalsLines(report, helperNames)) b.line(l);
  return b.block().line(msg('reminder.digest_close')).action(msg('menu.stats'), 'menu', 'stats').build();
}
