import { setTimeout as sleep } from "node:timers/promises";
import { Pool } from "undici";
import { currentRequestId, REQUEST_ID_HEADER } from "./request-context.js";

/** What an Upstream asks for the Authorization header of each call. */
export interface Credential {
  token(): Promise<string>;
  /** The token was refused: the next token() fetches a new one. */
  invalidate(token: string): void;
}

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/**
 * The upstream gave no usable answer: it timed out (it may still act on the call), was
 * unreachable, or answered with a status its client does not expect (a 5xx: `status`); or the
 * call was not sent because the upstream's circuit breaker is open (breaker.ts). `unsent`: the
 * call certainly never reached the upstream (the breaker was open, or the connection was refused).
 */
export class UpstreamError extends Error {
  constructor(
    readonly upstream: string,
    readonly kind: "timeout" | "network" | "status" | "open",
    message: string,
    readonly unsent = kind === "open",
    readonly status?: number,
  ) {
    super(`${upstream}: ${message}`);
    this.name = "UpstreamError";
  }
}

/**
 * No credential for a call: the service that hands it out (`upstream`) did not, so the call was
 * never sent and the service called is not at fault. `credential` names it for the client.
 */
export class CredentialError extends UpstreamError {
  constructor(
    upstream: string,
    readonly credential: string,
    kind: "network" | "status",
    message: string,
    status?: number,
  ) {
    super(upstream, kind, message, true, status);
  }
}

/** How a client's message names each upstream. */
const SERVICE_NAMES: Record<string, string> = {
  "flight-svc": "The flight service",
  "payment-mock": "The payment service",
  "user-svc": "The user service",
};

/**
 * The upstream that failed, as a client's message names it, so that an operator reading the 503
 * looks at that service: the one that withheld the call's credential rather than the one called.
 */
export function upstreamName(err: UpstreamError): string {
  const name = SERVICE_NAMES[err.upstream] ?? err.upstream;
  return err instanceof CredentialError ? `${name} (${err.credential})` : name;
}

/**
 * The upstream that failed, as a log line names it: the one that withheld the call's credential
 * (with the credential) rather than the one called, which never saw the call.
 */
export function upstreamLogName(err: UpstreamError): string {
  return err instanceof CredentialError ? `${err.upstream} (${err.credential})` : err.upstream;
}

/**
 * How a client's message says what the upstream did, after its name: one that answered with an
 * error is up and failing (its logs say why), which an operator looks for in other places than
 * one that did not answer at all (down, unreachable, too slow) or whose breaker sent nothing.
 */
export function upstreamOutcome(err: UpstreamError): string {
  if (err.kind === "status") return err.status === undefined ? "failed" : `failed (HTTP ${err.status})`;
  if (err.kind === "open") return "is unavailable";
  return "did not answer";
}

/** The upstream named and what it did, e.g. "The flight service did not answer". */
export function upstreamFailure(err: UpstreamError): string {
  return `${upstreamName(err)} ${upstreamOutcome(err)}`;
}

/**
 * The upstream answered 400: the call itself is invalid, which no retry changes. booking-svc
 * checks its input as its upstreams do, so this means the two disagree; the client still hears
 * the 400 it is, never that a service is unavailable.
 */
export class UpstreamRefusal extends Error {
  constructor(
    readonly upstream: string,
    readonly field: string | undefined,
    message: string,
  ) {
    super(`${upstream} refused the request: ${message}`);
    this.name = "UpstreamRefusal";
  }
}

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Overrides the upstream's deadline for this call. */
  timeoutMs?: number;
  /** Extra attempts after a connection failure. Only for idempotent calls; a timeout is never retried. */
  retries?: number;
}

/**
 * One keep-alive connection pool per upstream service, every call with a deadline and, given a
 * credential, the caller's service token; a 401 fetches a new token and tries once more.
 */
export class Upstream {
  private readonly pool: Pool;
  private readonly prefix: string;

  constructor(
    readonly name: string,
    baseUrl: string,
    private readonly timeoutMs: number,
    connections: number,
    private readonly credential?: Credential,
  ) {
    const url = new URL(baseUrl);
    this.prefix = url.pathname.replace(/\/$/, "");
    this.pool = new Pool(url.origin, {
      connections,
      keepAliveTimeout: 30_000,
      connect: { timeout: Math.min(timeoutMs, 5_000) },
    });
  }

  async call<T = Record<string, unknown>>(method: string, path: string, opts: CallOptions = {}): Promise<Reply<T>> {
    const first = await this.attempts<T>(method, path, opts);
    if (first.reply.status !== 401 || !this.credential || first.token === undefined) return first.reply;
    this.credential.invalidate(first.token);
    return (await this.attempts<T>(method, path, opts)).reply;
  }

  private async attempts<T>(method: string, path: string, opts: CallOptions) {
    const token = await this.credential?.token();
    const withToken =
      token === undefined ? opts : { ...opts, headers: { ...opts.headers, authorization: `Bearer ${token}` } };
    return { reply: await this.send<T>(method, path, withToken), token };
  }

  /** Sends the call, its credential (if any) already in its headers, and retries it as `opts` allow. */
  protected async send<T>(method: string, path: string, opts: CallOptions): Promise<Reply<T>> {
    const retries = opts.retries ?? 0;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(method, path, opts);
      } catch (err) {
        if (!(err instanceof UpstreamError) || err.kind === "timeout" || attempt >= retries) throw err;
        await sleep(20 * 2 ** attempt);
      }
    }
  }

  private async once<T>(method: string, path: string, opts: CallOptions): Promise<Reply<T>> {
    // Not AbortSignal.timeout: its timer stays until the deadline, so every answered call left
    // one behind for seconds (thousands under load, profiled 2026-12-02); this one is cleared.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), opts.timeoutMs ?? this.timeoutMs);
    const signal = deadline.signal;
    const headers: Record<string, string> = { accept: "application/json", ...opts.headers };
    // The request (or the sweeper's run for a booking) this call belongs to, for the upstream's logs.
    const requestId = currentRequestId();
    if (requestId) headers[REQUEST_ID_HEADER] = requestId;
    let payload: string | undefined;
    if (opts.body !== undefined) {
      payload = JSON.stringify(opts.body);
      headers["content-type"] = "application/json";
    }
    try {
      const res = await this.pool.request({
        path: this.prefix + path,
        method: method as "GET",
        headers,
        body: payload,
        signal,
      });
      const text = await res.body.text();
      let body: unknown = {};
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          body = { message: text.slice(0, 200) };
        }
      }
      return { status: res.statusCode, body: body as T };
    } catch (err) {
      if (signal.aborted) throw new UpstreamError(this.name, "timeout", `${method} ${path} timed out`);
      const refused = (err as { code?: unknown }).code === "ECONNREFUSED";
      throw new UpstreamError(this.name, "network", `${method} ${path}: ${(err as Error).message}`, refused);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The refusal in a 400 answer, or null for any other answer. */
  refusal(reply: Reply<unknown>): UpstreamRefusal | null {
    if (reply.status !== 400) return null;
    const b = reply.body as { message?: unknown; field?: unknown };
    const field = typeof b.field === "string" ? b.field : undefined;
    return new UpstreamRefusal(this.name, field, typeof b.message === "string" ? b.message : "invalid request");
  }

  /** For answers a client does not expect: the outcome counts as unknown. */
  unexpected(method: string, path: string, reply: Reply<unknown>): UpstreamError {
    return new UpstreamError(this.name, "status", `${method} ${path} answered ${reply.status}`, false, reply.status);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
