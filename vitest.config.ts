import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "src/**/*.test.ts",
      "action/src/**/*.test.ts",
      "site/test/**/*.test.ts",
      "bench/**/*.test.js",
      "scripts/**/*.test.js",
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    maxWorkers: 2,
  },
});
