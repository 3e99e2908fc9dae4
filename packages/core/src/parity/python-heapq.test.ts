import { describe, expect, it } from "vitest";
import { heapqPop, heapqPush } from "./python-heapq.js";

describe("heapqPush / heapqPop", () => {
  it("pop tied items in CPython heapq's order (larger gain first, as sklearn's TreeNode.__lt__)", () => {
    // python3: class N: __lt__ = lambda s, o: s.g > o.g; push node i (gain gains[i]) and pop after
    // every third push, then drain (CPython 3.11 heapq):
    const gains = [3, 1, 3, 2, 2, 3, 1, 1, 2, 3, 0, 2, 3, 1, 2, 2];
    const want = [0, 2, 5, 9, 12, 8, 3, 14, 15, 4, 11, 1, 7, 6, 13, 10];
    const larger = (a: number, b: number): boolean => gains[a]! > gains[b]!;
    const heap: number[] = [];
    const out: number[] = [];
    for (let i = 0; i < gains.length; i++) {
      heapqPush(heap, i, larger);
      if (i % 3 === 2) out.push(heapqPop(heap, larger)!);
    }
    while (heap.length > 0) out.push(heapqPop(heap, larger)!);
    expect(out).toEqual(want);
  });

  it("is a min-heap under `less` and returns undefined when empty", () => {
    const less = (a: number, b: number): boolean => a < b;
    const heap: number[] = [];
    for (const v of [5, 3, 8, 1, 9, 2]) heapqPush(heap, v, less);
    const out: number[] = [];
    for (let v = heapqPop(heap, less); v !== undefined; v = heapqPop(heap, less)) out.push(v);
    expect(out).toEqual([1, 2, 3, 5, 8, 9]);
    expect(heapqPop(heap, less)).toBeUndefined();
  });

  it("the JSDoc example", () => {
    const gain = [0.5, 2, 2, 1];
    const heap: number[] = [];
    const larger = (a: number, b: number): boolean => gain[a]! > gain[b]!;
    for (const node of [0, 1, 2, 3]) heapqPush(heap, node, larger);
    expect(heapqPop(heap, larger)).toBe(1);
  });
});
