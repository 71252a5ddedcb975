// /ready's Redis check on Redis Cluster: a service writes to every master, so the check writes to
// each (one probe key in a slot of each); a PING, or a probe of one key, tested only one master.
import { Redis } from "ioredis";
import t from "tap";
import { NotServing } from "../../lib/health.js";
import { eachMaster } from "../../lib/redis-nodes.js";
import { closeRedis, createRedis } from "../../lib/redis-plugin.js";
import { READY_PROBE_PREFIX, redisWritable } from "../../lib/redis-readiness.js";
import { startTestCluster } from "../helpers/redis-cluster.js";

const { nodes } = await startTestCluster(t);
const redis = createRedis("redis://unused", nodes);
t.teardown(() => closeRedis(redis));
const check = redisWritable(redis, "probe-test");

t.test("one probe key on each master, expiring by itself", async (t) => {
  await check();
  const probes = await eachMaster(redis, (node) => node.keys(`${READY_PROBE_PREFIX}*`));
  t.equal(probes.length, 3, "three masters");
  for (const keys of probes) {
    t.equal(keys.length, 1, `one probe key on each master: ${keys}`);
    t.ok((await redis.pttl(keys[0] as string)) > 0, "with an expiry");
  }
});

t.test("any one master that refuses writes makes the check fail, naming it", async (t) => {
  // Three masters, no replicas: every node is a master.
  for (const master of nodes) {
    const [host, port] = master.split(":");
    const admin = new Redis({ host, port: Number(port) });
    t.teardown(() => admin.quit());
    await admin.config("SET", "maxmemory-policy", "noeviction");
    await admin.config("SET", "maxmemory", "1");
    t.teardown(() => admin.config("SET", "maxmemory", "0"));
    const err = await check().then(
      () => undefined,
      (e: unknown) => e,
    );
    t.ok(err instanceof NotServing, `${master} full: the check fails`);
    t.match((err as Error).message, `refuses writes: ${master}: OOM command not allowed`);
    await admin.config("SET", "maxmemory", "0");
    await t.resolves(check(), `${master} takes writes again: the check passes`);
  }
});
