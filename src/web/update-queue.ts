import type { Update } from '../bot/telegram-types.js';

/**
 * Updates received by the webhook, waiting for the runner: its `supply` is what getUpdates is in polling mode, so
 * both modes share the runner's sink (concurrency, no time limit per update; the bot keeps each chat's updates in order).
 * Bounded: past `max` waiting updates the webhook answers 503 and Telegram retries later.
 */
export class UpdateQueue {
  private items: Update[] = [];
  private waiting: (() => void)[] = [];
  /** ids waiting or in hand, so a quick resend of one update is not handled twice at once */
  private readonly known = new Set<number>();

  constructor(readonly max = 10_000) {}

  get size(): number {
    return this.items.length;
  }

  has(updateId: number): boolean {
    return this.known.has(updateId);
  }

  /** false when full */
  push(update: Update): boolean {
    if (this.known.has(update.update_id)) return true;
    if (this.items.length >= this.max) return false;
    this.known.add(update.update_id);
    this.items.push(update);
    for (const w of this.waiting.splice(0)) w();
    return true;
  }

  /** The update is handled: its id may come again (then dedupe, by the processed_updates table, skips it). */
  done(updateId: number): void {
    this.known.delete(updateId);
  }

  async supply(batchSize: number, signal: AbortSignal): Promise<Update[]> {
    while (!this.items.length) {
      if (signal.aborted) return [];
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal.removeEventListener('abort', wake);
          resolve();
        };
        this.waiting.push(wake);
        signal.addEventListener('abort', wake);
      });
    }
    return this.items.splice(0, Math.max(1, batchSize));
  }
}
