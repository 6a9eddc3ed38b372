import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Typed rule tests build TypeScript programs: two workers fit these 2-core machines.
    maxWorkers: 2,
  },
});
