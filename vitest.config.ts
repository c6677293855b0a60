import path from "node:path";
import { defineConfig } from "vitest/config";

// Two projects: fast unit tests next to modules, and integration tests in tests/integration that
// start real server processes (one file at a time: they share two cores and real ports).
export default defineConfig({
  resolve: { alias: { "~": path.resolve(import.meta.dirname, "app") } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: [
            "app/**/*.test.{ts,tsx}",
            "db/**/*.test.ts",
            "protocol/**/*.test.ts",
            "worker/**/*.test.ts",
            "scripts/**/*.test.ts",
          ],
          environment: "node",
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
          poolOptions: { forks: { singleFork: true } },
          pool: "forks",
        },
      },
    ],
  },
});
