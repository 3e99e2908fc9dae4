import { describe, expect, it } from "vitest";
import { segmentKey } from "./segment-key.js";

describe("segmentKey", () => {
  it("joins parts and escapes the separator", () => {
    expect(segmentKey({ program: "p", action: "offer_10", lifecycle: "new" })).toBe("p|offer_10|new");
    expect(segmentKey({ action: "a|b" })).toBe("*|a%7Cb|*");
    expect(segmentKey({ action: "a|b" })).not.toBe(segmentKey({ action: "a", lifecycle: "b" }));
  });
});
