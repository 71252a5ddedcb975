import { decodeJwt } from "jose";
import t from "tap";
import { readOrCreateServiceSecret } from "../../../lib/auth/service-secret.js";
import { build } from "../../helpers/user-svc.js";

// booking-svc's service token: the client-credentials grant with the secret user-svc and
// booking-svc share, never a password login.

const grant = (secret: string, clientId = "booking-svc") => ({
  grant_type: "client_credentials",
  client_id: clientId,
  client_secret: secret,
});

t.test("the right client and secret get a service token, and no refresh token", async (t) => {
  const { app, config } = await build(t);
  const secret = await readOrCreateServiceSecret(config.auth);
  t.ok(secret.length >= 40, "the secret made at first start is long and random");
  const res = await app.inject({ method: "POST", url: "/api/auth/token", payload: grant(secret) });
  t.equal(res.statusCode, 200);
  t.same(Object.keys(res.json()).sort(), ["access_token", "expires_in", "token_type"]);
  const claims = decodeJwt(res.json().access_token);
  t.match(claims, { role: "service", iss: config.user.issuer, aud: config.user.audience });
  const again = await app.inject({ method: "POST", url: "/api/auth/token", payload: grant(secret) });
  t.equal(decodeJwt(again.json().access_token).sub, claims.sub, "one service account, made once");
});

t.test("a wrong secret or an unknown client is the same 401", async (t) => {
  const { app, config } = await build(t);
  const secret = await readOrCreateServiceSecret(config.auth);
  for (const payload of [grant("guess"), grant(secret, "flight-svc"), grant(`${secret}x`)]) {
    const res = await app.inject({ method: "POST", url: "/api/auth/token", payload });
    t.equal(res.statusCode, 401);
    t.same(res.json(), { error: "invalid_credentials", message: "The client id or secret is wrong." });
  }
  const other = await app.inject({
    method: "POST",
    url: "/api/auth/token",
    payload: { ...grant(secret), grant_type: "password" },
  });
  t.match(other, { statusCode: 400 });
  t.match(other.json(), { field: "grant_type" });
});

t.test("a customer cannot take the service account's name, and it cannot log in with a password", async (t) => {
  const { app, config } = await build(t);
  const secret = await readOrCreateServiceSecret(config.auth);
  const register = (username: string) =>
    app.inject({
      method: "POST",
      url: "/api/auth/register",
      payload: { username, email: `${username}@example.com`, password: "correct horse battery" },
    });
  for (const name of ["booking-svc", "Booking-Svc"]) {
    t.match(await register(name), { statusCode: 409 }, `${name} before the first grant`);
  }
  t.equal((await app.inject({ method: "POST", url: "/api/auth/token", payload: grant(secret) })).statusCode, 200);
  const login = await app.inject({
    method: "POST",
    url: "/api/auth/login",
    payload: { username: "booking-svc", password: secret },
  });
  t.equal(login.statusCode, 401);
  t.match(await register("booking-svc"), { statusCode: 409 }, "after it too");
});
