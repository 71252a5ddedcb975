import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { SERVICE_CLIENT_ID, serviceSecretPath } from "../lib/auth/service-secret.js";
import type { AuthSettings } from "../lib/auth/settings.js";
import type { ServiceClient } from "./api.js";
import type { Services } from "./services.js";

// The harness books as real customers: accounts registered at user-svc for this run, logged in
// once (the login limit allows only a few logins a minute from one address) and kept signed in
// by refreshing their tokens. Admin calls use an operator's account (settings, or the one
// scripts/stress.sh makes with scripts/user.ts when it starts the system). The checks read
// payments by key, and scenarios book seats up front, with booking-svc's service credential.

interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  user_id: number;
}

export interface Account {
  username: string;
  userId: number;
  /** `Authorization` header value, replaced when the token is refreshed. */
  authorization: string;
  refreshToken: string;
  expiresInSeconds: number;
}

export class AccountError extends Error {
  override name = "AccountError";
}

const strongPassword = (): string => `Sk-${randomBytes(15).toString("base64url")}`;

async function login(user: ServiceClient, username: string, password: string): Promise<Account> {
  const r = await user.call<Tokens & { error?: string; message?: string }>("POST", "/api/auth/login", {
    username,
    password,
  });
  if (r.status !== 200) {
    throw new AccountError(
      `login as ${username} at user-svc answered ${r.status}: ${r.body?.message ?? r.body?.error ?? ""}`,
    );
  }
  return {
    username,
    userId: r.body.user_id,
    authorization: `Bearer ${r.body.access_token}`,
    refreshToken: r.body.refresh_token,
    expiresInSeconds: r.body.expires_in,
  };
}

/** Registers `n` customers with fresh names and passwords and logs each in. */
export async function registerCustomers(user: ServiceClient, n: number): Promise<Account[]> {
  const run = randomBytes(4).toString("hex");
  const out: Account[] = [];
  for (let i = 0; i < n; i++) {
    const username = `stress-${run}-${i}`;
    const password = strongPassword();
    await user.expect([201], "POST", "/api/auth/register", {
      username,
      email: `${username}@stress.skybook.local`,
      password,
    });
    out.push(await login(user, username, password));
  }
  return out;
}

export function loginAdmin(user: ServiceClient, username: string, password: string): Promise<Account> {
  return login(user, username, password);
}

/** A new access token for `a` (its refresh token rotates). */
export async function refresh(user: ServiceClient, a: Account): Promise<void> {
  const t = await user.expect<Tokens>([200], "POST", "/api/auth/refresh", { refresh_token: a.refreshToken });
  a.authorization = `Bearer ${t.access_token}`;
  a.refreshToken = t.refresh_token;
  a.expiresInSeconds = t.expires_in;
}

/**
 * Refreshes every account at half its token's lifetime for as long as the run lasts; the
 * returned function stops it. A failed refresh is remembered and thrown by `check`.
 */
export function keepSignedIn(
  user: ServiceClient,
  accounts: Account[],
  service: { account: Account; secret: Pick<AuthSettings, "keyDir" | "serviceSecretFile"> } | null,
) {
  let failure: Error | null = null;
  const all = service ? [...accounts, service.account] : accounts;
  const seconds = Math.max(5, Math.min(...all.map((a) => a.expiresInSeconds)) / 2);
  const renewService = async () => {
    if (!service) return;
    const fresh = await serviceAccount(user, service.secret);
    if (fresh) service.account.authorization = fresh.authorization;
  };
  const timer = setInterval(() => {
    const renewals = [...accounts.map((a) => refresh(user, a)), renewService()];
    for (const r of renewals) {
      r.catch((err: Error) => {
        failure ??= err;
      });
    }
  }, seconds * 1000);
  timer.unref();
  return {
    stop: () => clearInterval(timer),
    check: () => {
      if (failure) throw new AccountError(`could not refresh a token: ${failure.message}`);
    },
  };
}

/**
 * booking-svc's service token (client credentials at user-svc), when its client secret is
 * readable here; null when there is none (an open API needs none: AUTH_MODE=off).
 */
export async function serviceAccount(
  user: ServiceClient,
  secret: Pick<AuthSettings, "keyDir" | "serviceSecretFile">,
): Promise<Account | null> {
  let clientSecret: string;
  try {
    clientSecret = (await readFile(serviceSecretPath(secret), "utf8")).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
  const r = await user.call<Tokens & { message?: string }>("POST", "/api/auth/token", {
    grant_type: "client_credentials",
    client_id: SERVICE_CLIENT_ID,
    client_secret: clientSecret,
  });
  if (r.status !== 200)
    throw new AccountError(`service token at user-svc answered ${r.status}: ${r.body?.message ?? ""}`);
  return {
    username: SERVICE_CLIENT_ID,
    userId: 0,
    authorization: `Bearer ${r.body.access_token}`,
    refreshToken: "",
    expiresInSeconds: r.body.expires_in,
  };
}

/**
 * Signs the harness in: admin calls as the operator's `admin`, service calls with booking-svc's
 * credential (when its secret is readable here), and `n` new customers to book as; every token
 * kept fresh until `stop`.
 */
export async function signIn(
  services: Services,
  admin: { username: string; password: string },
  secret: Pick<AuthSettings, "keyDir" | "serviceSecretFile">,
  n: number,
) {
  const operator = await loginAdmin(services.user, admin.username, admin.password);
  services.signInAdmin(operator);
  const service = await serviceAccount(services.user, secret);
  if (service) services.signInService(service);
  const customers = await registerCustomers(services.user, n);
  const signedIn = keepSignedIn(services.user, [operator, ...customers], service ? { account: service, secret } : null);
  return { customers, ...signedIn };
}
