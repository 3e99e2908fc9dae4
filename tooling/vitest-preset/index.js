// Shared vitest settings for every package of the workspace.
// - `@cia/source` makes imports of workspace packages resolve to TypeScript source, so tests run
//   without a build. It must sit under `ssr.resolve` to reach node tests.
// - The JSON reporter writes `.test-results/vitest.json`; `.ci/run` sums those files into the
//   closing `N passed, N failed` line.
import { defineConfig } from "vitest/config";

/**
 * @param {{ testTimeout?: number }} [options]
 */
export function ciaVitestConfig(options = {}) {
  return defineConfig({
    ssr: { resolve: { conditions: ["@cia/source"] } },
    resolve: { conditions: ["@cia/source"] },
    test: {
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      testTimeout: options.testTimeout ?? 120_000,
      hookTimeout: 120_000,
      reporters: ["default", "json"],
      outputFile: { json: ".test-results/vitest.json" },
      pool: "forks",
    },
  });
}
