// A burst: `count` booking requests sent at once, each on a connection of its own, as clients
// arriving together would; run by the load generator's process (load-generator.ts).
import { Agent, request } from "undici";
import { type BurstFigures, type BurstSpec, bookingRequest } from "./load-spec.js";

/** How long until the last answer, the statuses, and when each status's last answer came. */
export async function burst(spec: BurstSpec): Promise<BurstFigures> {
  const dispatcher = new Agent({ connections: spec.count, pipelining: 0 });
  const prepared = Array.from({ length: spec.count }, (_, n) => bookingRequest(spec.requests, n));
  const statuses: Record<string, number> = {};
  const lastByStatus: Record<string, number> = {};
  const start = performance.now();
  await Promise.all(
    prepared.map(async ({ body, headers }) => {
      let key: string;
      try {
        const r = await request(spec.url, { method: "POST", body: JSON.stringify(body), headers, dispatcher });
        await r.body.dump();
        key = String(r.statusCode);
      } catch {
        key = "error";
      }
      statuses[key] = (statuses[key] ?? 0) + 1;
      lastByStatus[key] = Math.round(performance.now() - start);
    }),
  );
  const ms = performance.now() - start;
  await dispatcher.close();
  return { ms, statuses, lastByStatus };
}
