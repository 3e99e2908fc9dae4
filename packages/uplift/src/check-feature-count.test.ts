import { denseMatrix } from "@cia/core";
import { describe, expect, it } from "vitest";
import { checkFeatureCount } from "./check-feature-count.js";

describe("checkFeatureCount", () => {
  it("passes the fitted width and names the object otherwise", () => {
    const x = denseMatrix(2, 3);
    expect(() => checkFeatureCount(x, 3)).not.toThrow();
    expect(() => checkFeatureCount(x, 4, "cost head")).toThrow(
      expect.objectContaining({ code: "feature_mismatch", message: "cost head expects 4 features, got 3" }),
    );
  });
});
