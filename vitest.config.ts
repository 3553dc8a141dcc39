import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // The e2e tests mostly wait on child processes and loopback servers: two files at a time halves
    // the wall time on a 2-core machine (vitest would otherwise use one worker there).
    maxWorkers: 2,
  },
});
