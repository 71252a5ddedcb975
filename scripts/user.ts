// `make user ARGS="--username NAME --password PW [--email E] [--role admin]"`: creates the account
// (a customer unless --role says) or sets its password, and its role when --role is given (how an
// operator makes the first admin).
// `--demo`: the demo customer `make run` prints, with a new random password each time.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { FormatRegistry } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { SERVICE_CLIENT_ID } from "../lib/auth/service-secret.js";
import { AppError } from "../lib/errors.js";
import { isText } from "../lib/input-schemas.js";
import { createSql } from "../lib/postgres-plugin.js";
import { configOrExit } from "../lib/server.js";
import { upsertAccount } from "../user-svc/accounts.js";
import { loadUserConfig } from "../user-svc/config.js";
import { RegisterBody } from "../user-svc/schemas.js";
import type { Role } from "../user-svc/tokens.js";
import { UsersRepo } from "../user-svc/users-repo.js";
import { run, storesOf } from "./data/cli.js";

// A service token comes from the client-credentials grant alone (user-svc/service-client.ts).
const PERSON_ROLES: Role[] = ["customer", "admin"];
const USAGE = 'usage: make user ARGS="--username NAME --password PW [--email E] [--role customer|admin]"';

function fail(message: string): never {
  console.error(`user: ${message}`);
  process.exit(2);
}

function parseOptions() {
  try {
    return parseArgs({
      options: {
        username: { type: "string" },
        password: { type: "string" },
        email: { type: "string" },
        role: { type: "string" },
        demo: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    }).values;
  } catch (err) {
    // node's own refusal (unknown option, missing value) is the line to show, not its stack.
    fail(`${(err as Error).message}\n${USAGE}`);
  }
}

const values = parseOptions();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const username = values.demo ? "demo" : values.username;
const password = values.demo ? randomBytes(12).toString("base64url") : values.password;
if (!username || !password) fail(USAGE);
// The demo account is a customer whatever it was; for others the role changes only when asked.
const role = values.demo ? "customer" : values.role;
if (role !== undefined && !PERSON_ROLES.includes(role as Role))
  fail(`--role ${role}: expected one of ${PERSON_ROLES.join(", ")}`);
if (username.toLowerCase() === SERVICE_CLIENT_ID) fail(`${SERVICE_CLIENT_ID} is booking-svc's service account`);
const email = values.email ?? `${username}@users.skybook.local`;
// Registration's rules: an account this makes must be able to sign in, and login checks them.
// TypeBox knows only the formats it is told of; the services tell Ajv (lib/input-schemas.ts).
FormatRegistry.Set("text", isText);
const refused = Value.Errors(RegisterBody, { username, email, password }).First();
if (refused) fail(`--${refused.path.slice(1)} ${JSON.stringify(refused.value)}: ${refused.message}`);

const config = configOrExit("user", loadUserConfig);
run(
  "user",
  async () => {
    const sql = createSql(config.usersDatabaseUrl, 1);
    try {
      const { created, user } = await upsertAccount(
        new UsersRepo(sql),
        { username, email, password },
        role as Role | undefined,
        config.user.scryptCost,
      );
      const what = `${created ? "created" : "updated"} ${user.role} ${user.username} (user ${user.id})`;
      console.log(values.demo ? `user: demo customer: username demo, password ${password}` : `user: ${what}`);
      return 0;
    } catch (err) {
      if (err instanceof AppError) fail(err.message);
      throw err;
    } finally {
      await sql.end({ timeout: 5 });
    }
  },
  storesOf({ usersDatabaseUrl: config.usersDatabaseUrl }),
);
