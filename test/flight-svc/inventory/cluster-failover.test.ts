// A Redis Cluster failover that loses acknowledged writes (flight-svc/inventory/failover-watch.ts
// and reconcile.ts): three masters with a replica each; one master's replica is cut off
// (stopped, its link dropped) while holds are placed, then the master is killed and the replica
// takes over without them. flight-svc must repair what the loss left by itself, and the holds
// Redis forgot must not oversell: PostgreSQL refuses a confirm beyond a flight's seats.
import { setTimeout as sleep } from "node:timers/promises";
import t from "tap";
import { keys } from "../../../flight-svc/inventory/keys.js";
import { ClusterControls } from "../../../stress/topology/cluster-controls.js";
import { bookedSeats, build, seedFlights } from "../../helpers/flight-svc.js";
import { startTestCluster } from "../../helpers/redis-cluster.js";

const cluster = await startTestCluster(t, { replicas: 1, nodeTimeoutMs: 1_000, portOffset: 10 });
const controls = new ClusterControls({
  runDir: cluster.dir,
  redisDir: cluster.dir,
  redisNodes: cluster.nodes,
  instancePort: 0,
});

async function until<T>(ms: number, probe: () => Promise<T | null>): Promise<T | null> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const v = await probe().catch(() => null);
    if (v !== null) return v;
    await sleep(100);
  }
  return null;
}

/** A hold id whose record lives on the master at `port` (or, with `not`, on another one). */
async function holdIdOn(port: number, not = false): Promise<string> {
  for (let i = 0; ; i++) {
    const id = `failover-${not ? "elsewhere" : "there"}-${i}`;
    if (((await controls.masterOf(keys.hold(id))) === port) !== not) return id;
  }
}

t.test("a failover that lost writes: repaired by flight-svc, never oversold", async (t) => {
  const { app } = await build(t, {
    env: {
      REDIS_CLUSTER_NODES: cluster.nodes.join(","),
      RECONCILE_AFTER_FAILOVER_MS: "300",
      HOLD_SWEEP_MS: "600000",
    },
  });
  const ids = await seedFlights(
    app.sql,
    Array.from({ length: 24 }, () => ({ total: 10 })),
  );
  await app.inventory.availableSeats(ids);
  const [first] = ids as [number];
  const doomed = await controls.masterOf(keys.seatsAvailable(first));
  const masterOf = new Map<number, number>();
  for (const id of ids) masterOf.set(id, await controls.masterOf(keys.seatsAvailable(id)));
  // `lost`: a flight on the doomed master; `kept`: a flight on another one.
  const lost = first;
  const kept = ids.find((id) => masterOf.get(id) !== doomed) as number;
  // Its hold's record is elsewhere: the record survives, the flight forgets the hold.
  const forgotten = await holdIdOn(doomed, true);
  // Its record is on the doomed master, its leg elsewhere: the leg survives as an orphan.
  const orphan = await holdIdOn(doomed);

  const killedAt = await controls.killMasterAfter(doomed, async () => {
    await app.inventory.placeHold({ flightIds: [lost], seats: 4, holdId: forgotten });
    await app.inventory.placeHold({ flightIds: [kept], seats: 3, holdId: orphan });
  });
  const failedOver = await controls.failedOver(doomed, 30_000);
  t.ok(failedOver > killedAt, `a replica took over in ${((failedOver - killedAt) / 1000).toFixed(1)} s`);

  const repaired = await until(30_000, async () => {
    const [seats] = await app.inventory.availableSeats([kept]);
    return seats === 10 && (await app.redis.hlen(keys.flightHolds(kept))) === 0 ? performance.now() : null;
  });
  t.ok(repaired, "flight-svc gave the orphaned hold's seats back by itself");
  t.comment(`repaired ${(((repaired ?? killedAt) - killedAt) / 1000).toFixed(1)} s after the kill`);
  t.equal(await app.redis.exists(keys.hold(orphan)), 0, "the orphan's record was lost with the master");

  t.same(await app.inventory.availableSeats([lost]), [10], "the promoted replica never saw the first hold");
  const other = await app.inventory.placeHold({ flightIds: [lost], seats: 10 });
  await app.inventory.confirmHold(other.hold_id);
  await t.rejects(
    app.inventory.confirmHold(forgotten),
    { code: "not_enough_seats" },
    "the forgotten hold cannot book seats that are gone",
  );
  t.equal(await bookedSeats(app.sql, lost), 10, "10 of 10 booked: not oversold");
  t.same(await app.inventory.availableSeats([lost]), [0]);
  t.match(await app.inventory.reconcile(false), { drift: [] }, "Redis agrees with PostgreSQL");
});
