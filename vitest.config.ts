import { defineConfig } from 'vitest/config';

/**
 * On 2 cores (docs/testing.md). `fast`: unit and in-process bot tests, modules loaded once per worker rather than once
 * per file (the bot's import graph costs seconds; no test keeps state in modules). `e2e`: real bot processes, each
 * file with its own port, folder and database. Both projects run at once, four workers each: the e2e files spend most
 * of their time waiting on a rate limit, a kill or a signal, and the in-process files fill those waits (the whole
 * suite in about 85 s where the two one after the other took about 155 s). No time limit is asserted among them:
 * those are `npm run bench` targets.
 * The global setup builds dist/ once (as npm start's prestart would) for the processes the tests start (test/support/build-once.ts).
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/support/build-once.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'fast', include: ['test/unit/**/*.test.ts', 'test/app/**/*.test.ts', 'test/bot/**/*.test.ts', 'test/web/**/*.test.ts'], isolate: false, maxWorkers: 4, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], maxWorkers: 4, sequence: { groupOrder: 0 } },
      },
    ],
  },
});
