import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // One file per core, not vitest's cores − 1: most files wait on child processes, servers and
    // Chromium rather than compute, and on a 2-core machine one worker ran the suite serially
    // (377 s against 282 s with two, measured on one machine in one session).
    maxWorkers: availableParallelism(),
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // A poll waits for something the app will do; vitest's 1 s default was missed on a loaded CI
    // machine (a PDF's first page drawn 1.7 s after the packet opened). A poll that should fail still does.
    expect: { poll: { timeout: 10_000 } },
    reporters: ['default'],
  },
});
