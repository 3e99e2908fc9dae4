/**
 * CPython's `heapq.heappush` / `heapq.heappop` (Lib/heapq.py: `_siftdown`, `_siftup`), exactly,
 * on an array of items with a caller's `less`. sklearn's `TreeGrower` keeps its splittable leaves
 * in a heapq ordered by `TreeNode.__lt__` (larger gain first); when two gains tie, which leaf is
 * split next depends on heapq's sift order, so reproducing it is what keeps our trees identical
 * to sklearn's. A textbook binary heap would pop tied items in another order.
 *
 * @example
 * const gain = [0.5, 2, 2, 1];
 * const heap: number[] = [];
 * const larger = (a: number, b: number) => gain[a]! > gain[b]!;
 * for (const node of [0, 1, 2, 3]) heapqPush(heap, node, larger);
 * heapqPop(heap, larger); // 1 (ties with 2; heapq pops 1 first)
 */
export function heapqPush<T>(heap: T[], item: T, less: (a: T, b: T) => boolean): void {
  heap.push(item);
  siftDown(heap, 0, heap.length - 1, less);
}

/**
 * Remove and return the smallest item (by `less`) as `heapq.heappop` does; undefined when empty.
 * See {@link heapqPush}.
 *
 * @example
 * const heap: number[] = [];
 * for (const v of [3, 1, 2]) heapqPush(heap, v, (a, b) => a < b);
 * heapqPop(heap, (a, b) => a < b); // 1
 */
export function heapqPop<T>(heap: T[], less: (a: T, b: T) => boolean): T | undefined {
  const last = heap.pop();
  if (last === undefined || heap.length === 0) return last;
  const top = heap[0]!;
  heap[0] = last;
  siftUp(heap, 0, less);
  return top;
}

/** heapq `_siftdown`: move the item at `pos` up towards `startPos` while it is smaller than its parent. */
function siftDown<T>(heap: T[], startPos: number, posIn: number, less: (a: T, b: T) => boolean): void {
  let pos = posIn;
  const item = heap[pos]!;
  while (pos > startPos) {
    const parentPos = (pos - 1) >> 1;
    const parent = heap[parentPos]!;
    if (!less(item, parent)) break;
    heap[pos] = parent;
    pos = parentPos;
  }
  heap[pos] = item;
}

/**
 * heapq `_siftup`: bubble the smaller child up until a leaf is reached, then sift the item down
 * from there (fewer comparisons than the textbook loop, and a different order among ties).
 */
function siftUp<T>(heap: T[], posIn: number, less: (a: T, b: T) => boolean): void {
  const end = heap.length;
  let pos = posIn;
  const startPos = pos;
  const item = heap[pos]!;
  let child = 2 * pos + 1;
  while (child < end) {
    const right = child + 1;
    if (right < end && !less(heap[child]!, heap[right]!)) child = right;
    heap[pos] = heap[child]!;
    pos = child;
    child = 2 * pos + 1;
  }
  heap[pos] = item;
  siftDown(heap, startPos, pos, less);
}
