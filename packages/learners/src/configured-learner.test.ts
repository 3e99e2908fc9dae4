import { describe, expect, it } from "vitest";
import { ConfiguredLearner } from "./configured-learner.js";

class Toy extends ConfiguredLearner<{ alpha?: number }> {}

describe("ConfiguredLearner", () => {
  it("stores a frozen copy of the options (empty when none are given)", () => {
    const given = { alpha: 2 };
    const toy = new Toy(given);
    given.alpha = 3;
    expect(toy.options).toEqual({ alpha: 2 });
    expect(Object.isFrozen(toy.options)).toBe(true);
    expect(new Toy().options).toEqual({});
  });
});
