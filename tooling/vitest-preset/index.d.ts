import type { UserConfig } from "vitest/config";
export declare function ciaVitestConfig(options?: { testTimeout?: number }): UserConfig;
