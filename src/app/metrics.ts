/**
 * The process's counters for /metrics (Prometheus text format 0.0.4) and /healthz: updates handled and how long they
 * took, Telegram errors and 429s. Channels count into it (src/bot through a middleware and an API transformer); the
 * web server reads it. No channel import here, so every layer above may use it.
 */

/** Update latency buckets, seconds: a card step takes milliseconds, an export or import seconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

export class Metrics {
  updatesHandled = 0;
  updatesFailed = 0;
  lastUpdateAt: number | undefined;
  private readonly latencyCounts = BUCKETS.map(() => 0);
  private latencySum = 0;
  /** Telegram answers that were not ok, by error code (0: no answer at all, a network failure) */
  readonly telegramErrors = new Map<number, number>();

  /** One update finished (its handler returned or threw). */
  updateHandled(seconds: number, failed: boolean, at: number): void {
    this.updatesHandled++;
    if (failed) this.updatesFailed++;
    this.lastUpdateAt = at;
    this.latencySum += seconds;
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) this.latencyCounts[i]++;
    });
  }

  telegramError(code: number): void {
    this.telegramErrors.set(code, (this.telegramErrors.get(code) ?? 0) + 1);
  }

  get telegram429(): number {
    return this.telegramErrors.get(429) ?? 0;
  }

  /** The counters of this module as Prometheus text lines. */
  lines(): string[] {
    const out = [
      '# HELP bangfu_updates_handled_total Telegram updates handled by the bot.',
      '# TYPE bangfu_updates_handled_total counter',
      `bangfu_updates_handled_total ${this.updatesHandled}`,
      '# HELP bangfu_updates_failed_total Updates that failed outside the error boundary (a bug in a handler is caught there and told to the user).',
      '# TYPE bangfu_updates_failed_total counter',
      `bangfu_updates_failed_total ${this.updatesFailed}`,
      '# HELP bangfu_update_duration_seconds Time from an update reaching the bot to its last reply sent.',
      '# TYPE bangfu_update_duration_seconds histogram',
    ];
    BUCKETS.forEach((b, i) => out.push(`bangfu_update_duration_seconds_bucket{le="${b}"} ${this.latencyCounts[i]}`));
    out.push(
      `bangfu_update_duration_seconds_bucket{le="+Inf"} ${this.updatesHandled}`,
      `bangfu_update_duration_seconds_sum ${round(this.latencySum)}`,
      `bangfu_update_duration_seconds_count ${this.updatesHandled}`,
      '# HELP bangfu_telegram_errors_total Bot API calls Telegram refused or that got no answer (code 0), by error code.',
      '# TYPE bangfu_telegram_errors_total counter',
    );
    for (const [code, n] of [...this.telegramErrors].sort((a, b) => a[0] - b[0])) out.push(`bangfu_telegram_errors_total{code="${code}"} ${n}`);
    out.push(
      '# HELP bangfu_telegram_429_total Bot API calls answered 429 Too Many Requests.',
      '# TYPE bangfu_telegram_429_total counter',
      `bangfu_telegram_429_total ${this.telegram429}`,
    );
    return out;
  }
}

export const round = (n: number): number => Math.round(n * 1e6) / 1e6;

/** A label value in Prometheus text format: backslash, quote and newline escaped. */
export const labelValue = (s: string): string => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
