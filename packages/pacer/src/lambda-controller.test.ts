import { CiaError } from "@cia/core";
import { describe, expect, it } from "vitest";
import { LambdaController } from "./lambda-controller.js";

describe("LambdaController", () => {
  it("takes projected integral steps (hand-computed)", () => {
    const c = new LambdaController({ eta: 0.5, initialLambda: 1, scale: 100, lambdaMax: 2 });
    expect(c.update({ target: 100, spend: 140 })).toBeCloseTo(1.2, 14); // + 0.5 * 0.4
    expect(c.update({ target: 100, spend: 0 })).toBeCloseTo(0.7, 14); // - 0.5 * 1
    expect(c.update({ target: 500, spend: 0 })).toBe(0); // projected at 0
    expect(c.update({ target: 0, spend: 1e6 })).toBe(2); // projected at lambdaMax
    expect(c.steps).toBe(4);
  });

  it("drives spend to target on a monotone response", () => {
    // Spend falls with lambda: spend(lambda) = 1000 * exp(-lambda); target 300 -> lambda* = ln(10/3).
    const c = new LambdaController({ eta: 0.3, scale: 300 });
    let spend = 0;
    for (let t = 0; t < 200; t++) {
      spend = 1000 * Math.exp(-c.lambda);
      c.update({ target: 300, spend });
    }
    expect(c.lambda).toBeCloseTo(Math.log(10 / 3), 4);
    expect(spend).toBeCloseTo(300, 1);
  });

  it("serializes its state to JSON and back", () => {
    const c = new LambdaController({ eta: 0.1, initialLambda: 0.5 });
    c.update({ target: 10, spend: 12 });
    const copy = LambdaController.fromJSON(JSON.parse(JSON.stringify(c)));
    expect(copy.lambda).toBe(c.lambda);
    expect(copy.steps).toBe(1);
    expect(copy.toJSON()).toEqual(c.toJSON());
    expect(copy.toJSON().lambdaMax).toBeNull();
    expect(copy.update({ target: 1, spend: 1 })).toBe(c.update({ target: 1, spend: 1 }));
  });

  it("rejects bad options and observations, keeping lambda finite", () => {
    expect(() => new LambdaController({ eta: Number.NaN })).toThrow(CiaError);
    expect(() => new LambdaController({ eta: 1, scale: 0 })).toThrow(/scale/);
    expect(() => new LambdaController({ eta: 1, initialLambda: -1 })).toThrow(/initialLambda/);
    const c = new LambdaController({ eta: 1e300, initialLambda: 1 });
    expect(() => c.update({ target: Number.NaN, spend: 1 })).toThrow(/target/);
    expect(() => c.update({ target: 1, spend: Number.POSITIVE_INFINITY })).toThrow(/spend/);
    expect(c.lambda).toBe(1);
    c.update({ target: 0, spend: Number.MAX_VALUE });
    expect(Number.isFinite(c.lambda)).toBe(true);
    expect(() => LambdaController.fromJSON({ kind: "x" } as never)).toThrow(CiaError);
  });
});
