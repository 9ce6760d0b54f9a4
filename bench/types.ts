/** One measured target: printed as `TARGET <name> <measured> <limit> PASS|FAIL`. */
export interface BenchTarget {
  name: string;
  measured: number;
  limit: number;
  /** unit shown after the figures in the human-readable lines, e.g. "ms", "x", "MB" */
  unit: string;
}

/** A bench module prints its own side-by-side lines and returns its targets. */
export interface BenchModule {
  title: string;
  run(): Promise<BenchTarget[]>;
}
