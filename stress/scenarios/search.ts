import { routeDays } from "../invariants/reads.js";
import { runLoad } from "../load/run-load.js";
import { buildRouteMix } from "../route-mix.js";
import { STRESS_AIRPORTS } from "./networks.js";
import { searchTarget } from "./targets.js";
import type { Scenario } from "./types.js";

export const searchScenario: Scenario = {
  name: "search",
  description: "many users searching a realistic route mix (popular routes and a long tail), seats 1–4, both sorts",
  defaults: { durationSeconds: 10, connections: 50 },
  targets: ["search"],
  payment: {},
  async run(env, opts) {
    const mix = buildRouteMix(await routeDays(env.flightsSql, STRESS_AIRPORTS));
    const popular = mix.popular.map((r) => `${r.source}-${r.destination}`).join(" ");
    env.log(`  route mix: 70% on ${popular}; 20% on ${mix.tail.length} other routes; 10% multi-stop pairs`);
    const outcomes: Record<string, number> = {};
    const phase = await runLoad(
      {
        name: "search",
        targets: [searchTarget(env, opts.connections, () => mix.next(env.rng), outcomes)],
        durationSeconds: opts.durationSeconds,
        ...(opts.requests ? { amount: opts.requests } : {}),
        timeoutSeconds: env.timeoutSeconds,
      },
      env.progress,
    );
    return { phases: [phase], outcomes, flights: [] };
  },
};
