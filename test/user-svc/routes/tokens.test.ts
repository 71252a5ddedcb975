import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyInstance } from "fastify";
import t from "tap";
import { upsertAccount } from "../../../user-svc/accounts.js";
import { refreshTokenHash } from "../../../user-svc/tokens.js";
import { UsersRepo } from "../../../user-svc/users-repo.js";
import { DisposableRedis } from "../../helpers/redis-server.js";
import { waitFor } from "../../helpers/system.js";
import { build } from "../../helpers/user-svc.js";

const ada = { username: "ada", email: "ada@example.com", password: "correct horse battery" };

async function loggedIn(app: FastifyInstance, remoteAddress = "127.0.0.1") {
  await app.inject({ method: "POST", url: "/api/auth/register", payload: ada });
  const res = await app.inject({
    method: "POST",
    url: "/api/auth/login",
    payload: { username: ada.username, password: ada.password },
    remoteAddress,
  });
  return res.json() as { access_token: string; refresh_token: string };
}

const refresh = (app: FastifyInstance, token: string) =>
  app.inject({ method: "POST", url: "/api/auth/refresh", payload: { refresh_token: token } });

t.test("refresh rotates the pair: the new tokens work, the old refresh token is spent", async (t) => {
  const { app } = await build(t);
  const first = await loggedIn(app);
  const res = await refresh(app, first.refresh_token);
  t.equal(res.statusCode, 200);
  const second = res.json();
  t.not(second.refresh_token, first.refresh_token);
  t.not(second.access_token, first.access_token);
  const me = await app.inject({ url: "/api/users/me", headers: { authorization: `Bearer ${second.access_token}` } });
  t.equal(me.statusCode, 200);
  t.equal((await refresh(app, second.refresh_token)).statusCode, 200, "the new refresh token rotates in turn");
});

t.test("reusing a rotated refresh token revokes the whole family, the thief's new token too", async (t) => {
  const { app } = await build(t);
  const first = await loggedIn(app);
  const second = (await refresh(app, first.refresh_token)).json();
  const reuse = await refresh(app, first.refresh_token);
  t.equal(reuse.statusCode, 401);
  t.same(reuse.json(), {
    error: "invalid_refresh_token",
    message: "The refresh token was already used; every token of this login is revoked, log in again.",
  });
  const afterReuse = await refresh(app, second.refresh_token);
  t.equal(afterReuse.statusCode, 401, "the family's live token is revoked too");
  t.equal(afterReuse.json().error, "invalid_refresh_token");
});

t.test("reuse revokes only its own family: another login of the same user goes on", async (t) => {
  const { app } = await build(t);
  const phone = await loggedIn(app);
  const laptop = (
    await app.inject({ method: "POST", url: "/api/auth/login", payload: { username: "ada", password: ada.password } })
  ).json();
  await refresh(app, phone.refresh_token);
  await refresh(app, phone.refresh_token);
  t.equal((await refresh(app, laptop.refresh_token)).statusCode, 200);
});

t.test("two refreshes with one token at once: exactly one succeeds", async (t) => {
  const { app } = await build(t);
  const first = await loggedIn(app);
  const results = await Promise.all([refresh(app, first.refresh_token), refresh(app, first.refresh_token)]);
  t.same(results.map((r) => r.statusCode).sort(), [200, 401]);
});

/**
 * Runs `meanwhile` while a refresh of `token` has spent it and waits to store its new token: the
 * account's row, held here, keeps the insert waiting on its foreign key. The refresh's answer.
 */
async function refreshHeldUp(app: FastifyInstance, token: string, meanwhile: () => Promise<void>) {
  let rotated: ReturnType<typeof refresh> | undefined;
  await app.sql.begin(async (tx) => {
    await tx`SELECT 1 FROM users WHERE username = ${ada.username} FOR UPDATE`;
    rotated = refresh(app, token);
    while (
      (
        await app.sql`
          SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`
      ).length === 0
    ) {
      await sleep(10);
    }
    await meanwhile();
  });
  return rotated as ReturnType<typeof refresh>;
}

t.test("a logout while a refresh of the same token stores its new one ends the login all the same", async (t) => {
  const { app } = await build(t);
  const first = await loggedIn(app);
  const rotated = await refreshHeldUp(app, first.refresh_token, async () => {
    const out = await app.inject({
      method: "POST",
      url: "/api/auth/logout",
      payload: { refresh_token: first.refresh_token },
    });
    t.equal(out.statusCode, 204);
  });
  t.equal(rotated.statusCode, 200, "the refresh had spent the token before the logout");
  const res = await refresh(app, rotated.json().refresh_token);
  t.equal(res.statusCode, 401, "the token it stored after the logout is dead with its login");
});

t.test("a reuse while the first refresh stores its new token revokes that token too", async (t) => {
  const { app } = await build(t);
  const first = await loggedIn(app);
  const rotated = await refreshHeldUp(app, first.refresh_token, async () => {
    t.equal((await refresh(app, first.refresh_token)).statusCode, 401);
  });
  t.equal(rotated.statusCode, 200);
  t.equal((await refresh(app, rotated.json().refresh_token)).statusCode, 401);
});

t.test("an unknown or expired refresh token is 401", async (t) => {
  const { app } = await build(t);
  const first = await loggedIn(app);
  t.equal((await refresh(app, "made-up-token")).statusCode, 401);
  await app.sql`UPDATE refresh_tokens SET expires_at = now() - interval '1 second'`;
  const res = await refresh(app, first.refresh_token);
  t.equal(res.statusCode, 401);
  t.same(res.json(), { error: "invalid_refresh_token", message: "The refresh token is not valid." });
});

t.test(
  "spent refresh tokens are deleted at start: expired ones, but revoked ones while their login has a live token",
  async (t) => {
    const { app } = await build(t);
    const familyOf = async (token: string) =>
      (
        await app.sql<{ f: string }[]>`
      SELECT family_id::text AS f FROM refresh_tokens WHERE token_hash = ${refreshTokenHash(token)}`
      )[0]?.f as string;
    const age = (where: ReturnType<typeof app.sql>) =>
      app.sql`UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE ${where}`;
    // A login refreshed twice, all of it expired: nothing of it can answer anything but 401.
    const old = await loggedIn(app);
    const oldFamily = await familyOf(old.refresh_token);
    await refresh(app, (await refresh(app, old.refresh_token)).json().refresh_token);
    await age(app.sql`family_id = ${oldFamily}`);
    // A login in use: its spent token has expired, its current one has not.
    const inUse = await loggedIn(app);
    const current = (await refresh(app, inUse.refresh_token)).json().refresh_token as string;
    await age(app.sql`token_hash = ${refreshTokenHash(inUse.refresh_token)}`);
    // A logout while a refresh stored its new token: that token is refused only because its
    // family's older token is revoked, so that one stays while the new one has not expired.
    const loggedOut = await loggedIn(app);
    const stored = await refreshHeldUp(app, loggedOut.refresh_token, async () => {
      await app.inject({
        method: "POST",
        url: "/api/auth/logout",
        payload: { refresh_token: loggedOut.refresh_token },
      });
    });
    await age(app.sql`token_hash = ${refreshTokenHash(loggedOut.refresh_token)}`);
    t.equal((await app.sql`SELECT 1 FROM refresh_tokens`).length, 7);

    await build(t, { reset: false });
    let left = 7;
    for (const until = Date.now() + 5_000; left !== 3 && Date.now() < until; await sleep(20)) {
      left = (await app.sql`SELECT 1 FROM refresh_tokens`).length;
    }
    t.equal(left, 3, "the expired login's 3 and the spent token of the one in use are gone");
    t.equal((await refresh(app, stored.json().refresh_token)).statusCode, 401, "the logged-out login stays ended");
    t.equal((await refresh(app, current)).statusCode, 200, "the login in use goes on");
  },
);

t.test("logout is 204 and ends the login; logging out twice is still 204", async (t) => {
  const { app } = await build(t);
  const first = await loggedIn(app);
  const out = await app.inject({
    method: "POST",
    url: "/api/auth/logout",
    payload: { refresh_token: first.refresh_token },
  });
  t.equal(out.statusCode, 204);
  t.equal(out.body, "");
  t.equal((await refresh(app, first.refresh_token)).statusCode, 401);
  const again = await app.inject({
    method: "POST",
    url: "/api/auth/logout",
    payload: { refresh_token: first.refresh_token },
  });
  t.equal(again.statusCode, 204);
});

t.test("logins are limited per username, whatever the address", async (t) => {
  const { app } = await build(t, { env: { LOGIN_RATE_LIMIT: "3" } });
  await app.inject({ method: "POST", url: "/api/auth/register", payload: ada });
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { username: "ada", password: "wrong horse battery" },
      remoteAddress: `10.0.0.${i + 1}`,
    });
    statuses.push(res.statusCode);
    if (res.statusCode === 429) {
      t.match(res.json(), {
        error: "rate_limited",
        message: "Too many attempts; try again later.",
        retry_after: Number,
      });
    }
  }
  t.same(statuses, [401, 401, 401, 429, 429]);
  const right = await app.inject({
    method: "POST",
    url: "/api/auth/login",
    payload: { username: "ada", password: ada.password },
    remoteAddress: "10.0.0.9",
  });
  t.equal(right.statusCode, 429, "even the right password waits for the window");
});

t.test("logins are limited per address, whatever the username", async (t) => {
  const { app } = await build(t, { env: { LOGIN_RATE_LIMIT: "3" } });
  const statuses: number[] = [];
  for (const username of ["u1x", "u2x", "u3x", "u4x"]) {
    const res = await app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { username, password: "whatever-password" },
      remoteAddress: "10.9.9.9",
    });
    statuses.push(res.statusCode);
  }
  t.same(statuses, [401, 401, 401, 429]);
  const elsewhere = await app.inject({
    method: "POST",
    url: "/api/auth/login",
    payload: { username: "u5x", password: "whatever-password" },
    remoteAddress: "10.9.9.10",
  });
  t.equal(elsewhere.statusCode, 401, "another address is not limited");
});

t.test("a 429 says when the limit that is over clears, in retry_after and in Retry-After", async (t) => {
  const { app } = await build(t, { env: { LOGIN_RATE_LIMIT: "3", LOGIN_RATE_WINDOW_SECONDS: "4" } });
  const attempt = (username: string) =>
    app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { username, password: "whatever-password" },
      remoteAddress: "10.7.7.7",
    });
  for (const username of ["u1x", "u2x", "u3x"]) t.equal((await attempt(username)).statusCode, 401);
  await sleep(2_000);
  // The address is over its limit with about 2 s of its window left; ada's count has just begun.
  const over = await attempt("ada");
  t.equal(over.statusCode, 429);
  const { retry_after } = over.json();
  t.ok(retry_after >= 1 && retry_after <= 2, `the address's window ends in ${retry_after} s, not ada's in 4`);
  t.equal(over.headers["retry-after"], String(retry_after), "the header says the same");
});

t.test("the limit lives in Redis: a second instance sees the first one's count, and the window ends", async (t) => {
  const env = { LOGIN_RATE_LIMIT: "2", LOGIN_RATE_WINDOW_SECONDS: "1" };
  const one = await build(t, { env });
  const two = await build(t, { env, reset: false });
  const attempt = (app: FastifyInstance) =>
    app.inject({ method: "POST", url: "/api/auth/login", payload: { username: "ada", password: "whatever-password" } });
  t.same([(await attempt(one.app)).statusCode, (await attempt(two.app)).statusCode], [401, 401]);
  t.equal((await attempt(two.app)).statusCode, 429);
  await new Promise((r) => setTimeout(r, 2_100));
  t.equal((await attempt(one.app)).statusCode, 401, "a new window");
});

t.test("a password or role set by the operator (make user) ends every login of the account", async (t) => {
  const { app } = await build(t);
  const thief = await loggedIn(app);
  const other = await loggedIn(app, "127.0.0.2");
  await upsertAccount(new UsersRepo(app.sql), { ...ada, password: "a new passphrase 42" }, "customer", 1024);
  for (const pair of [thief, other]) {
    const res = await refresh(app, pair.refresh_token);
    t.equal(res.statusCode, 401, "a refresh token from before the reset is spent");
    t.equal(res.json().error, "invalid_refresh_token");
  }
  const again = await app.inject({
    method: "POST",
    url: "/api/auth/login",
    payload: { username: ada.username, password: "a new passphrase 42" },
  });
  t.equal(again.statusCode, 200, "the new password logs in");
  t.equal((await refresh(app, again.json().refresh_token)).statusCode, 200, "and its login refreshes");
});

// Behind the nginx of `make cluster-up` every login came from nginx's address, so the limit per
// address counted every client of the system as one: the eleventh login of a minute, anyone's,
// was refused.
t.test("behind TRUSTED_PROXIES the limit per address is the client's, from X-Forwarded-For", async (t) => {
  const { app } = await build(t, { env: { LOGIN_RATE_LIMIT: "3", TRUSTED_PROXIES: "127.0.0.1" } });
  const login = (username: string, remoteAddress: string, client: string) =>
    app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { username, password: "whatever-password" },
      remoteAddress,
      headers: { "x-forwarded-for": client },
    });
  const statuses: number[] = [];
  for (const [i, username] of ["p1x", "p2x", "p3x", "p4x"].entries()) {
    statuses.push((await login(username, "127.0.0.1", `10.1.1.${i + 1}`)).statusCode);
  }
  t.same(statuses, [401, 401, 401, 401], "four clients through the proxy: none limited");
  const one: number[] = [];
  for (const username of ["q1x", "q2x", "q3x", "q4x"])
    one.push((await login(username, "127.0.0.1", "10.2.2.2")).statusCode);
  t.same(one, [401, 401, 401, 429], "one client through the proxy is limited");
  const forged: number[] = [];
  for (const [i, username] of ["r1x", "r2x", "r3x", "r4x"].entries()) {
    forged.push((await login(username, "10.3.3.3", `10.4.4.${i + 1}`)).statusCode);
  }
  t.same(forged, [401, 401, 401, 429], "a client that is no trusted proxy cannot name other addresses");
});

t.test("TRUSTED_PROXIES that are no addresses are refused by name", async (t) => {
  await t.rejects(
    build(t, { env: { TRUSTED_PROXIES: "127.0.0.1,nginx" } }),
    /TRUSTED_PROXIES=127\.0\.0\.1,nginx: .*"nginx"/,
  );
});

t.test("a login while Redis refuses writes (out of memory) is 503 with Retry-After, not 500", async (t) => {
  const redis = await DisposableRedis.start();
  t.teardown(() => redis.stop());
  const { app } = await build(t, { env: { REDIS_URL: redis.url } });
  await app.inject({ method: "POST", url: "/api/auth/register", payload: ada });
  const login = () =>
    app.inject({ method: "POST", url: "/api/auth/login", payload: { username: "ada", password: ada.password } });
  t.equal((await login()).statusCode, 200);
  await app.redis.config("SET", "maxmemory", "1");
  const full = await login();
  t.equal(full.statusCode, 503);
  t.same(full.json(), { error: "service_unavailable", message: "Redis is unavailable; try again shortly." });
  t.equal(full.headers["retry-after"], "2");
  await app.redis.config("SET", "maxmemory", "0");
  t.ok(await waitFor(async () => (await login()).statusCode === 200, 5_000, 50), "logs in again");
});
