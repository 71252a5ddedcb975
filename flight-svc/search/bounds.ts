import type { RouteGraph } from "./route-graph.js";

export const UNREACHABLE = 0x3fffffff;

/**
 * Lower bounds toward one destination, per number of legs left: `price[r][a]` is at most the
 * price of any r-leg continuation from airport a to the destination, `time[r][a]` at most its
 * flying time plus the minimum connections, from the departure of its first leg. Computed by
 * r rounds of relaxation backward from the destination over the route graph (every day's
 * cheapest and shortest flight per route), ignoring timetables and repeated airports, which
 * only makes the bounds lower. UNREACHABLE means no r-leg route exists at all.
 */
export class Bounds {
  readonly price: Int32Array[] = [];
  readonly time: Int32Array[] = [];
  private size = 0;
  private frontier = new Int32Array(0);
  private next = new Int32Array(0);

  compute(graph: RouteGraph, destination: number, layers: number, minConnection: number): void {
    this.ensure(graph.airports, layers);
    for (let r = 0; r <= layers; r++) {
      (this.price[r] as Int32Array).fill(UNREACHABLE);
      (this.time[r] as Int32Array).fill(UNREACHABLE);
    }
    (this.price[0] as Int32Array)[destination] = 0;
    (this.time[0] as Int32Array)[destination] = 0;
    let frontier = this.frontier;
    let next = this.next;
    frontier[0] = destination;
    let count = 1;
    const { inStart, inSrc, inPrice, inDuration } = graph;
    for (let r = 1; r <= layers && count > 0; r++) {
      const prevP = this.price[r - 1] as Int32Array;
      const prevT = this.time[r - 1] as Int32Array;
      const curP = this.price[r] as Int32Array;
      const curT = this.time[r] as Int32Array;
      const connect = r > 1 ? minConnection : 0;
      let nextCount = 0;
      for (let i = 0; i < count; i++) {
        const b = frontier[i] as number;
        const pb = prevP[b] as number;
        const tb = (prevT[b] as number) + connect;
        const end = inStart[b + 1] as number;
        for (let e = inStart[b] as number; e < end; e++) {
          const a = inSrc[e] as number;
          // The destination ends an itinerary; it is never a connection.
          if (a === destination) continue;
          if (curP[a] === UNREACHABLE) next[nextCount++] = a;
          const p = (inPrice[e] as number) + pb;
          if (p < (curP[a] as number)) curP[a] = p;
          const t = (inDuration[e] as number) + tb;
          if (t < (curT[a] as number)) curT[a] = t;
        }
      }
      [frontier, next] = [next, frontier];
      count = nextCount;
    }
    this.frontier = frontier;
    this.next = next;
  }

  private ensure(airports: number, layers: number): void {
    if (airports > this.size) {
      this.size = airports;
      this.price.length = 0;
      this.time.length = 0;
      this.frontier = new Int32Array(airports);
      this.next = new Int32Array(airports);
    }
    while (this.price.length <= layers) {
      this.price.push(new Int32Array(this.size));
      this.time.push(new Int32Array(this.size));
    }
  }
}
