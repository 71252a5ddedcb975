import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import t, { type Test } from "tap";
import { luaScript } from "../../lib/lua-script.js";
import { closeRedis, createRedis } from "../../lib/redis-plugin.js";
import { DisposableRedis } from "../helpers/redis-server.js";

// A private server: its command counts and its script cache are this file's alone.
const LUA = "redis.call('INCRBY', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1])";
const sha = createHash("sha1").update(LUA).digest("hex");

async function calls(redis: Redis): Promise<{ eval: number; evalsha: number }> {
  const stats = await redis.info("commandstats");
  const count = (name: string) => Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
  return { eval: count("eval"), evalsha: count("evalsha") };
}

/** A Redis server of this test's own, stopped at its end. */
async function privateRedis(t: Test): Promise<Redis> {
  const server = await DisposableRedis.start();
  const redis = createRedis(server.url);
  t.teardown(async () => {
    await closeRedis(redis);
    await server.stop();
  });
  return redis;
}

t.test("a script is sent by its hash, and by its text where the server does not know it", async (t) => {
  const redis = await privateRedis(t);
  const add = luaScript(LUA);

  t.equal(await add(redis, 1, "n", 5), "5", "a server that never saw it runs it");
  t.same(await redis.script("EXISTS", sha), [1], "and keeps it");
  t.same(await calls(redis), { eval: 1, evalsha: 1 }, "one EVALSHA refused, one EVAL");

  t.same(await Promise.all([add(redis, 1, "n", 1), add(redis, 1, "n", 1)]), ["6", "7"]);
  t.same(await calls(redis), { eval: 1, evalsha: 3 }, "known: by hash alone");

  await redis.script("FLUSH");
  t.equal(await add(redis, 1, "n", 3), "10", "a server that forgot it (a restart, a new master) is sent it again");
  t.same(await calls(redis), { eval: 2, evalsha: 4 });
});

t.test("the script's own errors reach the caller, not a second try", async (t) => {
  const redis = await privateRedis(t);
  const failing = luaScript("return redis.error_reply('REFUSED by the script')");
  await t.rejects(failing(redis, 0), /REFUSED by the script/);
  await t.rejects(failing(redis, 0), /REFUSED by the script/);
  t.same(await calls(redis), { eval: 1, evalsha: 2 }, "each call one EVALSHA; EVAL only for NOSCRIPT");
});
