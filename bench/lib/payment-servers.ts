// The payment bench's servers, run in a child process (bench/lib/child-servers.ts): payment-mock
// with latency 0 and rates 0, and a bare Fastify POST route answering a body of the same shape.
import { buildApp } from "../../payment-mock/app.js";
import { loadPaymentConfig } from "../../payment-mock/config.js";
import { announceUrls } from "./child-servers.js";
import { startBareRoute } from "./http.js";

const base = loadPaymentConfig();
const config = {
  ...base,
  payment: { ...base.payment, failureRate: 0, timeoutRate: 0, latencyMs: 0, latencyMinMs: 0, latencyMaxMs: 0 },
};
const app = await buildApp({ config });
const payment = await app.listen({ host: "127.0.0.1", port: 0 });
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
announceUrls({ payment, bare: bare.url });
process.once("SIGTERM", () => {
  void Promise.all([app.close(), bare.close()]).then(() => process.exit(0));
});
