// Run by scripts/services.sh and the compose file's migrate job after the migrations: loads the
// demo schedule (DEMO_* settings) when flights_db has no flight, and leaves any data alone.
import { configOrExit } from "../lib/server.js";
import { isMain, run, storesOf } from "./data/cli.js";
import { type DataConfig, loadDataConfig } from "./data/config.js";
import { describeSeed, type SeedReport, seedFlights } from "./data/seed.js";

export async function seedIfEmpty(config: DataConfig): Promise<SeedReport> {
  return seedFlights(config, config.demo, "if-empty");
}

if (isMain(import.meta.url)) {
  const config = configOrExit("seed-if-empty", loadDataConfig);
  run(
    "seed-if-empty",
    async () => {
      const report = await seedIfEmpty(config);
      console.log(
        report.loaded === 0
          ? `seed-if-empty: flights_db has ${report.existing} flights; left as they are`
          : `seed-if-empty: ${describeSeed(config.demo, report)}`,
      );
      return 0;
    },
    storesOf({ flightsDatabaseUrl: config.flightsDatabaseUrl }),
  );
}
