/**
 * The persisted send queue of pushed quizzes: quiz_deliveries rows, sent one at a time, paced by a SendGate
 * shared with the reminder and nudge jobs.
 *
 * Crash window. Each row goes pending → sending (committed) → the channel's call → sent (committed). If the process
 * dies between the two commits, Telegram may or may not have accepted the message and has no idempotency key to
 * ask. We choose AT MOST ONCE: on start-up such rows become 'unknown' and are never re-sent, because a duplicate
 * quiz notice to 500 people is worse than one missing notice, and a missing one is covered twice over: the quiz is
 * listed under /quiz for every recipient whatever the delivery status, and the before-deadline reminder also goes
 * to 'unknown' rows. The window is one HTTP round trip per process death, so at most one row per crash.
 */
import { pushNoticeView } from '../app/notices.js';
import type { JobDeps } from './deps.js';
import {
  claimDelivery,
  markDelivered,
  markFailed,
  markUnknown,
  pendingDeliveries,
  pushById,
  settleInterruptedDeliveries,
  type PushRow,
} from '../db/quiz-push-repo.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Paces background sends: consecutive sends start at least 1.2 s / rate apart (48 ms at 25/s, i.e. ≈ 21/s), so
 * any one-second window as Telegram sees it holds at most `rate` of them even when request latency varies by up to
 * 200 ms across a window (measured in test/e2e/push.e2e.test.ts). Callers are served in order.
 */
export class SendGate {
  private last = -Infinity;
  private chain: Promise<void> = Promise.resolve();
  readonly spacingMs: number;

  constructor(ratePerSecond: number) {
    this.spacingMs = Math.ceil(1200 / ratePerSecond);
  }

  /** Resolves when the next send may start. */
  wait(): Promise<void> {
    const turn = this.chain.then(async () => {
      // timers may fire a little early: check again until the spacing has really passed
      for (let delay = this.last + this.spacingMs - performance.now(); delay > 0; delay = this.last + this.spacingMs - performance.now()) {
        await sleep(Math.ceil(delay));
      }
      this.last = performance.now();
    });
    this.chain = turn.catch(() => undefined);
    return turn;
  }
}

const wakers = new Set<() => void>();

/** Tells running queues that new deliveries are waiting (a push was just confirmed in this process). */
export function notifyPushQueued(): void {
  for (const w of wakers) w();
}

/**
 * Sends every pending delivery now (paced by the gate), stopping early when `shouldStop` says so.
 * Returns how many rows it handled.
 */
export async function drainPushQueue(deps: JobDeps, gate: SendGate, shouldStop: () => boolean = () => false): Promise<number> {
  const { db, log } = deps;
  const pushes = new Map<number, PushRow | undefined>();
  let handled = 0;
  for (;;) {
    const batch = pendingDeliveries(db, 50);
    if (batch.length === 0) return handled;
    for (const d of batch) {
      if (shouldStop()) return handled;
      if (!pushes.has(d.pushId)) pushes.set(d.pushId, pushById(db, d.pushId));
      const push = pushes.get(d.pushId)!;
      handled++;
      if (d.telegramId === null) {
        markFailed(db, d.id, 'not bound to Telegram');
        continue;
      }
      await gate.wait();
      if (!claimDelivery(db, d.id, deps.now())) continue;
      const view = pushNoticeView({ id: push.id, questionCount: push.questions.length, deadline: push.deadline }, deps.config.timezone);
      const sent = await deps.notifier.send({ personId: d.personId, address: d.telegramId, locale: d.locale }, view);
      if (sent.status === 'sent') markDelivered(db, d.id, deps.now());
      // no answer: it may have arrived; the row becomes 'unknown', never sent again (at most once)
      else if (sent.status === 'unknown') markUnknown(db, d.id);
      else markFailed(db, d.id, sent.detail);
      if (sent.status !== 'sent') log.warn({ deliveryId: d.id, pushId: d.pushId, status: sent.status }, 'push delivery failed');
    }
  }
}

export interface PushQueue {
  stop(): Promise<void>;
}

/** Starts the queue loop: settles rows a crash left in flight, then sends pending rows, idling between pushes. */
export function startPushQueue(deps: JobDeps, gate: SendGate, idleMs = 1000): PushQueue {
  const settled = settleInterruptedDeliveries(deps.db);
  if (settled > 0) deps.log.warn({ count: settled }, 'deliveries interrupted by the last stop are marked unknown (not re-sent)');
  let stopped = false;
  let wake: () => void = () => undefined;
  const waker = () => wake();
  wakers.add(waker);
  const loop = (async () => {
    while (!stopped) {
      try {
        const n = await drainPushQueue(deps, gate, () => stopped);
        if (n > 0) deps.log.info({ handled: n }, 'push queue drained');
      } catch (err) {
        deps.log.error({ err: String(err) }, 'push queue failed; retrying');
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, idleMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();
  return {
    async stop() {
      stopped = true;
      wakers.delete(waker);
      wake();
      await loop;
    },
  };
}
