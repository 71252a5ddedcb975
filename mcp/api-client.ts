// The public REST API as the tools call it: one request as the signed-in user, its answer as it
// came. Nothing here interprets a status: tools.ts decides what is a result and what an error.
import { request } from "undici";
import type { McpConfig } from "./config.js";

export type Service = "flight" | "booking" | "user";
type Method = "GET" | "POST" | "PUT" | "DELETE";

export interface ApiCall {
  method: Method;
  path: string;
  query?: Record<string, unknown>;
  body?: unknown;
  token?: string;
  idempotencyKey?: string;
}

export interface ApiAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: whatever JSON the API answered, checked against the tool's output schema by the client
  body: any;
  /** booking-svc answered a repeat of an Idempotency-Key with the first call's stored answer. */
  replayed?: boolean;
}

export type Api = (service: Service, call: ApiCall) => Promise<ApiAnswer>;

function queryString(query: Record<string, unknown> | undefined): string {
  const pairs = Object.entries(query ?? {}).filter(([, v]) => v !== undefined);
  return pairs.length === 0 ? "" : `?${new URLSearchParams(pairs.map(([k, v]): [string, string] => [k, String(v)]))}`;
}

/**
 * Calls of the services at the configured addresses. A service that cannot be reached answers as
 * the services themselves do when a dependency is down (503 service_unavailable), so the tool
 * error an assistant sees has the same shape either way.
 */
export function createApi(config: McpConfig["api"]): Api {
  return async (service, call) => {
    const headers: Record<string, string> = {};
    if (call.token) headers.authorization = `Bearer ${call.token}`;
    if (call.idempotencyKey) headers["idempotency-key"] = call.idempotencyKey;
    if (call.body !== undefined) headers["content-type"] = "application/json";
    const url = new URL(call.path + queryString(call.query), config[service]);
    try {
      const res = await request(url, {
        method: call.method,
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        headersTimeout: config.timeoutMs,
        bodyTimeout: config.timeoutMs,
      });
      const text = await res.body.text();
      let body: unknown = null;
      try {
        body = text === "" ? null : JSON.parse(text);
      } catch {
        body = { error: "upstream_error", message: `${service} answered ${res.statusCode} without JSON.` };
      }
      return { status: res.statusCode, body, replayed: res.headers["idempotent-replayed"] === "true" };
    } catch {
      return {
        status: 503,
        body: {
          error: "service_unavailable",
          message: `The ${service} service at ${config[service]} cannot be reached.`,
        },
      };
    }
  };
}
