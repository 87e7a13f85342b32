import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The run's template cache (test/helpers/env.ts fromTemplate), and the check that fails a
    // test whose scripted prompter was asked something unscripted.
    globalSetup: ["test/helpers/global-setup.ts"],
    setupFiles: ["test/helpers/setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Most of a test's time is spent waiting on git and node child processes, not computing:
    // on the 2-core machine four workers finish sooner than two (measured: 49-58 s against
    // 90-93 s wall for the whole suite).
    maxWorkers: 4,
    // Test files share nothing through module state (src keeps none, and each file builds
    // its own worlds), so a worker keeps its loaded modules between files: a third less CPU.
    isolate: false,
  },
});
