/**
 * WebAssembly text of the tree grower's hot loops (internal). `scripts/build-wasm.ts` assembles it
 * with wabt into `kernels-binary.ts`; a test checks the committed binary still matches this text.
 *
 * Why WebAssembly: the loops are a handful of loads and float adds per row, and in JavaScript
 * every typed-array access carries a bounds check that V8 cannot hoist out of a gather. In
 * WebAssembly the checks are folded into guard pages, which roughly halves the time per
 * histogram update. Each kernel performs exactly the float operations, in exactly the order, of
 * its JavaScript twin in tree-grower.ts, so both produce identical trees.
 *
 * All pointers are byte offsets into the one imported memory.
 *
 * @example
 * const text = kernelsWat(); // "(module (memory (import "env" "memory") 1) ..."
 */
export function kernelsWat(): string {
  const fns: string[] = [];
  for (const node of [true, false])
    for (const mode of ["g", "gc", "ghc"] as const)
      for (const width of [1, 4, 8]) {
        // The g-only kernel serves unweighted roots, whose counts are cached.
        if (node && mode === "g") continue;
        fns.push(histKernel(node, mode, width));
      }
  fns.push(gather("gather_f32", "f32", 2), gather("gather_f64", "f64", 3), partition());
  fns.push(
    splitScan(true, false),
    splitScan(false, false),
    splitScan(true, true),
    splitScan(false, true),
    subtract(),
    predict(),
    predict4(),
    predictDense(8),
  );
  return `(module\n(memory (import "env" "memory") 1)\n${fns.join("\n")}\n)\n`;
}

/**
 * hist_{node|root}_{mode}{width}(col, n, part, m, g, h, w, hist, stride): add rows k < m into
 * `width` consecutive features' histograms. Row i is part[k] (node) or k (root); its bin in
 * feature f is binned[col + f n + i]; gradients, hessians and weights are read at k (ordered
 * buffers for nodes, the full arrays at the root). Bins hold (g, w) doubles, or (g, w, h) for
 * "ghc"; "g" adds only the gradient channel.
 */
function histKernel(node: boolean, mode: "g" | "gc" | "ghc", width: number): string {
  const name = `hist_${node ? "node" : "root"}_${mode}${width}`;
  const binBytes = mode === "ghc" ? 24 : 16;
  const locals: string[] = [];
  const init: string[] = [];
  for (let f = 0; f < width; f++) {
    locals.push(`(local $c${f} i32) (local $h${f} i32)`);
    init.push(
      `(local.set $c${f} (i32.add (local.get $col) (i32.mul (local.get $n) (i32.const ${f}))))`,
      `(local.set $h${f} (i32.add (local.get $hist) (i32.mul (local.get $stride) (i32.const ${f}))))`,
    );
  }
  const row = node
    ? "(i32.load (i32.add (local.get $part) (i32.shl (local.get $k) (i32.const 2))))"
    : "(local.get $k)";
  const loads = [
    "(local.set $gk (f64.promote_f32 (f32.load (i32.add (local.get $g) (i32.shl (local.get $k) (i32.const 2))))))",
  ];
  if (mode !== "g")
    loads.push("(local.set $wk (f64.load (i32.add (local.get $w) (i32.shl (local.get $k) (i32.const 3)))))");
  if (mode === "ghc")
    loads.push(
      "(local.set $hk (f64.promote_f32 (f32.load (i32.add (local.get $h) (i32.shl (local.get $k) (i32.const 2))))))",
    );
  const adds: string[] = [];
  for (let f = 0; f < width; f++) {
    const bin = `(i32.load8_u (i32.add (local.get $c${f}) (local.get $i)))`;
    const off = binBytes === 16 ? `(i32.shl ${bin} (i32.const 4))` : `(i32.mul ${bin} (i32.const 24))`;
    adds.push(`(local.set $a (i32.add (local.get $h${f}) ${off}))`);
    adds.push("(f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (local.get $gk)))");
    if (mode !== "g")
      adds.push(
        "(f64.store offset=8 (local.get $a) (f64.add (f64.load offset=8 (local.get $a)) (local.get $wk)))",
      );
    if (mode === "ghc")
      adds.push(
        "(f64.store offset=16 (local.get $a) (f64.add (f64.load offset=16 (local.get $a)) (local.get $hk)))",
      );
  }
  return `(func (export "${name}")
 (param $col i32) (param $n i32) (param $part i32) (param $m i32) (param $g i32) (param $h i32) (param $w i32) (param $hist i32) (param $stride i32)
 (local $k i32) (local $i i32) (local $a i32) (local $gk f64) (local $hk f64) (local $wk f64) ${locals.join(" ")}
 ${init.join("\n ")}
 (block $done (loop $next
  (br_if $done (i32.ge_u (local.get $k) (local.get $m)))
  (local.set $i ${row})
  ${loads.join("\n  ")}
  ${adds.join("\n  ")}
  (local.set $k (i32.add (local.get $k) (i32.const 1)))
  (br $next))))`;
}

/** gather(dst, src, part, m): dst[k] = src[part[k]] for k < m. */
function gather(name: string, type: "f32" | "f64", shift: number): string {
  return `(func (export "${name}") (param $dst i32) (param $src i32) (param $part i32) (param $m i32)
 (local $k i32)
 (block $done (loop $next
  (br_if $done (i32.ge_u (local.get $k) (local.get $m)))
  (${type}.store (i32.add (local.get $dst) (i32.shl (local.get $k) (i32.const ${shift})))
   (${type}.load (i32.add (local.get $src)
    (i32.shl (i32.load (i32.add (local.get $part) (i32.shl (local.get $k) (i32.const 2)))) (i32.const ${shift})))))
  (local.set $k (i32.add (local.get $k) (i32.const 1)))
  (br $next))))`;
}

/**
 * partition(part, scratch, col, lut, m) -> left count: stable partition of the m indices at
 * `part` by lut[binned[col + i]] (1 = left). Branch-free like partitionKernel: every index is
 * written to both sides and only the matching cursor advances.
 */
function partition(): string {
  return `(func (export "partition") (param $part i32) (param $scratch i32) (param $col i32) (param $lut i32) (param $m i32) (result i32)
 (local $k i32) (local $i i32) (local $l i32) (local $r i32) (local $go i32)
 (block $done (loop $next
  (br_if $done (i32.ge_u (local.get $k) (local.get $m)))
  (local.set $i (i32.load (i32.add (local.get $part) (i32.shl (local.get $k) (i32.const 2)))))
  (local.set $go (i32.load8_u (i32.add (local.get $lut) (i32.load8_u (i32.add (local.get $col) (local.get $i))))))
  (i32.store (i32.add (local.get $part) (i32.shl (local.get $l) (i32.const 2))) (local.get $i))
  (i32.store (i32.add (local.get $scratch) (i32.shl (local.get $r) (i32.const 2))) (local.get $i))
  (local.set $l (i32.add (local.get $l) (local.get $go)))
  (local.set $r (i32.add (local.get $r) (i32.sub (i32.const 1) (local.get $go))))
  (local.set $k (i32.add (local.get $k) (i32.const 1)))
  (br $next)))
 (memory.copy (i32.add (local.get $part) (i32.shl (local.get $l) (i32.const 2))) (local.get $scratch) (i32.shl (local.get $r) (i32.const 2)))
 (local.get $l))`;
}

/**
 * scan_{lr|rl}(hist, count, wb, hoff, G, H, C, loss, msl, mh, l2, out): the split search over one
 * numeric feature's bins, exactly as findSplit's JavaScript loops. "lr" scans bins 0..count-1
 * left to right (missing values go right); "rl" scans thresholds count-1..0 right to left over
 * bins b+1 (missing values go left). `wb` is the bytes per bin, `hoff` the byte offset of the
 * hessian channel (8, the count, for constant hessians). `out` holds f64
 * [bestGain, bin, GL, HL, CL, missingLeft] and is updated only by a strictly better gain.
 *
 * The two leaf values of a candidate, -g / (h + l2 + 1e-15) for left and right, are computed in
 * one f64x2 division: lane by lane the same IEEE operations as the scalar code, half the divides.
 * Most candidates never get there: a multiply-only bound (see the loop) rejects those that cannot
 * beat `out`'s gain, which the caller seeds with the best gain of the features before.
 */
function splitScan(lr: boolean, constH: boolean): string {
  const name = `${lr ? "scan_lr" : "scan_rl"}${constH ? "_c" : ""}`;
  // Left-to-right accumulates the left child; right-to-left the right child.
  const [ga, ha, ca] = lr ? ["$gl", "$hl", "$cl"] : ["$gr", "$hr", "$cr"];
  const [go, ho, co] = lr ? ["$gr", "$hr", "$cr"] : ["$gl", "$hl", "$cl"];
  const wb = constH ? 16 : 24;
  // With constant hessians the hessian sums are the counts: same values, same order, so the
  // count locals stand in for them (the JavaScript loop sums them separately, to the same bits).
  const hl = constH ? "$cl" : "$hl";
  const hr = constH ? "$cr" : "$hr";
  const hAcc = constH
    ? ""
    : `(local.set ${ha} (f64.add (local.get ${ha}) (f64.load offset=16 (local.get $j))))
   (local.set ${ho} (f64.sub (local.get $H) (local.get ${ha})))`;
  return `(func (export "${name}")
 (param $hist i32) (param $count i32) (param $wb i32) (param $hoff i32)
 (param $G f64) (param $H f64) (param $C f64) (param $loss f64) (param $msl f64) (param $mh f64) (param $l2 f64) (param $out i32)
 (local $b i32) (local $j i32) (local $c f64) (local $g f64) (local $gl f64) (local $hl f64) (local $cl f64) (local $gr f64) (local $hr f64) (local $cr f64)
 (local $gain f64) (local $v v128) (local $best f64) (local $dl f64) (local $dr f64) (local $q f64)
 (local.set $best (f64.load (local.get $out)))
 ;; $q: what gl^2/dl + gr^2/dr must exceed (scaled down by 1e-9 so the test below only rejects)
 (local.set $q (f64.mul (f64.sub (f64.max (local.get $best) (f64.const 0)) (local.get $loss)) (f64.const 0.999999999)))
 ${
   lr
     ? "(local.set $j (local.get $hist))"
     : `(local.set $b (i32.sub (local.get $count) (i32.const 1)))
 (local.set $j (i32.add (local.get $hist) (i32.mul (local.get $count) (i32.const ${wb}))))`
 }
 (block $done (loop $next
  ${lr ? "(br_if $done (i32.ge_s (local.get $b) (local.get $count)))" : "(br_if $done (i32.lt_s (local.get $b) (i32.const 0)))"}
  (block $skip
   (local.set $c (f64.load offset=8 (local.get $j)))
   (local.set $g (f64.load (local.get $j)))
   ;; No test for empty bins: one repeats the previous candidate, whose gain it cannot strictly
   ;; beat, and the unpredictable branch cost more than the bins it saved.
   (local.set ${ca} (f64.add (local.get ${ca}) (local.get $c)))
   (local.set ${ga} (f64.add (local.get ${ga}) (local.get $g)))
   (local.set ${co} (f64.sub (local.get $C) (local.get ${ca})))
   (local.set ${go} (f64.sub (local.get $G) (local.get ${ga})))
   ${hAcc}
   (br_if $skip (f64.lt (local.get ${ca}) (local.get $msl)))
   (br_if $done (f64.lt (local.get ${co}) (local.get $msl)))
   (br_if $skip (f64.lt (local.get ${constH ? ca : ha}) (local.get $mh)))
   (br_if $done (f64.lt (local.get ${constH ? co : ho}) (local.get $mh)))
   (local.set $dl (f64.add (f64.add (local.get ${hl}) (local.get $l2)) (f64.const 1e-15)))
   (local.set $dr (f64.add (f64.add (local.get ${hr}) (local.get $l2)) (f64.const 1e-15)))
   ;; Division-free rejection: gain > max(best, 0) needs gl^2/dl + gr^2/dr > max(best, 0) - loss,
   ;; i.e. gl^2 dr + gr^2 dl > (max(best, 0) - loss) dl dr (dl, dr > 0). Both sides carry a few
   ;; ulps of rounding; $q is shrunk by 1e-9 relative, so a rejected candidate is one the exact
   ;; gain below would also reject (NaN or Inf compare false and fall through to it).
   (br_if $skip (f64.lt
     (f64.add (f64.mul (f64.mul (local.get $gl) (local.get $gl)) (local.get $dr))
       (f64.mul (f64.mul (local.get $gr) (local.get $gr)) (local.get $dl)))
     (f64.mul (f64.mul (local.get $q) (local.get $dl)) (local.get $dr))))
   ;; values (vl, vr) = -(gl, gr) / ((hl, hr) + l2 + 1e-15); gain = loss - gl vl - gr vr
   (local.set $v (f64x2.replace_lane 1 (f64x2.splat (local.get $gl)) (local.get $gr)))
   (local.set $v (f64x2.mul (local.get $v)
     (f64x2.div (f64x2.neg (local.get $v)) (f64x2.replace_lane 1 (f64x2.splat (local.get $dl)) (local.get $dr)))))
   (local.set $gain (f64.sub (f64.sub (local.get $loss) (f64x2.extract_lane 0 (local.get $v))) (f64x2.extract_lane 1 (local.get $v))))
   (br_if $skip (i32.eqz (i32.and (f64.gt (local.get $gain) (local.get $best)) (f64.gt (local.get $gain) (f64.const 0)))))
   (local.set $best (local.get $gain))
   (local.set $q (f64.mul (f64.sub (local.get $gain) (local.get $loss)) (f64.const 0.999999999)))
   (f64.store (local.get $out) (local.get $gain))
   (f64.store offset=8 (local.get $out) (f64.convert_i32_s (local.get $b)))
   (f64.store offset=16 (local.get $out) (local.get $gl))
   (f64.store offset=24 (local.get $out) (local.get ${hl}))
   (f64.store offset=32 (local.get $out) (local.get $cl))
   (f64.store offset=40 (local.get $out) (f64.const ${lr ? 0 : 1})))
  ${
    lr
      ? `(local.set $b (i32.add (local.get $b) (i32.const 1)))
  (local.set $j (i32.add (local.get $j) (i32.const ${wb})))`
      : `(local.set $b (i32.sub (local.get $b) (i32.const 1)))
  (local.set $j (i32.sub (local.get $j) (i32.const ${wb})))`
  }
  (br $next))))`;
}

/** subtract(parent, small, count): parent[j] -= small[j] for count doubles, two lanes at a time. */
function subtract(): string {
  return `(func (export "subtract") (param $parent i32) (param $small i32) (param $count i32)
 (local $j i32) (local $end i32) (local $pairs i32)
 (local.set $end (i32.shl (local.get $count) (i32.const 3)))
 (local.set $pairs (i32.shl (i32.shr_u (local.get $count) (i32.const 1)) (i32.const 4)))
 (block $done (loop $next
  (br_if $done (i32.ge_u (local.get $j) (local.get $pairs)))
  (v128.store (i32.add (local.get $parent) (local.get $j))
   (f64x2.sub (v128.load (i32.add (local.get $parent) (local.get $j))) (v128.load (i32.add (local.get $small) (local.get $j)))))
  (local.set $j (i32.add (local.get $j) (i32.const 16)))
  (br $next)))
 (if (i32.lt_u (local.get $j) (local.get $end))
  (then (f64.store (i32.add (local.get $parent) (local.get $j))
   (f64.sub (f64.load (i32.add (local.get $parent) (local.get $j))) (f64.load (i32.add (local.get $small) (local.get $j))))))))`;
}

/**
 * predict(x, n, p, nodes, roots, t, baseline, out): out[i] = baseline + the leaf values of trees
 * 0..t-1 for row-major rows x (f64), summed in tree order like predictRows. Nodes are 24-byte
 * records [f64 threshold or leaf value, i32 feature (-1 for a leaf), i32 left, i32 right,
 * i32 missingLeft]; a row goes left when x <= threshold, or when x is NaN and missingLeft.
 */
function predict(): string {
  return `(func (export "predict") (param $x i32) (param $n i32) (param $p i32) (param $nodes i32) (param $roots i32) (param $t i32) (param $baseline f64) (param $out i32)
 (local $i i32) (local $k i32) (local $row i32) (local $node i32) (local $f i32) (local $v f64) (local $acc f64)
 (block $rows_done (loop $rows
  (br_if $rows_done (i32.ge_u (local.get $i) (local.get $n)))
  (local.set $row (i32.add (local.get $x) (i32.shl (i32.mul (local.get $i) (local.get $p)) (i32.const 3))))
  (local.set $acc (local.get $baseline))
  (local.set $k (i32.const 0))
  (block $trees_done (loop $trees
   (br_if $trees_done (i32.ge_u (local.get $k) (local.get $t)))
   (local.set $node (i32.add (local.get $nodes)
    (i32.mul (i32.load (i32.add (local.get $roots) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 24))))
   (block $leaf (loop $walk
    (local.set $f (i32.load offset=8 (local.get $node)))
    (br_if $leaf (i32.lt_s (local.get $f) (i32.const 0)))
    (local.set $v (f64.load (i32.add (local.get $row) (i32.shl (local.get $f) (i32.const 3)))))
    (local.set $node (i32.add (local.get $nodes) (i32.mul (i32.const 24)
     (select (i32.load offset=12 (local.get $node)) (i32.load offset=16 (local.get $node))
      (i32.or (f64.le (local.get $v) (f64.load (local.get $node)))
       (i32.and (f64.ne (local.get $v) (local.get $v)) (i32.load offset=20 (local.get $node))))))))
    (br $walk)))
   (local.set $acc (f64.add (local.get $acc) (f64.load (local.get $node))))
   (local.set $k (i32.add (local.get $k) (i32.const 1)))
   (br $trees)))
  (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))) (local.get $acc))
  (local.set $i (i32.add (local.get $i) (i32.const 1)))
  (br $rows))))`;
}

/**
 * predict4(x, n4, p, nodes, roots, t, baseline, out): predict for rows in blocks of four (n4 a
 * multiple of 4), walking the four rows down each tree in lockstep. One walk is a chain of
 * dependent loads; four independent chains let the CPU overlap them. Leaves must be packed as
 * self-loops (left = right = itself, feature -1), so a row that reached its leaf stays there
 * while the others finish. Sums in tree order per row, exactly as `predict`.
 */
function predict4(): string {
  const r = [0, 1, 2, 3];
  const step = (q: number) => `(local.set $f${q} (i32.load offset=8 (local.get $n${q})))
     (local.set $v (f64.load (i32.add (local.get $row${q}) (i32.shl (select (i32.const 0) (local.get $f${q}) (i32.lt_s (local.get $f${q}) (i32.const 0))) (i32.const 3)))))
     (local.set $n${q} (i32.add (local.get $nodes) (i32.mul (i32.const 24)
      (select (i32.load offset=12 (local.get $n${q})) (i32.load offset=16 (local.get $n${q}))
       (i32.or (f64.le (local.get $v) (f64.load (local.get $n${q})))
        (i32.and (f64.ne (local.get $v) (local.get $v)) (i32.load offset=20 (local.get $n${q}))))))))`;
  const addLeaf = (q: number) =>
    `(local.set $a${q} (f64.add (local.get $a${q}) (f64.load (local.get $n${q}))))`;
  return `(func (export "predict4") (param $x i32) (param $n i32) (param $p i32) (param $nodes i32) (param $roots i32) (param $t i32) (param $baseline f64) (param $out i32)
 (local $i i32) (local $k i32) (local $root i32) (local $v f64)
 ${r.map((q) => `(local $row${q} i32) (local $n${q} i32) (local $f${q} i32) (local $a${q} f64)`).join(" ")}
${lockstepRowsAndTrees(
  4,
  "(i32.mul (i32.load (i32.add (local.get $roots) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 24))",
  `(block $leaves (loop $walk
    ;; all four at a leaf when every feature is negative (the AND keeps the sign bit)
    (br_if $leaves (i32.lt_s (i32.and (i32.and (i32.load offset=8 (local.get $n0)) (i32.load offset=8 (local.get $n1)))
      (i32.and (i32.load offset=8 (local.get $n2)) (i32.load offset=8 (local.get $n3)))) (i32.const 0)))
    ${r.map(step).join("\n    ")}
    (br $walk)))`,
  addLeaf,
)}`;
}

/**
 * predict_dense{lanes}(x, n, p, nodes, roots, depths, t, baseline, values, out): `predict4` for input
 * without NaN and trees whose right child is always left + 1 (as the grower numbers them). Nodes
 * are 16-byte records [f64 threshold, i32 feature, i32 left]; leaves are self-loops that always
 * go "left" (threshold +Infinity, left = itself), so each row takes exactly depths[k] steps in
 * tree k with no test for having arrived: a step is three loads, a compare and two adds.
 * values[node] holds the leaf values. Sums in tree order per row, exactly as `predict`. `lanes`
 * rows walk each tree in lockstep (n a multiple of it): their chains of dependent loads overlap.
 * Eight measured 30% faster than four and sixteen slower again (registers spill), 10k x 8 rows.
 */
function predictDense(lanes: number): string {
  const r = Array.from({ length: lanes }, (_, q) => q);
  const step = (q: number) =>
    `(local.set $n${q} (i32.add (local.get $nodes) (i32.shl (i32.add (i32.load offset=12 (local.get $n${q}))
      (f64.gt (f64.load (i32.add (local.get $row${q}) (i32.shl (i32.load offset=8 (local.get $n${q})) (i32.const 3))))
       (f64.load (local.get $n${q})))) (i32.const 4))))`;
  const addLeaf = (q: number) =>
    `(local.set $a${q} (f64.add (local.get $a${q}) (f64.load (i32.add (local.get $values) (i32.shr_u (i32.sub (local.get $n${q}) (local.get $nodes)) (i32.const 1))))))`;
  return `(func (export "predict_dense${lanes}") (param $x i32) (param $n i32) (param $p i32) (param $nodes i32) (param $roots i32) (param $depths i32) (param $t i32) (param $baseline f64) (param $values i32) (param $out i32)
 (local $i i32) (local $k i32) (local $root i32) (local $d i32)
 ${r.map((q) => `(local $row${q} i32) (local $n${q} i32) (local $a${q} f64)`).join(" ")}
${lockstepRowsAndTrees(
  lanes,
  "(i32.shl (i32.load (i32.add (local.get $roots) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 4))",
  `(local.set $d (i32.load (i32.add (local.get $depths) (i32.shl (local.get $k) (i32.const 2)))))
   (block $walked (loop $walk
    (br_if $walked (i32.eqz (local.get $d)))
    ${r.map(step).join("\n    ")}
    (local.set $d (i32.sub (local.get $d) (i32.const 1)))
    (br $walk)))`,
  addLeaf,
)}`;
}

/** Lockstep lane q: point $row{q} at row i + q of x and start its sum $a{q} at the baseline. */
function rowInit(q: number): string {
  return `(local.set $row${q} (i32.add (local.get $x) (i32.shl (i32.mul (i32.add (local.get $i) (i32.const ${q})) (local.get $p)) (i32.const 3))))
  (local.set $a${q} (local.get $baseline))`;
}

/** Lockstep lane q: store its sum $a{q} as out[i + q]. */
function storeRow(q: number): string {
  return `(f64.store (i32.add (local.get $out) (i32.shl (i32.add (local.get $i) (i32.const ${q})) (i32.const 3))) (local.get $a${q}))`;
}

/**
 * The loops the lockstep predictors share: for each block of `lanes` rows (lane q = row i + q),
 * start each lane's sum at the baseline; for each tree k point every lane at the tree's root
 * record ($nodes + `rootOffset`, the byte offset of root k), run `walk`, add each lane's leaf
 * value (`addLeaf`); then store the sums.
 */
function lockstepRowsAndTrees(
  lanes: number,
  rootOffset: string,
  walk: string,
  addLeaf: (q: number) => string,
): string {
  const r = Array.from({ length: lanes }, (_, q) => q);
  return ` (block $rows_done (loop $rows
  (br_if $rows_done (i32.ge_u (local.get $i) (local.get $n)))
  ${r.map(rowInit).join("\n  ")}
  (local.set $k (i32.const 0))
  (block $trees_done (loop $trees
   (br_if $trees_done (i32.ge_u (local.get $k) (local.get $t)))
   (local.set $root (i32.add (local.get $nodes)
    ${rootOffset}))
   ${r.map((q) => `(local.set $n${q} (local.get $root))`).join(" ")}
   ${walk}
   ${r.map(addLeaf).join("\n   ")}
   (local.set $k (i32.add (local.get $k) (i32.const 1)))
   (br $trees)))
  ${r.map(storeRow).join("\n  ")}
  (local.set $i (i32.add (local.get $i) (i32.const ${lanes})))
  (br $rows))))`;
}
