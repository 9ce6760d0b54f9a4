import { defineConfig } from 'vitest/config';

/**
 * `npm run test:browser`: the web dashboard in Debian's headless Chromium driven by playwright-core (test/browser).
 * Not part of `npm test` (vitest.config.ts does not include test/browser): it needs the chromium package, which
 * `.ci/run` installs. One file at a time: Chromium itself uses both cores.
 */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
