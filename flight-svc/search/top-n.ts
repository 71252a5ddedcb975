/**
 * The best `capacity` items seen so far under `compare` (smaller is better), kept in a
 * max-heap so the worst kept item, the bar a newcomer must beat, is at the root.
 */
export class TopN<T> {
  private readonly heap: T[] = [];

  constructor(
    readonly capacity: number,
    private readonly compare: (a: T, b: T) => number,
  ) {}

  get size(): number {
    return this.heap.length;
  }

  get full(): boolean {
    return this.heap.length >= this.capacity;
  }

  /** The worst kept item; defined once the heap holds anything. */
  get worst(): T | undefined {
    return this.heap[0];
  }

  /** Keeps `item` if there is room or it beats the worst kept item. */
  offer(item: T): boolean {
    const h = this.heap;
    if (h.length < this.capacity) {
      h.push(item);
      this.siftUp(h.length - 1);
      return true;
    }
    if (this.compare(item, h[0] as T) >= 0) return false;
    h[0] = item;
    this.siftDown(0);
    return true;
  }

  /** The kept items, best first. */
  sorted(): T[] {
    return [...this.heap].sort(this.compare);
  }

  private siftUp(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.compare(h[i] as T, h[parent] as T) <= 0) return;
      [h[i], h[parent]] = [h[parent] as T, h[i] as T];
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < h.length && this.compare(h[l] as T, h[top] as T) > 0) top = l;
      if (r < h.length && this.compare(h[r] as T, h[top] as T) > 0) top = r;
      if (top === i) return;
      [h[i], h[top]] = [h[top] as T, h[i] as T];
      i = top;
    }
  }
}
