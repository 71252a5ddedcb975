// Run by scripts/services.sh and the compose file's migrate job after the migrations: loads the
// demo schedule (DEMO_* settings) when flights_db has no flight, and leaves any data alone.
import type { Config } from "../lib/config.js";
import { configOrExit } from "../lib/server.js";
import { isMain, run } from "./data/cli.js";
import { describeSeed, type SeedReport, seedFlights } from "./data/seed.js";

export async function seedIfEmpty(config: Config): Promise<SeedReport> {
  return seedFlights(config, config.demo, "if-empty");
}

if (isMain(import.meta.url)) {
  run("seed-if-empty", async () => {
    const config = configOrExit("seed-if-empty");
    const report = await seedIfEmpty(config);
    console.log(
      report.loaded === 0
        ? `seed-if-empty: flights_db has ${report.existing} flights; left as they are`
        : `seed-if-empty: ${describeSeed(config.demo, report)}`,
    );
    return 0;
  });
}
