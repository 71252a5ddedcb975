import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import t, { type Test } from "tap";
import { buildApp } from "../../../booking-svc/app.js";
import type { BookingConfig } from "../../../booking-svc/config.js";
import type { LogStream } from "../../../lib/fastify-options.js";
import { type Account, startAuth } from "../../helpers/auth.js";
import { bookFor, departingIn, takenSeats } from "../../helpers/check-in.js";
import { startSystem } from "../../helpers/system.js";
import { build as buildUser } from "../../helpers/user-svc.js";

// booking-svc calls flight-svc with a service token from user-svc. When user-svc does not hand
// one out (down, or refusing a wrong secret), the client's 503 names the user service and the
// token, not the flight service, which was never called.

const auth = await startAuth(t);
/**
 * Without flight-svc a cancellation goes ahead on a booking whose travel date is still ahead
 * (its flight cannot have left) and answers 503 only for one of today: a flight three hours
 * ahead is tomorrow's after 21:00 UTC, so the cancellation's 503 is asked of a flight that left
 * at one minute past midnight today.
 */
const today = new Date(`${new Date().toISOString().slice(0, 10)}T00:01:00Z`).toISOString();
const sys = await startSystem(
  t,
  [departingIn(3, { total: 10 }), departingIn(3, { total: 10 }), { departure: today, total: 10 }],
  { auth, sweeper: false },
);
/** `g` is the flight a change asks for; `h` left today. */
const [f, g, h] = sys.flightIds as [number, number, number];
const wrongSecret = join(auth.config.user.keyDir, "wrong-secret");
await writeFile(wrongSecret, "not-the-secret\n");

/** Another booking-svc instance on the same stores, fetching its service token from `config`'s user-svc. */
async function instance(config: BookingConfig, logStream?: LogStream): Promise<FastifyInstance> {
  const app = await buildApp({ config, sweeper: false, disruption: false, flown: false, logStream });
  t.teardown(() => app.close());
  await app.ready();
  return app;
}

/**
 * An instance whose user-svc (a second one, with the same signing key) has gone once the instance
 * has its keys for customers' tokens, but before it fetched a service token.
 */
async function userSvcGone(t: Test, who: Account, logStream?: LogStream): Promise<FastifyInstance> {
  const beside = await buildUser(t, { listen: true, reset: false, env: { AUTH_KEY_DIR: auth.config.user.keyDir } });
  const config = { ...sys.config, auth: { ...sys.config.auth, userServiceUrl: beside.url } };
  const app = await instance(logStream ? { ...config, logLevel: "info" } : config, logStream);
  const read = await app.inject({ method: "GET", url: "/api/bookings", headers: who.headers });
  t.equal(read.statusCode, 200, "the customer's token is verified: the instance has user-svc's keys");
  await beside.app.close();
  return app;
}

const wrongSecretInstance = () =>
  instance({ ...sys.config, auth: { ...sys.config.auth, serviceSecretFile: wrongSecret } });

const NOT_FLIGHT = /flight service/;

/** A booking of one seat on the flight, on its day. */
async function oneSeat() {
  const [row] = await sys.flightsSql<{ date: string }[]>`
    SELECT to_char(departure_time AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date FROM flights WHERE id = ${f}`;
  return { flight_id: f, seats: 1, date: row?.date };
}

/** A booking of one seat through `app`, as `who`. */
async function bookOneSeat(app: FastifyInstance, who: Account) {
  return app.inject({ method: "POST", url: "/api/bookings", payload: await oneSeat(), headers: who.headers });
}

t.test("user-svc down: a check-in answers 503 naming the user service, and a retry checks in", async (t) => {
  const bo = await auth.customer("bo-lee");
  const id = await bookFor(sys, bo, [f], 1, ["Bo Lee"]);
  const cut = await userSvcGone(t, bo);
  const r = await cut.inject({ method: "POST", url: `/api/bookings/${id}/check-in`, payload: {}, headers: bo.headers });
  t.equal(r.statusCode, 503);
  t.same(r.json(), {
    error: "service_unavailable",
    message: "The user service (booking-svc's service token) did not answer; try again (a repeated check-in is safe).",
  });
  t.same(await takenSeats(sys, f), [], "no seat taken");
  const back = await sys.bookingCall("POST", `/api/bookings/${id}/check-in`, {}, bo.headers);
  t.match(back, { status: 200, body: { boarding_passes: [{ passenger: "Bo Lee", seat: "1A" }] } });
});

t.test("a wrong client secret: a check-in answers 503 saying user-svc refused the token", async (t) => {
  const cy = await auth.customer("cy-ng");
  const id = await bookFor(sys, cy, [f], 1, ["Cy Ng"]);
  const wrong = await wrongSecretInstance();
  const r = await wrong.inject({
    method: "POST",
    url: `/api/bookings/${id}/check-in`,
    payload: {},
    headers: cy.headers,
  });
  t.equal(r.statusCode, 503);
  t.match(r.json(), {
    error: "service_unavailable",
    message: /^The user service \(booking-svc's service token\) failed \(HTTP 401\); try again/,
  });
  t.notMatch(r.json().message, NOT_FLIGHT);
});

t.test("user-svc down: a booking answers 503 naming the user service, and nothing is booked", async (t) => {
  const di = await auth.customer("di-ray");
  const cut = await userSvcGone(t, di);
  const before = (await sys.flightCall("GET", `/api/flights/${f}`)).body.available_seats;
  const r = await bookOneSeat(cut, di);
  t.equal(r.statusCode, 503);
  t.same(r.json(), {
    error: "service_unavailable",
    message: "The user service (booking-svc's service token) is unavailable; nothing was booked.",
  });
  t.match(await sys.flightCall("GET", `/api/flights/${f}`), { body: { available_seats: before } });
});

t.test("a wrong client secret: a booking answers 503 naming the user service", async (t) => {
  const ed = await auth.customer("ed-cho");
  const wrong = await wrongSecretInstance();
  const r = await bookOneSeat(wrong, ed);
  t.equal(r.statusCode, 503);
  t.same(r.json(), {
    error: "service_unavailable",
    message: "The user service (booking-svc's service token) is unavailable; nothing was booked.",
  });
});

t.test("user-svc down: the log lines of a refused booking, cancellation and change name user-svc", async (t) => {
  const fy = await auth.customer("fy-tan");
  const id = await bookFor(sys, fy, [h], 1, ["Fy Tan"]);
  const lines: string[] = [];
  const cut = await userSvcGone(t, fy, { write: (line) => void lines.push(line) });
  const refused = [
    await bookOneSeat(cut, fy),
    await cut.inject({ method: "PUT", url: `/api/bookings/${id}/cancel`, payload: {}, headers: fy.headers }),
    await cut.inject({
      method: "POST",
      url: `/api/bookings/${id}/change`,
      payload: { flight_ids: [g], date: (await oneSeat()).date },
      headers: fy.headers,
    }),
  ];
  t.same(
    refused.map((r) => r.statusCode),
    [503, 503, 503],
  );
  const unavailable = lines.map((l) => JSON.parse(l).msg as string).filter((m) => / unavailable for /.test(m));
  t.same(unavailable, [
    "user-svc (booking-svc's service token) unavailable for the booking",
    "user-svc (booking-svc's service token) unavailable for a cancellation",
    "user-svc (booking-svc's service token) unavailable for a change",
  ]);
});
