// lib/redis-nodes.ts on a client of a Redis Cluster that has only just been created, as a data
// script's is (make reconcile, seed, db-reset): its slot map and masters are not known until it
// has connected. The reconcile of a cluster failed with "All keys in the pipeline should belong to
// the same slots allocation group" whenever PostgreSQL answered before the cluster client was
// ready (one pipeline for every key), and a flush or scan of every master did nothing (no master
// known yet).
import t from "tap";
import { eachMaster, getMany, pipelineByNode } from "../../lib/redis-nodes.js";
import { closeRedis, createRedis } from "../../lib/redis-plugin.js";
import { startTestCluster } from "../helpers/redis-cluster.js";

const { nodes } = await startTestCluster(t);
const keys = Array.from({ length: 30 }, (_, i) => `nodes-test:${i}`);
const seeder = createRedis("redis://unused", nodes);
t.teardown(() => closeRedis(seeder));
for (const k of keys) await seeder.set(k, k);

const fresh = () => {
  const redis = createRedis("redis://unused", nodes);
  t.teardown(() => closeRedis(redis));
  return redis;
};

t.test("a pipeline per node from a client that has not connected yet", async (t) => {
  const replies = await pipelineByNode(
    fresh(),
    keys,
    (k) => k,
    (pipe, k) => pipe.get(k),
  );
  t.same(replies, keys);
  t.same(await getMany(fresh(), keys), keys, "getMany too");
});

t.test("every master from a client that has not connected yet", async (t) => {
  const sizes = await eachMaster(fresh(), (node) => node.dbsize());
  t.equal(sizes.length, 3, "the three masters");
  t.equal(
    sizes.reduce((a, b) => a + b, 0),
    keys.length,
    "which hold every key",
  );
});
