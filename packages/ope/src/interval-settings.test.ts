import { createRng } from "@cia/core";
import { describe, expect, it } from "vitest";
import { resolveInterval } from "./interval-settings.js";

describe("resolveInterval", () => {
  it("defaults to a 95% multinomial bootstrap of 1000 resamples seeded with 0", () => {
    expect(resolveInterval().report).toEqual({
      method: "bootstrap",
      level: 0.95,
      resamples: 1000,
      scheme: "multinomial",
      seed: "0",
    });
    expect(resolveInterval({ method: "normal", level: 0.9 }).report).toEqual({
      method: "normal",
      level: 0.9,
    });
  });
  it("seeds from the generator's ope-bootstrap stream, and rejects a level outside (0, 1)", () => {
    expect(resolveInterval({ rng: createRng(5), seed: 9 }).seed).toBe(
      createRng(5).split("ope-bootstrap").seed,
    );
    expect(() => resolveInterval({ level: 1 })).toThrow(RangeError);
  });
});
