import { defineConfig } from 'vitest/config';

/**
 * Unit and in-process bot tests run in parallel; the end-to-end tests (real bot processes, real time limits,
 * SIGKILLs) run afterwards one file at a time, so machine load never turns a timing check into a flake.
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'fast', include: ['test/unit/**/*.test.ts', 'test/app/**/*.test.ts', 'test/bot/**/*.test.ts'], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
