import type { FastifyInstance } from "fastify";

// Searches through flight-svc's route, as the search tests write them.

export interface SearchArgs {
  source: string;
  destination: string;
  date?: string;
  seats?: number;
  sort_by?: string;
  max_stops?: number;
  limit?: number;
}

export function searchUrl(args: SearchArgs): string {
  const q = new URLSearchParams({
    date: "2024-02-15",
    ...Object.fromEntries(Object.entries(args).map(([k, v]) => [k, String(v)])),
  });
  return `/api/flights/search?${q}`;
}

interface PathBody {
  flights: { flight_number: string; available_seats: number; price: number }[];
  total_price: number;
  total_time_minutes: number;
  stops: number;
  available_seats: number;
}

/** The flight numbers of each path, e.g. [["AI201"], ["AI401", "AI402"]]. */
export function numbers(body: { paths: PathBody[] }): string[][] {
  return body.paths.map((p) => p.flights.map((f) => f.flight_number));
}

export async function search(app: FastifyInstance, args: SearchArgs): Promise<{ paths: PathBody[]; count: number }> {
  const res = await app.inject({ method: "GET", url: searchUrl(args) });
  if (res.statusCode !== 200) throw new Error(`search ${res.statusCode}: ${res.body}`);
  return res.json();
}
