/**
 * Counts events per key in fixed windows, in memory. Bounded: past `maxKeys` keys the oldest window is dropped,
 * so a flood of new keys cannot grow it without end.
 */
export class WindowLimiter<K = string | number> {
  private readonly windows = new Map<K, { start: number; count: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly maxKeys = 10_000,
  ) {}

  private current(key: K, now: number): { start: number; count: number } | undefined {
    const w = this.windows.get(key);
    if (w && now - w.start >= this.windowMs) {
      this.windows.delete(key);
      return undefined;
    }
    return w;
  }

  /** True when the key has used up its window. */
  blocked(key: K, now: number): boolean {
    return (this.current(key, now)?.count ?? 0) >= this.max;
  }

  /** Records one event; `limited` is true once the window is used up, `first` only for the event that used it up. */
  hit(key: K, now: number): { limited: boolean; first: boolean } {
    let w = this.current(key, now);
    if (!w) {
      if (this.windows.size >= this.maxKeys) this.windows.delete(this.windows.keys().next().value as K);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    return { limited: w.count >= this.max, first: w.count === this.max };
  }
}
