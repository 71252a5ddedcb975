// payment-mock with latency 0 and rates 0 against a bare Fastify POST route in the same process
// and run: is the mock ever the bottleneck of a stress run? Every request charges a new booking
// (distinct booking ids), so the store, the indexes and the totals do their full work.
import type autocannon from "autocannon";
import { loadConfig } from "../lib/config.js";
import { buildApp } from "../payment-mock/app.js";
import { formatLoad, type LoadResult, load, ratio, startBareRoute } from "./lib/http.js";

const DURATION_S = 3;
const ROUNDS = 2;

const base = loadConfig();
const config = {
  ...base,
  payment: { ...base.payment, failureRate: 0, timeoutRate: 0, latencyMs: 0, latencyMinMs: 0, latencyMaxMs: 0 },
};
const app = await buildApp({ config });
const paymentUrl = `${await app.listen({ host: "127.0.0.1", port: 0 })}/api/payments/process`;
const bare = await startBareRoute(
  {
    payment_id: "pay_0123456789abcdef0123456789abcdef",
    booking_id: 1,
    amount: 1250.5,
    status: "success",
    message: "Payment processed successfully.",
    created_at: new Date().toISOString(),
  },
  "POST",
);

let next = 0;
/** The same request shape for every target: a POST whose booking id (and key) is new each time. */
function charges(url: string, withKey: boolean): autocannon.Options {
  return {
    url,
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        setupRequest: (req) => {
          next++;
          req.body = `{"booking_id":${next},"amount":1250.5,"user_id":7,"payment_type":"credit_card"}`;
          if (withKey) req.headers = { ...req.headers, "idempotency-key": `booking-${next}` };
          return req;
        },
      },
    ],
  };
}

async function phase(name: string, opts: autocannon.Options, duration = DURATION_S): Promise<LoadResult> {
  app.payments.reset();
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
  const charged = app.payments.statsJson().success.count;
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
console.log(`stored payments now: ${app.payments.storedCount} (cap ${config.payment.maxStored})`);

await app.close();
await bare.close();
