// payment-mock with latency 0 and rates 0 against a bare Fastify POST route, both served from
// one child process while autocannon runs here: is the mock ever the bottleneck of a stress
// run? Every request charges a new booking (distinct booking ids), so the store, the indexes
// and the totals do their full work.
import type autocannon from "autocannon";
import { startChildServers } from "./lib/child-servers.js";
import { distinctPosts, formatLoad, type LoadResult, load, ratio } from "./lib/http.js";

const DURATION_S = 3;
const ROUNDS = 3;

const servers = await startChildServers("bench/lib/payment-servers.ts");
const mockUrl = servers.urls.payment as string;
const paymentUrl = `${mockUrl}/api/payments/process`;
const bare = { url: servers.urls.bare as string };

async function successCount(): Promise<number> {
  const stats = (await (await fetch(`${mockUrl}/api/payments/stats`)).json()) as { success: { count: number } };
  return stats.success.count;
}

/** The same request shape for every target: a POST whose booking id (and key) is new each time. */
function charges(url: string, withKey: boolean): autocannon.Options {
  return distinctPosts(
    url,
    (i) => ({ booking_id: i, amount: 1250.5, user_id: 7, payment_type: "credit_card" }),
    withKey ? (i) => ({ "idempotency-key": `booking-${i}` }) : undefined,
  );
}

async function phase(name: string, opts: autocannon.Options, duration = DURATION_S): Promise<LoadResult> {
  await fetch(`${mockUrl}/api/payments/reset`, { method: "POST" });
  const r = await load({ ...opts, duration });
  if (name) console.log(formatLoad(name, r));
  return r;
}

// Warm up both (JIT, connection pools) before measuring.
await phase("", charges(bare.url, false), 1);
await phase("", charges(paymentUrl, false), 1);

const bareRuns: number[] = [];
const noKeyRuns: number[] = [];
const keyRuns: number[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  console.log(`-- round ${round}`);
  bareRuns.push((await phase("bare Fastify POST (baseline)", charges(bare.url, false))).requestsPerSec);
  const noKey = await phase("payment-mock process, new booking each", charges(paymentUrl, false));
  const charged = await successCount();
  noKeyRuns.push(noKey.requestsPerSec);
  const withKey = await phase("payment-mock process, Idempotency-Key each", charges(paymentUrl, true));
  keyRuns.push(withKey.requestsPerSec);
  console.log(
    `   ratios: no key ${ratio(noKey.requestsPerSec, bareRuns.at(-1) ?? 0)}, key ${ratio(withKey.requestsPerSec, bareRuns.at(-1) ?? 0)} of bare; ${charged} charges recorded in the no-key phase`,
  );
}

const best = (xs: number[]) => Math.max(...xs);
console.log(
  `\npayment-mock vs bare Fastify POST (best of ${ROUNDS}): no key ${ratio(best(noKeyRuns), best(bareRuns))}, ` +
    `Idempotency-Key ${ratio(best(keyRuns), best(bareRuns))} (target: at least 80%)`,
);
await servers.close();
