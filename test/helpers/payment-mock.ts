import type { FastifyInstance } from "fastify";
import { request } from "undici";
import { buildApp } from "../../payment-mock/app.js";
import type { Auth } from "./auth.js";
import { testPaymentConfig } from "./config.js";

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
  body: any;
  ms: number;
}

export interface PaymentMock {
  app: FastifyInstance;
  url: string;
  call(method: "GET" | "POST" | "PUT", path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
}

/** A charge body that passes validation; override what the test is about. */
export function charge(over: Record<string, unknown> = {}) {
  return { booking_id: 1, amount: 1250.5, user_id: 7, payment_type: "credit_card", ...over };
}

export interface PaymentBuildOptions {
  /** Settings over the test environment's and the defaults below. */
  env?: Record<string, string>;
  /** Tokens from this user-svc are required (AUTH_MODE=required); else the open API. */
  auth?: Auth;
}

/**
 * payment-mock listening on 127.0.0.1 (a free port), answering at once (latency 0), always
 * succeeding and timing out after 150 ms unless `env` says otherwise; closed when the test ends.
 * It keeps its payments in memory: no store to reset.
 */
export async function build(
  t: { teardown: (fn: () => unknown) => void },
  opts: PaymentBuildOptions = {},
): Promise<PaymentMock> {
  const config = testPaymentConfig({
    ...opts.auth?.env,
    PAYMENT_LATENCY_MS: "0",
    PAYMENT_TIMEOUT_DELAY_MS: "150",
    PAYMENT_FAILURE_RATE: "0",
    PAYMENT_TIMEOUT_RATE: "0",
    ...opts.env,
  });
  const app = await buildApp({ config });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  t.teardown(() => app.close());
  const call: PaymentMock["call"] = async (method, path, body, headers = {}) => {
    const started = performance.now();
    const res = await request(`${url}${path}`, {
      method,
      headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    return {
      status: res.statusCode,
      headers: res.headers,
      body: text === "" ? null : JSON.parse(text),
      ms: performance.now() - started,
    };
  };
  return { app, url, call };
}
