import { type Learner, Ridge } from "@cia/learners";
import { numpyKFoldTestFolds } from "@cia/core/parity";
import { describe, expect, it } from "vitest";
import { fitUplift } from "./fit-uplift.js";
import { loadUpliftModel } from "./load-uplift-model.js";
import { smallHgb as hgb } from "./test-helpers/small-hgb.js";
import { twoArmPehe as pehe, twoArmWorld as world } from "./test-helpers/two-arm-world.js";

describe("DR-learner sample splitting", () => {
  it('rotates CausalML\'s three KFold folds by default; "cross-fit" fits on two thirds and differs', () => {
    const n = 3000;
    const d = world(n, 5, 1, 1);
    const fitWith = (drScheme?: "rotate" | "cross-fit") => {
      const outcomeRows: number[] = [];
      const effectRows: number[] = [];
      const counting = (sizes: number[]) => (): Learner => {
        const l = hgb();
        return {
          kind: l.kind,
          fit: (x, y, o) => {
            sizes.push(x.rows);
            return l.fit(x, y, o);
          },
        };
      };
      const model = fitUplift(
        { features: d.x, action: d.action, value: d.value, propensity: d.propensity },
        {
          learner: "dr",
          drScheme,
          value: { learner: counting(outcomeRows), effectLearner: counting(effectRows) },
          seed: 1,
        },
      );
      return {
        model,
        outcomeRows,
        effectRows,
        tau: model.predict(d.x, { propensity: d.propensity }).tauValue,
      };
    };
    const rotate = fitWith();
    const folds = numpyKFoldTestFolds(n, 3, 0);
    // effect model f on fold f + 2's rows (every arm here); outcome models on fold f + 1's arms
    expect(rotate.effectRows).toEqual([folds[2]!.length, folds[0]!.length, folds[1]!.length]);
    const armCount = (fold: Int32Array, a: number) => fold.filter((i) => d.action[i] === a).length;
    expect(rotate.outcomeRows).toEqual(
      [1, 2, 0].flatMap((f) => [armCount(folds[f]!, 0), armCount(folds[f]!, 1)]),
    );
    expect(Array.from(fitWith("rotate").tau)).toEqual(Array.from(rotate.tau));
    const cf = fitWith("cross-fit");
    expect(cf.effectRows).toHaveLength(3);
    for (const m of cf.effectRows) expect(Math.abs(m - n / 3)).toBeLessThanOrEqual(2);
    // cross-fit outcome models see two thirds of each arm
    expect(cf.outcomeRows.reduce((s, v) => s + v, 0)).toBe(2 * n);
    expect(Array.from(cf.tau)).not.toEqual(Array.from(rotate.tau));
    // both beat the best constant (the true effect's variance, 0.25)
    expect(pehe(rotate.tau, d.tau)).toBeLessThan(0.25);
    expect(pehe(cf.tau, d.tau)).toBeLessThan(0.25);
    // the JSON (three effect/f models, averaged at predict time) round-trips
    const json = JSON.stringify(rotate.model.toJSON());
    expect(json.match(/"effect\/\d"/g)?.length).toBe(3);
    const again = loadUpliftModel(JSON.parse(json)).predict(d.x, { propensity: d.propensity }).tauValue;
    expect(Array.from(again)).toEqual(Array.from(rotate.tau));
  });
});

describe("DR-learner rotation seed (drRotationSeed)", () => {
  const n = 600;
  const d = world(n, 7, 1, 1);
  const data = { features: d.x, action: d.action, value: d.value, propensity: d.propensity };
  const ridge = () => new Ridge({ alpha: 1e-3 });
  const effectSizes = (drRotationSeed?: number) => {
    const sizes: number[] = [];
    const counting = (): Learner => {
      const l = ridge();
      return {
        kind: l.kind,
        fit: (x, y, o) => {
          sizes.push(x.rows);
          return l.fit(x, y, o);
        },
      };
    };
    const model = fitUplift(data, {
      learner: "dr",
      drRotationSeed,
      value: { learner: ridge, effectLearner: counting },
      seed: 1,
    });
    return { sizes, tau: model.predict(d.x, { propensity: d.propensity }).tauValue };
  };

  it("defaults to CausalML's random_state 0 and follows another seed's KFold folds", () => {
    const byDefault = effectSizes();
    expect(Array.from(effectSizes(0).tau)).toEqual(Array.from(byDefault.tau));
    const folds = numpyKFoldTestFolds(n, 3, 7);
    const other = effectSizes(7);
    expect(other.sizes).toEqual([folds[2]!.length, folds[0]!.length, folds[1]!.length]);
    expect(Array.from(other.tau)).not.toEqual(Array.from(byDefault.tau));
  });

  it("rejects a seed numpy cannot take", () => {
    for (const bad of [-1, 0.5, 2 ** 32]) {
      expect(() => effectSizes(bad)).toThrow(expect.objectContaining({ code: "invalid_option" }));
    }
  });
});
