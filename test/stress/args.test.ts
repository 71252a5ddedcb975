import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import t from "tap";
import { parseCli, UsageError } from "../../stress/args.js";
import { checkSlos } from "../../stress/slo.js";
import { compiledEntry } from "../helpers/child-start.js";

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
  // Written with a space, node's parser called a negative value "ambiguous" and named no range.
  t.throws(() => parseCli(["--duration", "-5"], KNOWN), /^--duration -5: expected an integer from 1 to 3600$/);
  t.throws(() => parseCli(["-c", "-2"], KNOWN), /^--connections -2: expected an integer from 1 to 10000$/);
  t.throws(() => parseCli(["--bogus"], KNOWN), UsageError);
  t.throws(() => parseCli(["stray"], KNOWN), UsageError);
});

t.test("--slo: thresholds for every target or one, checked against each phase's targets", async (t) => {
  const a = parseCli(["--slo", "p99=250", "--slo", "booking:p95=400,search:max=1000"], KNOWN);
  t.same(a.slos, [
    { target: null, stat: "p99", maxMs: 250 },
    { target: "booking", stat: "p95", maxMs: 400 },
    { target: "search", stat: "max", maxMs: 1_000 },
  ]);
  t.same(parseCli([], KNOWN).slos, []);
  t.throws(() => parseCli(["--slo", "p98=10"], KNOWN), /--slo p98=10: expected \[TARGET:\]STAT=MS/);
  t.throws(() => parseCli(["--slo", "p99=0"], KNOWN), UsageError);
  t.throws(() => parseCli(["--slo", "p99"], KNOWN), UsageError);
  // A target no scenario has (here misspelt) would hold nothing and let the run pass.
  t.throws(
    () => parseCli(["--slo", "bookng:p99=100"], KNOWN),
    new UsageError(
      "--slo bookng:p99=100: expected [TARGET:]STAT=MS, e.g. p99=250 or booking:p95=400 (TARGET search|booking|booking+cancel|check-in|change; STAT p50|p90|p95|p99|max)",
    ),
  );
  t.same(parseCli(["--slo", "booking+cancel:p99=5,check-in:max=9,change:p50=1"], KNOWN).slos, [
    { target: "booking+cancel", stat: "p99", maxMs: 5 },
    { target: "check-in", stat: "max", maxMs: 9 },
    { target: "change", stat: "p50", maxMs: 1 },
  ]);

  const target = (name: string, p99: number) => ({
    name,
    connections: 1,
    requests: 10,
    requestsPerSecond: 10,
    latencyMs: { p50: 1, p90: 1, p95: 1, p99, max: p99, mean: 1 },
    statusCodes: {},
    errors: 0,
    timeouts: 0,
    timeline: [],
  });
  const phase = {
    name: "mixed",
    connections: 2,
    durationSeconds: 1,
    requests: 20,
    requestsPerSecond: 20,
    statusCodes: {},
    errors: 0,
    timeouts: 0,
    targets: [target("search", 5), target("booking", 300)],
  };
  t.same(checkSlos(parseCli(["--slo", "p99=250,search:p99=10,check-in:p99=1"], KNOWN).slos, [phase]), [
    { name: "every target p99 ≤ 250 ms", ok: false, detail: "over: search 5 ms, booking 300 ms" },
    { name: "search p99 ≤ 10 ms", ok: true, detail: "search 5 ms" },
  ]);
});

t.test("--topology: single by default; cluster lets the cluster-only scenarios run", async (t) => {
  const known = [...KNOWN, "failover"];
  t.equal(parseCli([], known, ["failover"]).topology, "single");
  t.match(parseCli(["--topology", "cluster", "--scenario", "failover"], known, ["failover"]), {
    topology: "cluster",
    scenarios: ["failover"],
  });
  t.throws(
    () => parseCli(["--scenario", "failover"], known, ["failover"]),
    new UsageError("--scenario failover: runs only with --topology cluster"),
  );
  t.throws(
    () => parseCli(["--topology", "mesh"], known, ["failover"]),
    new UsageError("--topology mesh: expected one of single, cluster"),
  );
});

t.test("--scenario naming none, and --duration with --requests, are refused", async (t) => {
  t.throws(
    () => parseCli(["--scenario", ",,"], KNOWN),
    new UsageError("--scenario ,,: names no scenario (see --list)"),
  );
  t.throws(
    () => parseCli(["--duration", "5", "--requests", "100"], KNOWN),
    new UsageError("--duration and --requests: give one of them (a load time, or a request count)"),
  );
});

t.test("--slo on a target none of the run's scenarios has is refused before anything starts", async (t) => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [compiledEntry("stress/cli.ts"), ...args, "--check"], { encoding: "utf8" });
  const refused = run("--scenario", "search", "--slo", "booking:p99=100");
  t.equal(refused.status, 2);
  t.match(
    refused.stderr,
    "stress: --slo booking:p99=100: no scenario of this run has a booking target; it runs search (search)\n",
  );
  t.equal(run("--scenario", "search,contention", "--slo", "booking:p99=100,p99=5").status, 0);
  t.equal(run("--scenario", "changes", "--slo", "p99=5").status, 0);
  // The whole run has every target but failover's, which runs only on a cluster.
  t.equal(run("--slo", "booking+cancel:p99=100,check-in:max=9,change:p50=1").status, 0);
});

t.test("--out a folder that cannot be made is refused before anything starts, in one line", async (t) => {
  const file = join(mkdtempSync(join(tmpdir(), "skybook-stress-out-")), "a-file");
  writeFileSync(file, "");
  const out = join(file, "reports");
  // scripts/stress.sh runs --check before it starts or loads anything; the run used to load for
  // minutes, then end in mkdir's stack trace with exit 1 and no report printed.
  const r = spawnSync(
    process.execPath,
    [compiledEntry("stress/cli.ts"), "--scenario", "search", "--out", out, "--check"],
    {
      encoding: "utf8",
    },
  );
  t.equal(r.status, 2);
  t.match(r.stderr, new RegExp(`^stress: --out ${out}: cannot write reports there \\(ENOTDIR[^\\n]*\\)\\n`));
  t.notMatch(r.stderr, /\n\s+at /, "no stack trace");
  const fresh = join(dirname(file), "new", "reports");
  const ok = spawnSync(process.execPath, [compiledEntry("stress/cli.ts"), "--out", fresh, "--check"], {
    encoding: "utf8",
  });
  t.equal(ok.status, 0, ok.stderr);
});
