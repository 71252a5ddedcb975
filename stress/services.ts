import type { Flight } from "../contracts/flight-svc/flights.js";
import type { PaymentConfig, PaymentConfigPatch, PaymentStats } from "../contracts/payment-mock/admin.js";
import type { PaymentRecord } from "../contracts/payment-mock/payments.js";
import { ServiceClient } from "./api.js";

// The four services as the harness sees them: only the calls of the contracts it relies on
// (contracts/ for the calls between services).

export interface Urls {
  flight: string;
  booking: string;
  payment: string;
  user: string;
}

export interface NewFlight {
  flight_number: string;
  source: string;
  destination: string;
  departure_time: string;
  arrival_time: string;
  total_seats: number;
  price: number;
}

export interface MilesEntry {
  id: number;
  kind: "earn" | "redeem" | "refund" | "adjust";
  miles: number;
  booking_id?: number;
}
interface MilesPage {
  balance: number;
  entries: MilesEntry[];
  next_cursor: string | null;
}
export interface MilesStatement {
  balance: number;
  entries: MilesEntry[];
}

export interface ReconcileReport {
  flights_checked: number;
  drift: { flight_id: number; redis: number | null; expected: number }[];
  repaired: number | boolean;
}

export class Services {
  readonly flight: ServiceClient;
  readonly booking: ServiceClient;
  readonly payment: ServiceClient;
  readonly user: ServiceClient;

  constructor(readonly urls: Urls) {
    this.flight = new ServiceClient(urls.flight);
    this.booking = new ServiceClient(urls.booking);
    this.payment = new ServiceClient(urls.payment);
    this.user = new ServiceClient(urls.user, 4);
  }

  /** booking-svc's credential, for the calls only a service may make (seat decrements, payment lookups). */
  private service: { authorization: string } | null = null;

  private admin: { authorization: string } | null = null;

  /** Admin calls (flights, reconcile, payment config and stats, miles adjustments) carry this account's token. */
  signInAdmin(admin: { authorization: string }): void {
    this.admin = admin;
    this.flight.signedInAs = admin;
    this.payment.signedInAs = admin;
  }

  async adjustMiles(userId: number, miles: number, reason: string): Promise<void> {
    const headers: Record<string, string> = this.admin ? { authorization: this.admin.authorization } : {};
    await this.user.expect([201], "POST", `/api/loyalty/${userId}/adjust`, { miles, reason }, headers);
  }

  /** A customer's whole miles statement, every page. */
  async milesStatement(account: { authorization: string }): Promise<MilesStatement> {
    const headers = { authorization: account.authorization };
    let cursor: string | null = null;
    const entries: MilesEntry[] = [];
    let balance = 0;
    do {
      const path: string = `/api/loyalty/me?limit=100${cursor ? `&cursor=${cursor}` : ""}`;
      const page: MilesPage = await this.user.expect<MilesPage>([200], "GET", path, undefined, headers);
      entries.push(...page.entries);
      balance = page.balance;
      cursor = page.next_cursor;
    } while (cursor);
    return { balance, entries };
  }

  signInService(service: { authorization: string }): void {
    this.service = service;
  }

  private asService(): Record<string, string> {
    return this.service ? { authorization: this.service.authorization } : {};
  }

  /** The services that do not answer GET /health with 200. */
  async unhealthy(): Promise<string[]> {
    const checks = await Promise.all(
      (["flight", "booking", "payment", "user"] as const).map(async (name) => {
        try {
          const r = await this[name].call("GET", "/health");
          return r.status === 200 ? null : `${name} (${this.urls[name]}: ${r.status})`;
        } catch (err) {
          return `${name} (${this.urls[name]}: ${(err as Error).message})`;
        }
      }),
    );
    return checks.filter((c): c is string => c !== null);
  }

  createFlight(f: NewFlight): Promise<Flight> {
    return this.flight.expect<Flight>([201], "POST", "/api/flights", f);
  }

  /** Books seats without a booking (the original's API): how scenarios make flights nearly full. */
  async decrementSeats(flightId: number, seats: number, date: string): Promise<void> {
    await this.flight.expect(
      [200],
      "POST",
      "/api/flights/seats/decrement",
      { flight_id: flightId, seats, date },
      this.asService(),
    );
  }

  /** Reports drift between Redis and PostgreSQL without repairing it. */
  reconcile(): Promise<ReconcileReport> {
    return this.flight.expect<ReconcileReport>([200], "POST", "/api/admin/reconcile", { repair: false });
  }

  paymentConfig(): Promise<PaymentConfig> {
    return this.payment.expect<PaymentConfig>([200], "GET", "/api/payments/config");
  }

  setPaymentConfig(patch: PaymentConfigPatch): Promise<PaymentConfig> {
    return this.payment.expect<PaymentConfig>([200], "PUT", "/api/payments/config", patch);
  }

  paymentStats(): Promise<PaymentStats> {
    return this.payment.expect<PaymentStats>([200], "GET", "/api/payments/stats");
  }

  async paymentByKey(key: string): Promise<PaymentRecord | null> {
    const path = `/api/payments/by-key/${encodeURIComponent(key)}`;
    const r = await this.payment.expect<PaymentRecord | null>([200, 404], "GET", path, undefined, this.asService());
    return r !== null && typeof r === "object" && "payment_id" in r ? r : null;
  }

  async close(now = false): Promise<void> {
    await Promise.all([this.flight, this.booking, this.payment, this.user].map((c) => c.close(now)));
  }
}
