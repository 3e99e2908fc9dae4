/**
 * A row-major dense matrix view over a Float64Array: `data[i * cols + j]` is row i, column j.
 * Learners take this shape so features cross package lines as one flat buffer, without copies.
 *
 * @example
 * const m = denseMatrix(2, 3); // zeros
 * m.set(1, 2, 5);
 * m.get(1, 2); // 5
 * m.row(1);    // Float64Array [0, 0, 5] (a view, not a copy)
 */
export interface DenseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
  get(i: number, j: number): number;
  set(i: number, j: number, value: number): void;
  /** Row i as a subarray view sharing memory with `data`. */
  row(i: number): Float64Array;
  /** Column j copied into a new Float64Array. */
  column(j: number): Float64Array;
  /** Rows in `indices`, copied into a new matrix. */
  selectRows(indices: ArrayLike<number>): DenseMatrix;
}

class RowMajorMatrix implements DenseMatrix {
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly data: Float64Array,
  ) {}
  get(i: number, j: number): number {
    return this.data[i * this.cols + j]!;
  }
  set(i: number, j: number, value: number): void {
    this.data[i * this.cols + j] = value;
  }
  row(i: number): Float64Array {
    return this.data.subarray(i * this.cols, (i + 1) * this.cols);
  }
  column(j: number): Float64Array {
    const out = new Float64Array(this.rows);
    for (let i = 0; i < this.rows; i++) out[i] = this.data[i * this.cols + j]!;
    return out;
  }
  selectRows(indices: ArrayLike<number>): DenseMatrix {
    const out = new Float64Array(indices.length * this.cols);
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k]!;
      out.set(this.data.subarray(i * this.cols, (i + 1) * this.cols), k * this.cols);
    }
    return new RowMajorMatrix(indices.length, this.cols, out);
  }
}

/** A rows x cols matrix over `data` (allocated zeros when omitted); checks the length. */
export function denseMatrix(rows: number, cols: number, data?: Float64Array): DenseMatrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new RangeError(`denseMatrix: bad shape ${rows} x ${cols}`);
  }
  const d = data ?? new Float64Array(rows * cols);
  if (d.length !== rows * cols)
    throw new RangeError(`denseMatrix: data has ${d.length} values, shape needs ${rows * cols}`);
  return new RowMajorMatrix(rows, cols, d);
}

/** Build a matrix from an array of equal-length rows (convenience for tests and small inputs). */
export function matrixFromRows(rows: ArrayLike<number>[]): DenseMatrix {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0]!.length;
  const m = denseMatrix(r, c);
  for (let i = 0; i < r; i++) {
    const row = rows[i]!;
    if (row.length !== c)
      throw new RangeError(`matrixFromRows: row ${i} has ${row.length} values, expected ${c}`);
    m.data.set(row, i * c);
  }
  return m;
}
