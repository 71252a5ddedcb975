// What bench/lib/load-generator.ts is asked to send, passed to it as JSON: a plain request, or
// bookings whose user and flight change with every request so that no two contend.

export interface Account {
  user_id: number;
  /** An access token from user-svc, sent as `Authorization: Bearer`; absent with AUTH_MODE=off. */
  token?: string;
}

export type Requests =
  | { kind: "fixed"; method: "GET" | "POST"; body?: unknown }
  | {
      kind: "bookings";
      /** Flights firstFlight … firstFlight + flights - 1 in turn; one flight when flights is 1. */
      firstFlight: number;
      flights: number;
      date: string;
      /** Accounts in turn; without any, every request books for a new user id. */
      accounts: Account[];
    };

export interface LoadSpec {
  url: string;
  requests: Requests;
  connections: number;
  warmupSeconds: number;
  seconds: number;
}

export interface BurstSpec {
  url: string;
  requests: Extract<Requests, { kind: "bookings" }>;
  count: number;
}

export interface LoadFigures {
  requestsPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export interface BurstFigures {
  /** From the first request sent until the last answer arrived. */
  ms: number;
  statuses: Record<string, number>;
  /** Per status, ms from the first request sent until its last answer: which answers set `ms`. */
  lastByStatus: Record<string, number>;
}

/** The n-th request of a bookings load (n from 0): its body and its headers. */
export function bookingRequest(
  r: Extract<Requests, { kind: "bookings" }>,
  n: number,
): { body: Record<string, unknown>; headers: Record<string, string> } {
  const account = r.accounts.length > 0 ? (r.accounts[n % r.accounts.length] as Account) : { user_id: n + 1 };
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (account.token) headers.authorization = `Bearer ${account.token}`;
  return {
    body: { user_id: account.user_id, flight_id: r.firstFlight + (n % r.flights), seats: 1, date: r.date },
    headers,
  };
}
