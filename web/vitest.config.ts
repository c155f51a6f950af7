import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Tests drive real gateways, processes and browsers: generous bounds, one file at a time.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    reporters: ["verbose"],
  },
});
