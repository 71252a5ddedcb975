import { setTimeout as sleep } from "node:timers/promises";
import t from "tap";
import { SAMPLE_FLIGHTS } from "../../../flight-svc/data/sample-flights.js";
import { build } from "../../helpers/flight-svc.js";

// Fastify gives each onReady hook 10 s; a big schedule's first read on a busy machine takes longer.
const FASTIFY_DEFAULT_TIMEOUT_MS = 10_000;

t.test("a timetable whose first read outlasts Fastify's plugin timeout still starts", async (t) => {
  const { app: first } = await build(t, { flights: SAMPLE_FLIGHTS });
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked = () => {};
  const lockTaken = new Promise<void>((resolve) => {
    locked = resolve;
  });
  // The flights table locked: the second instance's read waits as a slow one would.
  const holder = first.sql.begin(async (tx) => {
    await tx`LOCK TABLE flights IN ACCESS EXCLUSIVE MODE`;
    locked();
    await released;
  });
  await lockTaken;
  const starting = build(t, { reset: false });
  await sleep(FASTIFY_DEFAULT_TIMEOUT_MS + 500);
  release();
  await holder;
  const { app: second } = await starting;
  t.equal(second.timetable.index.size, 16, "the whole schedule read");
});
