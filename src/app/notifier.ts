/**
 * How jobs and use cases reach a person outside the update they are answering (reminders, pushed quizzes, a
 * reviewer told that a correction came in). The Telegram adapter implements it (src/bot/notifier.ts); tests record.
 */
import type { ChatView } from './views.js';

export interface Recipient {
  personId: number;
  /** the channel's address of the person (a Telegram chat id today) */
  address: number;
  /** the person's own language choice, if any */
  locale: string | null;
}

/**
 * `sent`: the channel accepted it. `refused`: the channel said no (blocked, chat gone, bad request): it did not
 * arrive. `unknown`: no answer (network, timeout): it may have arrived, so a careful caller does not send it again.
 */
export type SendOutcome = { status: 'sent' } | { status: 'refused'; detail: string } | { status: 'unknown'; detail: string };

export interface Notifier {
  send(to: Recipient, view: ChatView): Promise<SendOutcome>;
}
