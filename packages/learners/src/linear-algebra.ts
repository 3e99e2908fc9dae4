import { CholeskyDecomposition, Matrix, solve } from "ml-matrix";

/** Weighted column means and population standard deviations of a row-major n x p matrix. */
export function columnMoments(
  x: Float64Array,
  n: number,
  p: number,
  w: Float64Array | null,
): { mean: Float64Array; sd: Float64Array } {
  const mean = new Float64Array(p);
  const sd = new Float64Array(p);
  let sw = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i]! : 1;
    sw += wi;
    const off = i * p;
    for (let j = 0; j < p; j++) mean[j] = mean[j]! + wi * x[off + j]!;
  }
  for (let j = 0; j < p; j++) mean[j] = mean[j]! / sw;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i]! : 1;
    const off = i * p;
    for (let j = 0; j < p; j++) {
      const d = x[off + j]! - mean[j]!;
      sd[j] = sd[j]! + wi * d * d;
    }
  }
  for (let j = 0; j < p; j++) sd[j] = Math.sqrt(sd[j]! / sw);
  return { mean, sd };
}

/** Solve the symmetric positive (semi)definite system A b = rhs (A as a flat k x k array) with ml-matrix. */
export function solveSymmetric(a: Float64Array, rhs: Float64Array, k: number): Float64Array {
  const rows: number[][] = [];
  for (let i = 0; i < k; i++) rows.push(Array.from(a.subarray(i * k, i * k + k)));
  const A = new Matrix(rows);
  const b = Matrix.columnVector(Array.from(rhs));
  const chol = new CholeskyDecomposition(A);
  // Cholesky when positive definite; otherwise (collinear columns, no penalty) a least-squares SVD solve.
  const sol = chol.isPositiveDefinite() ? chol.solve(b) : solve(A, b, true);
  return Float64Array.from(sol.getColumn(0));
}
