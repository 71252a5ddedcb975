// The per-leg hold protocol (flight-svc/inventory/per-leg-steps.ts) on a real Redis Cluster of
// three masters, with legs on different masters, and the same protocol on one node
// (INVENTORY_PROTOCOL=per-leg): all or nothing seen from outside, compensation when a leg
// refuses, a placement whose caller died released by the sweeper, a release that overtakes a
// placement, expiry over every shard, reads of flights on every node.
import t from "tap";
import { flightKeys } from "../../../flight-svc/inventory/key-layout.js";
import { keys } from "../../../flight-svc/inventory/keys.js";
import { groupByNode } from "../../../lib/redis-nodes.js";
import { bookedSeats, build, seedFlights } from "../../helpers/flight-svc.js";
import { startTestCluster } from "../../helpers/redis-cluster.js";

const GRACE_MS = 2_000;
const { nodes: clusterNodes } = await startTestCluster(t);

const topologies: { name: string; env: Record<string, string>; nodes: number }[] = [
  { name: "Redis Cluster", env: { REDIS_CLUSTER_NODES: clusterNodes.join(",") }, nodes: 3 },
  { name: "one node, INVENTORY_PROTOCOL=per-leg", env: { INVENTORY_PROTOCOL: "per-leg" }, nodes: 1 },
];

for (const topo of topologies) {
  t.test(topo.name, async (t) => {
    const { app } = await build(t, { env: { ...topo.env, HOLD_SETTLE_GRACE_MS: String(GRACE_MS) } });
    const ids = await seedFlights(
      app.sql,
      Array.from({ length: 30 }, () => ({ total: 10 })),
    );
    const groups = groupByNode(
      app.redis,
      ids.map((id) => keys.seatsAvailable(id)),
    );
    t.equal(groups.length, topo.nodes, "the flights' counters live on every node");
    // Two flights on different masters (on one node: any two).
    const a = ids[groups[0]?.[0] as number] as number;
    const b = ids[(groups[1] ?? groups[0])?.[1] as number] as number;
    await app.sql`UPDATE flights SET total_seats = 2 WHERE id = ${b}`;

    t.test("a leg that refuses gives back the legs taken before it; the id may be tried again", async (t) => {
      await t.rejects(app.inventory.placeHold({ flightIds: [a, b], seats: 3, holdId: "two-legs" }), {
        code: "not_enough_seats",
      });
      t.same(await app.inventory.availableSeats([a, b]), [10, 2], "the first leg's seats came back");
      t.equal(await app.redis.hlen(keys.flightHolds(a)), 0, "the first leg forgot the hold");
      t.equal(await app.redis.exists(keys.hold("two-legs")), 0, "no record left");
      const held = await app.inventory.placeHold({ flightIds: [a, b], seats: 2, holdId: "two-legs" });
      t.match(held, {
        status: "held",
        legs: [
          { flight_id: a, available_seats: 8 },
          { flight_id: b, available_seats: 0 },
        ],
      });
      const again = await app.inventory.placeHold({ flightIds: [a, b], seats: 2, holdId: "two-legs" });
      t.equal(again.replayed, true, "the same id again is a replay");
      t.same(await app.inventory.availableSeats([a, b]), [8, 0], "taken once");
    });

    t.test("confirm, then cancel: PostgreSQL and the counters agree on every leg", async (t) => {
      await app.inventory.confirmHold("two-legs");
      t.same([await bookedSeats(app.sql, a), await bookedSeats(app.sql, b)], [2, 2]);
      t.same(await app.inventory.availableSeats([a, b]), [8, 0]);
      t.equal(await app.redis.hlen(keys.flightHolds(a)), 0, "the confirmed hold left the leg's hash");
      t.match(await app.inventory.releaseHold("two-legs"), { status: "cancelled", seats_returned: true });
      t.same([await bookedSeats(app.sql, a), await bookedSeats(app.sql, b)], [0, 0]);
      t.same(await app.inventory.availableSeats([a, b]), [10, 2]);
      t.match(await app.inventory.releaseHold("two-legs"), { status: "cancelled", seats_returned: false }, "once");
      t.match(await app.inventory.reconcile(false), { drift: [] });
    });

    t.test("a placement whose caller died after one leg is released by the sweeper", async (t) => {
      const id = "died-placing";
      const now = Date.now();
      const rec = [keys.hold(id), keys.holdExpiries(id)] as const;
      t.same(await app.redis.invRecordPlace(...rec, id, 4, 60_000, now, 60_000, `${a},${b}`, "hold", "tok", GRACE_MS), [
        0,
        now + 60_000,
      ]);
      t.same(await app.redis.invLegTake(...flightKeys(a), id, 4), [0, 6]);
      t.match(await app.inventory.getHold(id), { status: "held" }, "a placement in progress reads as held");
      t.same(await app.inventory.sweepOnce(now), { expired: 0, settled: 0 }, "not before the grace period");
      t.same(await app.inventory.sweepOnce(now + GRACE_MS + 1), { expired: 0, settled: 1 });
      t.same(await app.inventory.availableSeats([a, b]), [10, 2]);
      t.match(await app.inventory.getHold(id), { status: "released" });
      await t.rejects(app.inventory.placeHold({ flightIds: [a, b], seats: 4, holdId: id }), { code: "hold_released" });
    });

    t.test("a release that overtakes a placement: the placement gives its legs back itself", async (t) => {
      const id = "overtaken";
      const now = Date.now();
      const rec = [keys.hold(id), keys.holdExpiries(id)] as const;
      await app.redis.invRecordPlace(...rec, id, 1, 60_000, now, 60_000, `${a},${b}`, "hold", "tok", GRACE_MS);
      await app.redis.invLegTake(...flightKeys(a), id, 1);
      t.match(await app.inventory.releaseHold(id), { status: "released" });
      t.same(await app.inventory.availableSeats([a]), [10], "the release gave back the leg taken so far");
      // The placement goes on: its next leg lands after the release ...
      await app.redis.invLegTake(...flightKeys(b), id, 1);
      // ... and its last step finds the hold released, so it gives back every leg (each once).
      t.same(await app.redis.invRecordPlaced(...rec, id), [-10, "released"]);
      const give = (leg: number) => app.redis.invLegGive(keys.seatsAvailable(leg), keys.flightHolds(leg), id);
      t.same([await give(a), await give(b)], [[0], [1]], "leg a was given back by the release, leg b now");
      t.same(await give(b), [0], "a repeat gives nothing");
      t.same(await app.inventory.availableSeats([a, b]), [10, 2]);
    });

    t.test("holds of every shard expire in one sweep", async (t) => {
      const placed = await Promise.all(
        ids.map((id) => app.inventory.placeHold({ flightIds: [id], seats: 1, ttlSeconds: 1 })),
      );
      t.equal(new Set(placed.map((h) => keys.holdExpiries(h.hold_id))).size > 1, true, "several shards");
      t.same(await app.inventory.sweepOnce(Date.now() + 2_000), { expired: ids.length, settled: 0 });
      const seats = await app.inventory.availableSeats(ids);
      t.same(
        seats,
        ids.map((id) => (id === b ? 2 : 10)),
        "every counter is whole again",
      );
    });
  });
}
