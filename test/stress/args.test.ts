import t from "tap";
import { parseCli, UsageError } from "../../stress/args.js";

const KNOWN = ["search", "contention", "mixed"];

t.test("no flags: every scenario with its own defaults", async (t) => {
  const a = parseCli([], KNOWN);
  t.same(a.scenarios, []);
  t.equal(a.durationSeconds, undefined);
  t.equal(a.json, false);
});

t.test("flags as make stress-test ARGS passes them", async (t) => {
  const a = parseCli(
    [
      "--scenario",
      "search,mixed",
      "--scenario",
      "search",
      "--duration",
      "5",
      "--connections",
      "20",
      "--json",
      "--seed",
      "9",
    ],
    KNOWN,
  );
  t.same(a.scenarios, ["search", "mixed"]);
  t.equal(a.durationSeconds, 5);
  t.equal(a.connections, 20);
  t.equal(a.json, true);
  t.equal(a.seed, 9);
  t.equal(parseCli(["--requests=500"], KNOWN).requests, 500);
});

t.test("bad usage says what is wrong", async (t) => {
  t.throws(
    () => parseCli(["--scenario", "nope"], KNOWN),
    new UsageError("--scenario nope: expected one of search, contention, mixed"),
  );
  t.throws(() => parseCli(["--duration", "0"], KNOWN), /--duration 0: expected an integer from 1 to 3600/);
  t.throws(() => parseCli(["--connections", "ten"], KNOWN), /--connections ten/);
  t.throws(() => parseCli(["--seed", "-1"], KNOWN), UsageError);
  t.throws(() => parseCli(["--bogus"], KNOWN), UsageError);
  t.throws(() => parseCli(["stray"], KNOWN), UsageError);
});
