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
    // Tests spawn git and age; two workers suit the 2-core CI machine.
    maxWorkers: 2,
  },
});
