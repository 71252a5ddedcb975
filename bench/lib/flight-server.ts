// flight-svc alone in a child process (bench/lib/child-servers.ts), configured by the
// environment it is given (METRICS=on or off).
import { buildApp } from "../../flight-svc/app.js";
import { loadFlightConfig } from "../../flight-svc/config.js";

const app = await buildApp({ config: loadFlightConfig() });
const flight = await app.listen({ host: "127.0.0.1", port: 0 });
process.stdout.write(`${JSON.stringify({ flight })}\n`);
process.once("SIGTERM", () => {
  void app.close().then(() => process.exit(0));
});
