import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import t from "tap";
import { projectPath } from "../../lib/paths.js";
import { mismatches, parseAnswer } from "../helpers/answer-pattern.js";
import { curlCommand } from "../helpers/curl.js";
import { startMadeUp } from "../helpers/made-up.js";
import { extractExamples } from "../helpers/markdown-examples.js";

// The curl examples of the README and the docs, run in order as a reader would paste them after
// `DEMO_FLIGHTS_PER_DAY=0 PAYMENT_LATENCY_MS=0 PAYMENT_FAILURE_RATE=0 PAYMENT_TIMEOUT_RATE=0 make run`
// on empty databases (docs/api.md says so), each answer checked against the one shown under it.
// The admin that docs/api.md logs in as is made first, as it tells an operator to make one.

const run = promisify(execFile);
// `make user ARGS="--username admin --password change-me-now --role admin"`, as docs/api.md shows.
const ADMIN = ["--username", "admin", "--password", "change-me-now", "--role", "admin"];
const DOCS = ["README.md", "docs/api.md", "docs/observability.md"];
const examples = (
  await Promise.all(
    DOCS.map(async (file) => extractExamples(await readFile(projectPath(file), "utf8")).map((ex) => ({ ...ex, file }))),
  )
).flat();
const sys = await startMadeUp(t, {
  env: { DEMO_FLIGHTS_PER_DAY: "0", PAYMENT_LATENCY_MS: "0", PAYMENT_FAILURE_RATE: "0", PAYMENT_TIMEOUT_RATE: "0" },
});
await run(process.execPath, ["dist/scripts/user.js", ...ADMIN], { cwd: projectPath() });
const onThisSystem = (command: string) =>
  command
    .replace(/localhost:(808[0-3])\b/g, (_, port: "8080" | "8081" | "8082" | "8083") => `127.0.0.1:${sys.ports[port]}`)
    .replaceAll(".run/keys/", `${sys.runDir}/keys/`);

for (const file of DOCS) {
  t.ok(
    examples.some((ex) => ex.file === file),
    `${file} has examples`,
  );
}
t.ok(examples.length >= 30, `the docs have their examples (${examples.length} found)`);

const vars: Record<string, string> = {};
for (const ex of examples) {
  const where = `${ex.file}:${ex.line}`;
  if (ex.capture) {
    const name = ex.capture;
    await t.test(`${where}: ${name}=$(${ex.command})`, async (t) => {
      const { stdout } = await run("bash", ["-c", onThisSystem(ex.command)], { env: { ...process.env, ...vars } });
      vars[name] = stdout.trim();
      t.ok(vars[name], `$${name} is set (${vars[name]})`);
    });
    continue;
  }
  await t.test(`${where}: ${ex.command.replace(/\s+/g, " ").slice(0, 110)}`, async (t) => {
    if (ex.answer === undefined) {
      t.fail("no answer shown under the example (# <status> <json>)");
      return;
    }
    const want = parseAnswer(ex.answer);
    const got = await curlCommand(onThisSystem(ex.command), vars);
    t.equal(got.statusLine, `HTTP ${want.status}`, `status ${want.status}; the answer was: ${got.raw}`);
    if (want.pattern === undefined) {
      t.equal(got.body, "", "no body");
      return;
    }
    t.ok(got.body.endsWith("\n"), "the body ends with a newline");
    t.strictSame(mismatches(got.json, want.pattern), [], `the answer shown; the answer was: ${got.body}`);
  });
}
