// `npx tsx stress/updates/cli.ts [--subscribers 1000] [--duration 20] ...`: issue 19's scenario
// (docs/updates.md) on the Redis and PostgreSQL that REDIS_URL and the *_DATABASE_URL settings
// name (scripts/infra.sh up and scripts/migrate.ts first). Adds its own flights and bookings
// beside what is there. Prints the report as JSON; exits 1 if an invariant failed.
import { parseArgs } from "node:util";
import { runUpdatesScenario } from "./run.js";

const OPTIONS = {
  subscribers: { type: "string", default: "1000" },
  flights: { type: "string", default: "40" },
  "flights-per-subscriber": { type: "string", default: "3" },
  duration: { type: "string", default: "20" },
  bookers: { type: "string", default: "16" },
  "change-every-ms": { type: "string", default: "250" },
  seed: { type: "string", default: "19" },
  help: { type: "boolean" },
} as const;

const USAGE = `usage: node --import tsx stress/updates/cli.ts [options]   (Redis and PostgreSQL up and migrated)

  --subscribers N             WebSocket subscribers (default 1000)
  --flights N                 flights they follow (default 40)
  --flights-per-subscriber N  flights each follows (default 3)
  --duration SECONDS          load time (default 20)
  --bookers N                 concurrent booking clients (default 16)
  --change-every-ms MS        a flight delayed or cancelled this often (default 250)
  --seed N                    seed of the run (default 19)
  --help                      this text

Prints the report as JSON; exit status 0 every invariant held, 1 one failed, 2 bad usage.`;

const parsed = (() => {
  try {
    return parseArgs({ options: OPTIONS });
  } catch (err) {
    console.error(`updates: ${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
})();
if (parsed.values.help) {
  console.log(USAGE);
  process.exit(0);
}
const { values } = parsed;

function positive(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`updates: --${name}=${raw}: expected a positive integer\n\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

const report = await runUpdatesScenario({
  subscribers: positive("subscribers", values.subscribers),
  flights: positive("flights", values.flights),
  flightsPerSubscriber: positive("flights-per-subscriber", values["flights-per-subscriber"]),
  durationMs: positive("duration", values.duration) * 1000,
  bookers: positive("bookers", values.bookers),
  changeEveryMs: positive("change-every-ms", values["change-every-ms"]),
  seed: positive("seed", values.seed),
});
console.log(JSON.stringify(report, null, 2));
process.exit(report.violations.length === 0 ? 0 : 1);
