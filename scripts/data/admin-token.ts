// db-reset's admin token, for the call it makes to a running payment-mock, whose reset is an
// admin's (docs/api.md, "Who may call what"). It is got as an operator gets one, as
// scripts/stress.sh does: an admin account made in users_db the way `make user --role admin`
// makes it, then a login at user-svc. The account is db-reset's own; its password is new on every
// run and never shown, so nobody signs in with it between runs.
import { randomBytes } from "node:crypto";
import { createSql } from "../../lib/postgres-plugin.js";
import { upsertAccount } from "../../user-svc/accounts.js";
import { UsersRepo } from "../../user-svc/users-repo.js";
import type { DataConfig } from "./config.js";

export const RESET_ADMIN = "db-reset";

type Settings = Pick<DataConfig, "usersDatabaseUrl" | "auth" | "scryptCost">;

async function makeAdmin(config: Settings, password: string): Promise<void> {
  const sql = createSql(config.usersDatabaseUrl, 1);
  try {
    const repo = new UsersRepo(sql);
    const existing = await repo.byUsername(RESET_ADMIN);
    // Anyone may register a customer by that name: making theirs an admin would hand them the role.
    if (existing && existing.role !== "admin") {
      throw new Error(`the account ${RESET_ADMIN} is a ${existing.role}, not db-reset's admin: rename it`);
    }
    const email = `${RESET_ADMIN}@users.skybook.local`;
    await upsertAccount(repo, { username: RESET_ADMIN, email, password }, "admin", config.scryptCost);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** An admin's access token from user-svc; throws an error that says why there is none. */
export async function adminToken(config: Settings): Promise<string> {
  const password = randomBytes(24).toString("base64url");
  await makeAdmin(config, password);
  const url = new URL("/api/auth/login", config.auth.userServiceUrl).href;
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: RESET_ADMIN, password }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    const why = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new Error(`user-svc at ${url} could not be reached (${why})`);
  }
  const body = (await res.json().catch(() => ({}))) as { access_token?: unknown };
  if (res.status !== 200 || typeof body.access_token !== "string") {
    throw new Error(`user-svc answered ${res.status} to its login at ${url}`);
  }
  return body.access_token;
}
