import type { FastifyInstance } from "fastify";
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
  /** Registers (first time) and logs in a customer. */
  customer(username?: string): Promise<Account>;
  /** An admin made the way an operator makes one (`make user --role admin`), logged in. */
  admin(username?: string): Promise<Account>;
  /** booking-svc's service token, from the client-credentials grant. */
  service(): Promise<Account>;
}

const PASSWORD = "correct horse battery";

const bearer = (userId: number, token: string): Account => ({
  userId,
  token,
  headers: { authorization: `Bearer ${token}` },
});

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
  const { app, url, config } = await build(t, { listen: true });
  const env = { AUTH_MODE: "required", USER_SERVICE_URL: url, AUTH_KEY_DIR: config.user.keyDir };

  async function login(username: string): Promise<Account> {
    const res = await post(`${url}/api/auth/login`, { username, password: PASSWORD });
    if (res.status !== 200) throw new Error(`login of ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    return bearer(res.body.user_id, res.body.access_token);
  }

  return {
    app,
    url,
    config,
    env,
    async customer(username = "ada") {
      const made = await post(`${url}/api/auth/register`, {
        username,
        email: `${username}@example.com`,
        password: PASSWORD,
      });
      if (made.status !== 201 && made.body?.error !== "username_taken") {
        throw new Error(`register ${username}: ${made.status} ${JSON.stringify(made.body)}`);
      }
      return login(username);
    },
    async admin(username = "root") {
      const repo = new UsersRepo(app.sql);
      await upsertAccount(repo, { username, email: `${username}@example.com`, password: PASSWORD }, "admin", 1024);
      return login(username);
    },
    async service() {
      const secret = await readOrCreateServiceSecret(config.auth);
      const res = await post(`${url}/api/auth/token`, {
        grant_type: "client_credentials",
        client_id: SERVICE_CLIENT_ID,
        client_secret: secret,
      });
      if (res.status !== 200) throw new Error(`service token: ${res.status} ${JSON.stringify(res.body)}`);
      const [, payload] = String(res.body.access_token).split(".");
      const sub = JSON.parse(Buffer.from(payload as string, "base64url").toString()).sub;
      return bearer(Number(sub), res.body.access_token);
    },
  };
}
