import type { FastifyInstance } from "fastify";
import tap from "tap";
import { request } from "undici";
import { readOrCreateServiceSecret, SERVICE_CLIENT_ID } from "../../lib/auth/service-secret.js";
import { upsertAccount } from "../../user-svc/accounts.js";
import type { UserConfig } from "../../user-svc/config.js";
import { UsersRepo } from "../../user-svc/users-repo.js";
import { build } from "./user-svc.js";

// Real accounts and tokens for tests of the services in AUTH_MODE=required: a user-svc listening
// on a free port, and per role a way to get a token. Tests pass `headers` themselves: nothing
// adds a token behind their back.

export interface Account {
  userId: number;
  token: string;
  /** `{ authorization: "Bearer <token>" }` for a call. */
  headers: Record<string, string>;
}

export interface Auth {
  app: FastifyInstance;
  url: string;
  config: UserConfig;
  /** Settings that make a service require tokens from this user-svc (and find its client secret). */
  env: Record<string, string>;
  /**
   * Registers (first time) and logs in a customer; the same account and token again on later
   * calls while the token has a minute left, so a file logs each user in once.
   */
  customer(username?: string): Promise<Account>;
  /** An admin made the way an operator makes one (`make user --role admin`), logged in (once, as above). */
  admin(username?: string): Promise<Account>;
  /** booking-svc's service token, from the client-credentials grant (once, as above). */
  service(): Promise<Account>;
}

const PASSWORD = "correct horse battery";

const bearer = (userId: number, token: string): Account => ({
  userId,
  token,
  headers: { authorization: `Bearer ${token}` },
});

const claims = (token: string): { sub: string; exp: number } =>
  JSON.parse(Buffer.from(token.split(".")[1] as string, "base64url").toString());

const expiresAt = (token: string): number => claims(token).exp * 1000;

/** Remembers each account's login until its token is a minute from expiring. */
function remembered(get: (name: string) => Promise<Account>): (name: string) => Promise<Account> {
  const held = new Map<string, Account>();
  return async (name) => {
    const found = held.get(name);
    if (found && expiresAt(found.token) - Date.now() > 60_000) return found;
    const next = await get(name);
    held.set(name, next);
    return next;
  };
}

async function post(url: string, body: unknown) {
  const res = await request(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the tests' own user-svc answers
  return { status: res.statusCode, body: (await res.body.json().catch(() => null)) as any };
}

/**
 * user-svc on the test file's stores, emptied first (so start it before the other services: a
 * later reset of the shared Redis database would not touch what they hold, but theirs would be
 * emptied by this one).
 */
export async function startAuth(t: { teardown: (fn: () => unknown) => void }): Promise<Auth> {
  // Logins unlimited, as scripts/stress.sh sets them: every account of a file logs in from 127.0.0.1.
  const { app, url, config } = await build(t, { listen: true, env: { LOGIN_RATE_LIMIT: "1000000" } });
  const env = { AUTH_MODE: "required", USER_SERVICE_URL: url, AUTH_KEY_DIR: config.user.keyDir };

  async function login(username: string): Promise<Account> {
    const res = await post(`${url}/api/auth/login`, { username, password: PASSWORD });
    if (res.status !== 200) throw new Error(`login of ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    return bearer(res.body.user_id, res.body.access_token);
  }

  const customer = remembered(async (username) => {
    const made = await post(`${url}/api/auth/register`, {
      username,
      email: `${username}@example.com`,
      password: PASSWORD,
    });
    if (made.status !== 201 && made.body?.error !== "username_taken") {
      throw new Error(`register ${username}: ${made.status} ${JSON.stringify(made.body)}`);
    }
    return login(username);
  });
  const admin = remembered(async (username) => {
    const repo = new UsersRepo(app.sql);
    await upsertAccount(repo, { username, email: `${username}@example.com`, password: PASSWORD }, "admin", 1024);
    return login(username);
  });
  const service = remembered(async () => {
    const secret = await readOrCreateServiceSecret(config.auth);
    const res = await post(`${url}/api/auth/token`, {
      grant_type: "client_credentials",
      client_id: SERVICE_CLIENT_ID,
      client_secret: secret,
    });
    if (res.status !== 200) throw new Error(`service token: ${res.status} ${JSON.stringify(res.body)}`);
    return bearer(Number(claims(res.body.access_token).sub), res.body.access_token);
  });

  return {
    app,
    url,
    config,
    env,
    customer: (username = "ada") => customer(username),
    admin: (username = "root") => admin(username),
    service: () => service("booking-svc"),
  };
}

let shared: Promise<Auth> | undefined;

/**
 * The test file's one user-svc, started on first use and closed when the file ends: what
 * startSystem takes unless it is given another. Starting it empties Redis and users_db (see
 * startAuth), so the first use comes before any service of the file is built.
 */
export function fileAuth(): Promise<Auth> {
  shared ??= startAuth(tap);
  return shared;
}
