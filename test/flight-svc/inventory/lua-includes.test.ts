import { readdirSync } from "node:fs";
import t from "tap";
import { legKeys } from "../../../flight-svc/inventory/key-layout.js";
import { expandIncludes, loadLua } from "../../../flight-svc/inventory/lua-source.js";
import { projectPath } from "../../../lib/paths.js";
import { build } from "../../helpers/flight-svc.js";

const fragments = (files: Record<string, string>) => (name: string) => files[name];

t.test("an include is inlined where it is named, a nested one before its user, each once", async (t) => {
  const read = fragments({
    base: "local base = 1",
    middle: "-- @include base\nlocal middle = base + 1",
    top: "-- @include middle\n-- @include base\nlocal top = middle + 1",
  });
  const out = expandIncludes("-- @include top\n-- @include base\nreturn top", read, "x.lua");
  t.equal(out, "local base = 1\nlocal middle = base + 1\n\nlocal top = middle + 1\n\nreturn top");
});

t.test("a missing include fails at load and names the script and the file", async (t) => {
  const read = fragments({ middle: "-- @include nowhere\nlocal m = 1" });
  t.throws(() => expandIncludes("-- @include middle\nreturn m", read, "x.lua"), {
    message: 'x.lua: "-- @include nowhere" but lua/include/nowhere.lua does not exist',
  });
});

t.test("an include cycle or a name that is not a fragment fails at load", async (t) => {
  const read = fragments({ a: "-- @include b", b: "-- @include a" });
  t.throws(() => expandIncludes("-- @include a", read, "x.lua"), { message: "x.lua: include cycle a -> b -> a" });
  t.throws(() => expandIncludes("-- @include ../hold", read, "x.lua"), {
    message: 'x.lua: "-- @include ../hold" is not a fragment name',
  });
});

t.test("every script of lua/ loads with its includes inlined", async (t) => {
  for (const file of readdirSync(projectPath("lua")).filter((f) => f.endsWith(".lua"))) {
    t.notMatch(loadLua(file), /@include/, file);
  }
});

t.test("lua/include/leg-keys.lua reads the keys in the order legKeys builds them", async (t) => {
  const { app } = await build(t);
  const [numKeys, ...ks] = legKeys("op-1", [7, 8]);
  const script = `${loadLua("include/leg-keys.lua")}
local out = {KEYS[1], KEYS[2]}
for i = 1, legCount do
  local k = leg(i)
  for _, name in ipairs({"available", "epoch", "holds", "returns", "initing"}) do out[#out + 1] = k[name] end
end
return out`;
  t.same(await app.redis.eval(script, numKeys, ...ks), ks);
});
