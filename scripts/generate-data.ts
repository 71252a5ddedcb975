// `make seed ARGS="..."`: loads the demo schedule into flights_db (see scripts/data/options.ts).
import { configOrExit } from "../lib/server.js";
import { isMain, run, storesOf } from "./data/cli.js";
import { type DataConfig, loadDataConfig } from "./data/config.js";
import { parseSeedOptions, USAGE, UsageError } from "./data/options.js";
import { describeSeed, seedFlights } from "./data/seed.js";

export async function main(
  argv: readonly string[],
  config: DataConfig = configOrExit("generate-data", loadDataConfig),
): Promise<number> {
  let opts: ReturnType<typeof parseSeedOptions>;
  try {
    opts = parseSeedOptions(argv, config.demo);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`generate-data: ${err.message}\n${USAGE}\n`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(`usage: generate-data [options]\n${USAGE}\n`);
    return 0;
  }
  const report = await seedFlights(config, opts, opts.reset ? "replace" : "if-empty");
  if (report.loaded === 0) {
    process.stderr.write(
      `generate-data: flights_db already has ${report.existing} flights, so nothing was loaded; ` +
        `--reset replaces them (make seed ARGS="--reset ...")\n`,
    );
    return 1;
  }
  console.log(`generate-data: ${describeSeed(opts, report)}`);
  return 0;
}

if (isMain(import.meta.url)) {
  const config = configOrExit("generate-data", loadDataConfig);
  run(
    "generate-data",
    () => main(process.argv.slice(2), config),
    storesOf({ flightsDatabaseUrl: config.flightsDatabaseUrl }),
  );
}
