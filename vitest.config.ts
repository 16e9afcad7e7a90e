import { defineConfig } from 'vitest/config';

/**
 * One generous ceiling for every test and hook, and no tighter budget anywhere: a test waits for
 * the event it expects (a line printed, a state reached, a process's exit), so a loaded runner
 * makes it slower, not red. A test that hangs still ends, at the ceiling, and its processes are
 * killed after its file (test/setup-procs.ts); the run's teardown fails if any is left.
 */
const CEILING_MS = 900_000;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: CEILING_MS,
    hookTimeout: CEILING_MS,
    teardownTimeout: CEILING_MS,
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup-procs.ts'],
  },
});
