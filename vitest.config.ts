import { defineConfig } from 'vitest/config';

// End-to-end runs that must have the machine to themselves (Docker, signals to the harness,
// headless Chromium, the matrix with its own concurrent runs) run one file at a time, after the rest.
const SERIAL_E2E = [
  'test/e2e/containers-*.test.ts',
  'test/e2e/interrupt.test.ts',
  'test/e2e/report-kill.test.ts',
  'test/e2e/report-runs.test.ts',
  'test/e2e/matrix.test.ts',
];

export default defineConfig({
  test: {
    // Two files at a time: a scenario run mostly waits on its scenario clock (the mutation matrix
    // ran 120 cells two at a time on 2 cores without one flaky verdict).
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['harness/**/*.test.ts', 'scenarios/**/*.test.ts', 'targets/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: SERIAL_E2E,
          testTimeout: 600_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e-serial',
          include: SERIAL_E2E,
          testTimeout: 600_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
