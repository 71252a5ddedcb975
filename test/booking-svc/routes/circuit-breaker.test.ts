// booking-svc's circuit breaker in front of payment-mock (booking-svc/clients/breaker.ts): it
// opens after BOOKING_BREAKER_FAILURES calls in a row without an answer (payment-mock stopped,
// or too slow), calls then fail at once without reaching payment-mock, the state is a metric,
// and once payment-mock is back one trial call after BOOKING_BREAKER_HALF_OPEN_MS closes it.
import type { FastifyInstance } from "fastify";
import t from "tap";
import { buildApp as buildBooking } from "../../../booking-svc/app.js";
import { buildApp as buildPayment } from "../../../payment-mock/app.js";
import { fileAuth } from "../../helpers/auth.js";
import { testPaymentConfig } from "../../helpers/config.js";
import { freePort } from "../../helpers/free-port.js";
import { call, SYSTEM_ENV, startSystem, waitFor } from "../../helpers/system.js";

// Long enough that payment-mock restarts within it on a loaded machine: the circuit reads open
// until then, and half-open once it has passed.
const HALF_OPEN_MS = 2_000;
const BOOKING = { flight_id: 1, seats: 1, date: "2024-02-15" };

t.test("payment-mock stopped and started: the breaker opens, fails fast, and closes by itself", async (t) => {
  const auth = await fileAuth();
  const sys = await startSystem(t, [{ total: 50 }], { auth, booking: false });
  const customer = await auth.customer();
  const paymentPort = await freePort();
  let payment: FastifyInstance | null = null;
  const startPayment = async () => {
    payment = await buildPayment({
      config: testPaymentConfig({ ...auth.env, ...SYSTEM_ENV, PAYMENT_LATENCY_MS: "0" }),
    });
    await payment.listen({ host: "127.0.0.1", port: paymentPort });
  };
  const stopPayment = async () => {
    await payment?.close();
    payment = null;
  };
  t.teardown(stopPayment);
  await startPayment();
  const booking = await buildBooking({
    config: {
      ...sys.config,
      booking: {
        ...sys.config.booking,
        paymentServiceUrl: `http://127.0.0.1:${paymentPort}`,
        breakerFailures: 3,
        breakerHalfOpenMs: HALF_OPEN_MS,
      },
    },
    sweeper: false,
  });
  t.teardown(() => booking.close());
  const url = await booking.listen({ host: "127.0.0.1", port: 0 });
  const book = () => call(url, "POST", "/api/bookings", BOOKING, customer.headers);
  const metric = async (series: string) => {
    const text = (await booking.inject({ method: "GET", url: "/metrics" })).body;
    const line = text.split("\n").find((l) => l.startsWith(`${series} `));
    return Number(line?.split(" ").at(-1));
  };
  const state = () =>
    metric('skybook_upstream_circuit_state{upstream="payment-mock",operation="POST /api/payments/process"}');
  const refused = () => metric('skybook_upstream_circuit_refused_calls_total{upstream="payment-mock"}');

  t.equal((await book()).status, 200, "books while payment-mock is up");
  t.equal(await state(), 0, "closed");

  await stopPayment();
  const answers: number[] = [];
  for (let i = 0; i < 4; i++) answers.push((await book()).status);
  t.notOk(answers.includes(500), `never a 500 (${answers.join(", ")})`);
  t.notOk(answers.includes(200), "no booking completes without payment-mock");
  t.equal(await state(), 2, "open after three calls in a row got no answer");
  t.ok((await refused()) > 0, "later calls were refused without being sent");

  await startPayment();
  t.equal(await state(), 2, "still open right after payment-mock is back: no call has tried it yet");
  const back = await waitFor(async () => (await book()).status === 200, 10_000, 100);
  t.ok(back, "books again once the half-open trial call succeeds");
  t.equal(await state(), 0, "closed again by itself");

  // Slow instead of down: each call waits for PAYMENT_TIMEOUT_MS until the breaker opens.
  const slow = await call(
    `http://127.0.0.1:${paymentPort}`,
    "PUT",
    "/api/payments/config",
    { latency_ms: 3_000 },
    (await auth.admin()).headers,
  );
  t.equal(slow.status, 200);
  for (let i = 0; i < 3; i++) await book();
  t.equal(await state(), 2, "open after three timeouts");
  const started = performance.now();
  t.equal((await book()).status, 202, "the booking stays pending for the sweeper");
  const ms = performance.now() - started;
  t.ok(
    ms < sys.config.booking.paymentTimeoutMs / 2,
    `answered in ${Math.round(ms)} ms, not after the payment deadline`,
  );
});
