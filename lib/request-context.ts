import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";

// The request a piece of work belongs to, without passing it down every call: the upstream
// clients forward it and the logger stamps it on lines written outside the request's own logger
// (the saga, the sweeper).
const storage = new AsyncLocalStorage<string>();

export const REQUEST_ID_HEADER = "x-request-id";

// Long enough for a UUID with a prefix, short enough to keep log lines small; a charset that
// cannot break a header, a log line or a PromQL label.
export const REQUEST_ID_PATTERN = "^[A-Za-z0-9._:-]{1,128}$";
const WELL_FORMED = new RegExp(REQUEST_ID_PATTERN);

/** The caller's X-Request-Id when it is well-formed, otherwise a fresh UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === "string" && WELL_FORMED.test(given) ? given : randomUUID();
}

export function currentRequestId(): string | undefined {
  return storage.getStore();
}

export function withRequestId<T>(id: string, fn: () => T): T {
  return storage.run(id, fn);
}

/** `fn` outside any request's context: work done for several requests at once belongs to none. */
export function withoutRequestId<T>(fn: () => T): T {
  return storage.exit(fn);
}
