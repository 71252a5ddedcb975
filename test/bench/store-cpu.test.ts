import { existsSync, readFileSync } from "node:fs";
import t from "tap";
import { storesCpu } from "../../bench/lib/store-cpu.js";
import { createSql } from "../../lib/postgres-plugin.js";
import { closeRedis, createRedis } from "../../lib/redis-plugin.js";
import { testDataConfig } from "../helpers/config.js";

const isLocal = (pid: number, name: string) =>
  existsSync(`/proc/${pid}/comm`) && readFileSync(`/proc/${pid}/comm`, "utf8").startsWith(name);

t.test("the stores' CPU is counted when they are local processes, and grows with their work", async (t) => {
  const config = testDataConfig();
  const sql = createSql(config.bookingsDatabaseUrl, 1);
  const redis = createRedis(config.redisUrl);
  t.teardown(async () => {
    await sql.end({ timeout: 5 });
    await closeRedis(redis);
  });
  const redisPid = Number(/process_id:(\d+)/.exec(await redis.info("server"))?.[1]);
  const [row] = await sql<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
  const local = isLocal(redisPid, "redis") && isLocal(Number(row?.pid), "postgres");

  const cpu = await storesCpu([sql], redis);
  if (!local) {
    t.equal(cpu, null, "a store outside this machine's process list gives no figure rather than part of one");
    return;
  }
  if (cpu === null) throw new Error("local stores gave no CPU figure");
  const before = cpu();
  for (let i = 0; i < 300; i++) await sql`SELECT count(*) FROM generate_series(1, 2000)`;
  await Promise.all(Array.from({ length: 3_000 }, (_, i) => redis.set(`store-cpu-test:${i % 10}`, i)));
  const after = cpu();
  t.ok(before > 0, `CPU so far: ${before.toFixed(3)} s`);
  t.ok(after > before, `grew by ${((after - before) * 1e3).toFixed(1)} ms with 300 queries and 3,000 commands`);
  await redis.del(...Array.from({ length: 10 }, (_, i) => `store-cpu-test:${i}`));
});

t.test("a PostgreSQL backend that ends between two readings keeps its CPU in the figure", async (t) => {
  const config = testDataConfig();
  const probe = createSql(config.bookingsDatabaseUrl, 1);
  const busy = createSql(config.bookingsDatabaseUrl, 1);
  const redis = createRedis(config.redisUrl);
  t.teardown(async () => {
    await Promise.all([probe.end({ timeout: 5 }), busy.end({ timeout: 5 })]);
    await closeRedis(redis);
  });
  const cpu = await storesCpu([probe], redis);
  if (cpu === null) {
    t.pass("the stores are not local processes here");
    return;
  }
  const [row] = await busy<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
  const backend = Number(row?.pid);
  for (let i = 0; i < 5; i++) await busy`SELECT count(*) FROM generate_series(1, 1000000)`;
  const whileAlive = cpu();
  await busy.end({ timeout: 5 });
  for (let i = 0; i < 100 && existsSync(`/proc/${backend}`); i++) await new Promise((r) => setTimeout(r, 20));
  t.notOk(existsSync(`/proc/${backend}`), "the busy connection's backend has ended");
  const afterEnd = cpu();
  // Ended children are accounted in 10 ms ticks, live ones to the nanosecond.
  t.ok(
    afterEnd >= whileAlive - 0.02,
    `${((afterEnd - whileAlive) * 1e3).toFixed(1)} ms from the reading before the backend ended`,
  );
});
