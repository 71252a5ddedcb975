import { createHash } from "node:crypto";

/**
 * A stable hash of a request body (keys sorted, undefined left out), so that equal bodies hash
 * equally: what an Idempotency-Key is stored with, to tell a retry from another request.
 */
export function requestHash(body: unknown): string {
  return createHash("sha256").update(canonical(body)).digest("base64url");
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(",")}}`;
  }
  return JSON.stringify(v);
}
