import { Pool } from "undici";

// The harness's own calls (setup, config, checks) go through these small clients, one
// connection pool per service, so that setup is fast and nothing is left open afterwards.

export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${method} ${path} answered ${status}: ${JSON.stringify(body).slice(0, 300)}`);
    this.name = "ApiError";
  }
}

export interface Reply<T = unknown> {
  status: number;
  body: T;
}

export class ServiceClient {
  private readonly pool: Pool;
  /** Sent as `Authorization` on calls that name none themselves (the admin's token). */
  signedInAs: { authorization: string } | null = null;

  constructor(
    readonly baseUrl: string,
    connections = 16,
    private readonly timeoutMs = 30_000,
  ) {
    this.pool = new Pool(new URL(baseUrl).origin, { connections });
  }

  /** Any status comes back; only a network failure throws. */
  async call<T = unknown>(
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const auth: Record<string, string> = this.signedInAs ? { authorization: this.signedInAs.authorization } : {};
    const res = await this.pool.request({
      method,
      path,
      headers: { ...auth, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
    const text = await res.body.text();
    let parsed: unknown = text;
    try {
      parsed = text === "" ? null : JSON.parse(text);
    } catch {
      // Not JSON: keep the text for the error message.
    }
    return { status: res.statusCode, body: parsed as T } satisfies Reply<T>;
  }

  /** The body when the status is one of `ok`, else an ApiError. */
  async expect<T>(
    ok: number[],
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const r = await this.call<T>(method, path, body, headers);
    if (!ok.includes(r.status)) throw new ApiError(method, path, r.status, r.body);
    return r.body;
  }

  /** Ends the connections: after the requests under way, or at once (`now`: an interrupted run). */
  close(now = false): Promise<void> {
    return now ? this.pool.destroy() : this.pool.close();
  }
}
