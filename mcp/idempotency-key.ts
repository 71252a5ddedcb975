import { createHash } from "node:crypto";

// An assistant that does not hear back from a tool call calls it again with the same arguments.
// The Idempotency-Key booking-svc receives is therefore a function of who calls, which tool and
// what arguments, so the retry finds the first call's stored result (docs/mcp.md).

/** JSON with object keys sorted at every level: the same arguments in any order give one text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * `mcp-` and the SHA-256 of user, tool and either the caller's `request_id` (when the assistant
 * gives one, it alone names the attempt) or the canonical arguments. 68 printable characters, as
 * booking-svc's key rule asks.
 */
export function idempotencyKey(userId: number, tool: string, args: Record<string, unknown>): string {
  const { request_id: requestId, ...rest } = args;
  const what = typeof requestId === "string" ? `request_id:${requestId}` : `args:${canonicalJson(rest)}`;
  return `mcp-${createHash("sha256").update(`${userId}\n${tool}\n${what}`).digest("hex")}`;
}
