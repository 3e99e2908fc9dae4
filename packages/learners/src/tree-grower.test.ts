import { describe, expect, it } from "vitest";
import type { GrowerConfig } from "./grower-config.js";
import { growerConfig, randomBins } from "./test-helpers/grower-config.js";
import { type GrownTree, TreeGrower } from "./tree-grower.js";

const n = 400;
const bins = randomBins(n, 3, 8, 11);

/** Grow one tree on all rows with squared-error gradients of a target that depends on every feature. */
function growOne(options: Partial<GrowerConfig>): { tree: GrownTree; grower: TreeGrower } {
  const config = growerConfig(bins, options);
  const grower = new TreeGrower(config);
  for (let i = 0; i < n; i++) {
    grower.partition[i] = i;
    grower.gradients[i] = -(bins[0]![i]! * 2 + (bins[1]![i]! > 3 ? 5 : 0) + (bins[2]![i]! % 2));
  }
  const all = Int32Array.of(0, 1, 2);
  return { tree: grower.grow(grower.gradients, grower.hessians, n, true, all), grower };
}

function leaves(tree: GrownTree): number[] {
  return Array.from(tree.feature.keys()).filter((k) => tree.feature[k]! < 0);
}

/** Rows reaching each node, by walking the tree over the bins. */
function rowsPerLeaf(tree: GrownTree): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    let k = 0;
    while (tree.feature[k]! >= 0)
      k = bins[tree.feature[k]!]![i]! <= tree.binThreshold[k]! ? tree.left[k]! : tree.right[k]!;
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

function depth(tree: GrownTree, k = 0): number {
  return tree.feature[k]! < 0 ? 0 : 1 + Math.max(depth(tree, tree.left[k]!), depth(tree, tree.right[k]!));
}

describe("TreeGrower", () => {
  it("stops at maxLeafNodes", () => {
    for (const maxLeafNodes of [2, 5, 13])
      expect(leaves(growOne({ maxLeafNodes }).tree)).toHaveLength(maxLeafNodes);
  });

  it("keeps minSamplesLeaf rows in every leaf", () => {
    for (const minSamplesLeaf of [1, 25, 90]) {
      const { tree } = growOne({ minSamplesLeaf, maxLeafNodes: 64 });
      for (const count of rowsPerLeaf(tree).values()) expect(count).toBeGreaterThanOrEqual(minSamplesLeaf);
    }
  });

  it("stops at maxDepth, and a root with too few rows stays a leaf valued 0", () => {
    expect(depth(growOne({ maxDepth: 2, maxLeafNodes: 64 }).tree)).toBe(2);
    const { tree } = growOne({ minSamplesLeaf: 201 });
    expect(Array.from(tree.feature)).toEqual([-1]);
    expect(Array.from(tree.value)).toEqual([0]);
  });

  it("leaf values are -G/H times the learning rate, and applyToRaw adds them to each leaf's rows", () => {
    const { tree, grower } = growOne({ maxLeafNodes: 4, learningRate: 0.5 });
    const raw = new Float64Array(n);
    grower.applyToRaw(tree, raw);
    const sums = new Map<number, [number, number]>();
    for (let i = 0; i < n; i++) {
      let k = 0;
      while (tree.feature[k]! >= 0)
        k = bins[tree.feature[k]!]![i]! <= tree.binThreshold[k]! ? tree.left[k]! : tree.right[k]!;
      const [g, c] = sums.get(k) ?? [0, 0];
      sums.set(k, [g + grower.gradients[i]!, c + 1]);
      expect(raw[i]).toBe(tree.value[k]);
    }
    for (const [k, [g, c]] of sums) expect(tree.value[k]).toBeCloseTo((-g / c) * 0.5, 10);
  });
});
