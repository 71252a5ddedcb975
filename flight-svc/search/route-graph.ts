import type { Departures } from "./departures.js";

/**
 * The airport graph of every route, reversed (edges point from the arriving airport to the
 * departing one) in compressed-row form. Each edge carries the route's lowest price and
 * shortest flight over every day: that is a lower bound for any flight on it, whatever the date.
 */
export interface RouteGraph {
  airports: number;
  inStart: Int32Array;
  inSrc: Int32Array;
  inPrice: Int32Array;
  inDuration: Int32Array;
}

export function buildRouteGraph(departures: readonly Departures[]): RouteGraph {
  const airports = departures.length;
  const inStart = new Int32Array(airports + 1);
  for (const d of departures) for (const dst of d.routeDst) inStart[dst + 1] = (inStart[dst + 1] as number) + 1;
  for (let i = 0; i < airports; i++) inStart[i + 1] = (inStart[i + 1] as number) + (inStart[i] as number);
  const edges = inStart[airports] as number;
  const fill = inStart.slice(0, airports);
  const inSrc = new Int32Array(edges);
  const inPrice = new Int32Array(edges);
  const inDuration = new Int32Array(edges);
  departures.forEach((d, src) => {
    d.routeDst.forEach((dst, r) => {
      const e = fill[dst] as number;
      fill[dst] = e + 1;
      inSrc[e] = src;
      inPrice[e] = d.routePrice[r] as number;
      inDuration[e] = d.routeDuration[r] as number;
    });
  });
  return { airports, inStart, inSrc, inPrice, inDuration };
}

/**
 * Sets the lowest price and shortest duration of the edges of airport `src`, whose table still
 * has the routes it had when the graph was built. Each airport's in-edges are in order of their
 * source airport (built so), so each edge is found by binary search.
 */
export function updateRouteGraph(graph: RouteGraph, src: number, d: Departures): void {
  d.routeDst.forEach((dst, r) => {
    let lo = graph.inStart[dst] as number;
    let hi = graph.inStart[dst + 1] as number;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((graph.inSrc[mid] as number) < src) lo = mid + 1;
      else hi = mid;
    }
    graph.inPrice[lo] = d.routePrice[r] as number;
    graph.inDuration[lo] = d.routeDuration[r] as number;
  });
}
