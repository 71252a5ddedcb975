import { type Airport, airports, distanceKm } from "./airports.js";
import { type Carrier, HUBS, lowCostCarrier, REGIONAL_MAX_KM } from "./carriers.js";
import { Rng } from "./random.js";

// The route network of a seed: mostly hub-and-spoke (every hub to every other hub, each airport
// to its nearest hubs and to the hubs near it), plus some point-to-point routes between nearby
// airports. A route is flown both ways; its weight sets its share of the day's flights.

export type RouteKind = "trunk" | "spoke" | "p2p";

export interface Route {
  a: Airport;
  b: Airport;
  km: number;
  carrier: Carrier;
  kind: RouteKind;
  weight: number;
  /**
   * Flown at least once a day each way when the size allows: an airport's link to its nearest
   * hub, and one carrier's link between two hubs, so that every airport and hub pair is served.
   */
  primary: boolean;
}

/** Longer than any airliner flies non-stop. */
const MAX_RANGE_KM = 15_500;
/** A spoke links to every hub at most this far, and to its nearest ones in any case. */
const NEAR_HUB_KM = 2_500;
const P2P_MAX_KM = 1_800;
const KIND_WEIGHT: Record<RouteKind, number> = { trunk: 2.5, spoke: 1.2, p2p: 0.5 };

/** Short routes are flown many times a day, long ones once or twice. */
function distanceWeight(km: number): number {
  if (km < 1_000) return 1;
  if (km < 3_000) return 0.75;
  if (km < 7_000) return 0.4;
  return 0.25;
}

export const STREAM_NETWORK = 1;

export function buildNetwork(seed: number): Route[] {
  const rng = new Rng(seed, STREAM_NETWORK);
  const all = airports();
  const byIata = new Map(all.map((a) => [a.iata, a]));
  const hubIatas = new Set(HUBS.map((h) => h.iata));
  const spokes = all.filter((a) => !hubIatas.has(a.iata));
  // Busier and quieter airports: nothing in the list says which, so the seed does.
  const size = new Map(all.map((a) => [a.iata, hubIatas.has(a.iata) ? 1 : rng.range(0.5, 1.5)]));
  const routes: Route[] = [];
  const add = (a: Airport, b: Airport, km: number, carrier: Carrier, kind: RouteKind, primary = false) => {
    const weight = KIND_WEIGHT[kind] * distanceWeight(km) * size.get(a.iata)! * size.get(b.iata)! * rng.range(0.7, 1.3);
    routes.push({ a, b, km, carrier, kind, weight, primary });
  };

  const hubs = HUBS.map((h) => ({ ...h, airport: byIata.get(h.iata)! }));
  for (let i = 0; i < hubs.length; i++) {
    for (let j = i + 1; j < hubs.length; j++) {
      const [x, y] = [hubs[i]!, hubs[j]!];
      const km = distanceKm(x.airport, y.airport);
      if (km > MAX_RANGE_KM) continue;
      add(x.airport, y.airport, km, x.mainline, "trunk", true);
      add(x.airport, y.airport, km, y.mainline, "trunk");
    }
  }

  for (const s of spokes) {
    const near = hubs.map((h) => ({ h, km: distanceKm(s, h.airport) })).sort((p, q) => p.km - q.km);
    const nearest = rng.next() < 0.5 ? 3 : 2;
    near.forEach(({ h, km }, rank) => {
      if (rank >= nearest && km > NEAR_HUB_KM) return;
      const carrier = km < REGIONAL_MAX_KM && h.regional ? h.regional : h.mainline;
      add(h.airport, s, km, carrier, "spoke", rank === 0);
    });
  }

  const linked = new Set<string>();
  for (const s of spokes) {
    const near = spokes
      .filter((o) => o !== s)
      .map((o) => ({ o, km: distanceKm(s, o) }))
      .filter((n) => n.km <= P2P_MAX_KM)
      .sort((p, q) => p.km - q.km || (p.o.iata < q.o.iata ? -1 : 1))
      .slice(0, 6);
    const want = rng.int(0, 2);
    for (let k = 0; k < want && near.length > 0; k++) {
      const { o, km } = near.splice(rng.int(0, near.length - 1), 1)[0]!;
      const key = s.iata < o.iata ? `${s.iata}${o.iata}` : `${o.iata}${s.iata}`;
      if (linked.has(key)) continue;
      linked.add(key);
      add(s, o, km, lowCostCarrier(s.country, s.continent), "p2p");
    }
  }
  return routes;
}
