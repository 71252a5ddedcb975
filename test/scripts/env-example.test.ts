import { readFileSync } from "node:fs";
import t from "tap";
import { loadBookingConfig } from "../../booking-svc/config.js";
import { loadFlightConfig } from "../../flight-svc/config.js";
import { projectPath } from "../../lib/paths.js";
import { loadServerConfig } from "../../lib/server-config.js";
import { loadMcpConfig } from "../../mcp/config.js";
import { loadPaymentConfig } from "../../payment-mock/config.js";
import { loadDataConfig } from "../../scripts/data/config.js";
import { loadStressConfig } from "../../stress/config.js";
import { loadUserConfig } from "../../user-svc/config.js";

// .env.example must list every setting the config modules read, each with its real default.
const CONFIG_MODULES = [
  "lib/server-config.ts",
  "lib/auth/settings.ts",
  "flight-svc/config.ts",
  "booking-svc/config.ts",
  "payment-mock/config.ts",
  "user-svc/config.ts",
  "scripts/data/config.ts",
  "stress/config.ts",
  "mcp/config.ts",
];
const LOADERS = [
  loadServerConfig,
  loadFlightConfig,
  loadBookingConfig,
  loadPaymentConfig,
  loadUserConfig,
  loadDataConfig,
  loadStressConfig,
  loadMcpConfig,
];
const read = new Set(
  CONFIG_MODULES.flatMap((file) => {
    const source = readFileSync(projectPath(file), "utf8");
    return [...source.matchAll(/\br\s*\.\w+\(\s*"([A-Z][A-Z0-9_]*)"/g)].map((m) => m[1]!);
  }),
);
const lines = readFileSync(projectPath(".env.example"), "utf8").split("\n");
const listed = new Map<string, string | null>();
for (const l of lines) {
  const set = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(l);
  const unset = /^# ([A-Z][A-Z0-9_]*)=$/.exec(l);
  if (set) listed.set(set[1]!, set[2]!);
  else if (unset) listed.set(unset[1]!, null);
}

t.test("every setting of the config modules is in .env.example, and nothing else", async (t) => {
  t.ok(read.size > 30, `${read.size} settings found in ${CONFIG_MODULES.join(", ")}`);
  t.strictSame(
    [...read].filter((n) => !listed.has(n)),
    [],
    "missing from .env.example",
  );
  t.strictSame(
    [...listed.keys()].filter((n) => !read.has(n)),
    [],
    "not read by any config module",
  );
});

t.test("each value in .env.example is the default", async (t) => {
  for (const load of LOADERS) {
    const defaults = load({});
    for (const [name, value] of listed) {
      if (value === null) continue;
      t.strictSame(load({ [name]: value }), defaults, `${load.name}: ${name}`);
    }
  }
});
