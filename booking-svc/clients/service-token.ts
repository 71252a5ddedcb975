// booking-svc's own credential: a service token from user-svc's client-credentials grant, kept
// until shortly before it expires and fetched again then, or at once after an upstream's 401
// (user-svc's key rotated). Concurrent callers share one fetch. Never a customer's token.
import { request } from "undici";
import { SERVICE_CLIENT_ID } from "../../lib/auth/service-secret.js";
import { type Credential, CredentialError } from "../../lib/upstream.js";

/** What a client's 503 says failed when the token does not come (lib/upstream.ts upstreamName). */
const TOKEN = "booking-svc's service token";

interface Held {
  token: string;
  renewAt: number;
}

export class ServiceToken implements Credential {
  private held: Held | null = null;
  private fetching: Promise<Held> | null = null;

  constructor(
    private readonly tokenUrl: string,
    private readonly secret: () => Promise<string>,
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async token(): Promise<string> {
    if (this.held && this.now() < this.held.renewAt) return this.held.token;
    this.fetching ??= this.fetch().finally(() => {
      this.fetching = null;
    });
    this.held = await this.fetching;
    return this.held.token;
  }

  invalidate(token: string): void {
    if (this.held?.token === token) this.held = null;
  }

  private async fetch(): Promise<Held> {
    let status: number;
    let body: { access_token?: unknown; expires_in?: unknown };
    try {
      const res = await request(this.tokenUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          grant_type: "client_credentials",
          client_id: SERVICE_CLIENT_ID,
          client_secret: await this.secret(),
        }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = res.statusCode;
      body = (await res.body.json().catch(() => ({}))) as typeof body;
    } catch (err) {
      throw new CredentialError("user-svc", TOKEN, "network", `service token: ${(err as Error).message}`);
    }
    if (status !== 200 || typeof body.access_token !== "string" || typeof body.expires_in !== "number") {
      throw new CredentialError(
        "user-svc",
        TOKEN,
        "status",
        `service token: POST /api/auth/token answered ${status}`,
        status,
      );
    }
    // Renewed at four fifths of its life: calls never carry a token about to expire in transit.
    return { token: body.access_token, renewAt: this.now() + body.expires_in * 800 };
  }
}
