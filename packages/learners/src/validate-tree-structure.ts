import type { ModelJsonProblem } from "./validate-model-error.js";

/** The node arrays of a gradient-boosting model's JSON that define its trees (already type-checked). */
export interface TreeArrays {
  nFeatures: number;
  treeRoots: readonly number[];
  feature: readonly number[];
  threshold: readonly (number | null)[];
  binThreshold: readonly number[];
  missingLeft: readonly number[];
  left: readonly number[];
  right: readonly number[];
  value: readonly number[];
  catIndex: readonly number[];
  catBitsets: readonly number[];
  categories: readonly (readonly number[] | null)[];
  missingBin: number;
}

const NODE_FIELDS = [
  "threshold",
  "binThreshold",
  "missingLeft",
  "left",
  "right",
  "value",
  "catIndex",
] as const;

/**
 * The structural checks that make a tree model safe to walk, on its type-checked JSON: every
 * per-node array has one entry per node; tree q owns the contiguous nodes from its root up to the
 * next root (roots start at 0 and increase); a split's children lie inside its own tree and after
 * it (so every walk moves forward and ends: no cycle can hang prediction); every node but the root
 * has exactly one parent (each node is reachable once); leaves have no children; split features
 * are below `nFeatures`; categorical splits point at an existing bitset of a categorical feature;
 * bin thresholds are below the missing bin; category lists are sorted and fit the 256-bin bitsets.
 * Returns the first problem (path from the model's JSON root) or null.
 *
 * Why these rules: the WebAssembly predictor reads node records at the child indices without
 * bounds checks, and the JavaScript walk loops until it reaches a leaf.
 *
 * @example
 * const problem = validateTreeStructure(json); // { path: ["left", 37], reason: "..." } or null
 */
export function validateTreeStructure(t: TreeArrays): ModelJsonProblem | null {
  const n = t.feature.length;
  for (const key of NODE_FIELDS) {
    if (t[key].length !== n)
      return { path: [key], reason: `has ${t[key].length} entries, expected one per node (${n})` };
  }
  if (t.categories.length !== t.nFeatures) {
    return {
      path: ["categories"],
      reason: `has ${t.categories.length} entries, expected one per feature (nFeatures ${t.nFeatures})`,
    };
  }
  for (let f = 0; f < t.categories.length; f++) {
    const c = t.categories[f];
    if (!c) continue;
    if (c.length > t.missingBin)
      return {
        path: ["categories", f],
        reason: `${c.length} categories do not fit below the missing bin ${t.missingBin}`,
      };
    for (let j = 1; j < c.length; j++)
      if (!(c[j]! > c[j - 1]!))
        return { path: ["categories", f, j], reason: "category values must be sorted and distinct" };
  }
  if (t.catBitsets.length % 8 !== 0)
    return {
      path: ["catBitsets"],
      reason: `has ${t.catBitsets.length} words, expected 8 per categorical split`,
    };
  const nCat = t.catBitsets.length / 8;
  const roots = t.treeRoots;
  if (roots.length === 0 && n > 0) return { path: ["treeRoots"], reason: `no tree owns the ${n} nodes` };
  if (roots.length > 0 && roots[0] !== 0)
    return { path: ["treeRoots", 0], reason: `the first tree must start at node 0, got ${roots[0]}` };
  for (let q = 0; q < roots.length; q++) {
    if (roots[q]! >= n || (q > 0 && roots[q]! <= roots[q - 1]!)) {
      return {
        path: ["treeRoots", q],
        reason: `tree roots must increase and stay below the node count ${n} (got ${roots[q]} after ${q > 0 ? roots[q - 1] : "none"})`,
      };
    }
  }
  const parents = new Uint8Array(n);
  for (let q = 0; q < roots.length; q++) {
    const start = roots[q]!;
    const end = q + 1 < roots.length ? roots[q + 1]! : n;
    for (let j = start; j < end; j++) {
      const where = `(tree ${q}, node ${j - start})`;
      const f = t.feature[j]!;
      const l = t.left[j]!;
      const r = t.right[j]!;
      if (f < 0) {
        if (l !== -1 || r !== -1)
          return {
            path: [l !== -1 ? "left" : "right", j],
            reason: `a leaf has no children, got ${l !== -1 ? l : r} ${where}`,
          };
        if (t.catIndex[j] !== -1)
          return {
            path: ["catIndex", j],
            reason: `a leaf has no categorical split, got ${t.catIndex[j]} ${where}`,
          };
        continue;
      }
      if (f >= t.nFeatures)
        return {
          path: ["feature", j],
          reason: `feature index ${f} out of range 0..${t.nFeatures - 1} ${where}`,
        };
      for (const [side, c] of [
        ["left", l],
        ["right", r],
      ] as const) {
        if (!(c > j && c < end))
          return {
            path: [side, j],
            reason: `child index ${c} out of range ${j + 1}..${end - 1}: children follow their parent inside its tree ${where}`,
          };
        if (parents[c] !== 0)
          return {
            path: [side, j],
            reason: `node ${c} has two parents (each node is reached once) ${where}`,
          };
        parents[c] = 1;
      }
      const ci = t.catIndex[j]!;
      if (ci >= 0) {
        if (ci >= nCat)
          return {
            path: ["catIndex", j],
            reason: `categorical split ${ci} out of range 0..${nCat - 1} ${where}`,
          };
        if (!t.categories[f])
          return {
            path: ["catIndex", j],
            reason: `categorical split on feature ${f}, which has no categories ${where}`,
          };
      } else {
        const b = t.binThreshold[j]!;
        if (!(b >= 0 && b < t.missingBin))
          return {
            path: ["binThreshold", j],
            reason: `bin threshold ${b} out of range 0..${t.missingBin - 1} ${where}`,
          };
      }
    }
    for (let j = start + 1; j < end; j++)
      if (parents[j] === 0)
        return {
          path: ["feature", j],
          reason: `node ${j - start} of tree ${q} is not reachable from its root`,
        };
  }
  return null;
}
