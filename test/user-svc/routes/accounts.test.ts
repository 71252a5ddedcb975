import { randomBytes, scryptSync } from "node:crypto";
import t from "tap";
import { build } from "../../helpers/user-svc.js";

const ada = { username: "ada", email: "ada@example.com", password: "correct horse battery" };

t.test("register answers 201 with the account, then the account logs in and reads itself", async (t) => {
  const { app } = await build(t);
  const reg = await app.inject({ method: "POST", url: "/api/auth/register", payload: ada });
  t.equal(reg.statusCode, 201);
  t.same(reg.json(), { user_id: 1, username: "ada", email: "ada@example.com" });

  const login = await app.inject({
    method: "POST",
    url: "/api/auth/login",
    payload: { username: "ada", password: ada.password },
  });
  t.equal(login.statusCode, 200);
  const pair = login.json();
  t.match(pair, { token_type: "Bearer", expires_in: 900, user_id: 1, access_token: String, refresh_token: String });

  const me = await app.inject({ url: "/api/users/me", headers: { authorization: `Bearer ${pair.access_token}` } });
  t.equal(me.statusCode, 200);
  t.match(me.json(), { user_id: 1, username: "ada", email: "ada@example.com", role: "customer" });
});

t.test("an account whose id is past 2^31 registers, logs in, refreshes and reads itself", async (t) => {
  const { app } = await build(t);
  const id = 2 ** 31;
  await app.sql`ALTER SEQUENCE users_id_seq RESTART WITH ${app.sql.unsafe(String(id))}`;
  const reg = await app.inject({ method: "POST", url: "/api/auth/register", payload: ada });
  t.equal(reg.statusCode, 201);
  t.same(reg.json(), { user_id: id, username: "ada", email: "ada@example.com" });
  const login = await app.inject({
    method: "POST",
    url: "/api/auth/login",
    payload: { username: "ada", password: ada.password },
  });
  t.equal(login.statusCode, 200);
  t.equal(login.json().user_id, id);
  const refreshed = await app.inject({
    method: "POST",
    url: "/api/auth/refresh",
    payload: { refresh_token: login.json().refresh_token },
  });
  t.equal(refreshed.statusCode, 200);
  const me = await app.inject({
    url: "/api/users/me",
    headers: { authorization: `Bearer ${refreshed.json().access_token}` },
  });
  t.equal(me.statusCode, 200);
  t.equal(me.json().user_id, id);
});

t.test("the password is stored as an scrypt hash, never as given", async (t) => {
  const { app } = await build(t);
  await app.inject({ method: "POST", url: "/api/auth/register", payload: ada });
  const [row] = await app.sql<{ password_hash: string }[]>`SELECT password_hash FROM users`;
  t.match(row?.password_hash, /^scrypt\$1024\$8\$1\$[\w-]+\$[\w-]+$/);
  t.notOk(row?.password_hash.includes(ada.password));
});

t.test("a taken username or email is 409 naming which, whatever its case", async (t) => {
  const { app } = await build(t);
  await app.inject({ method: "POST", url: "/api/auth/register", payload: ada });
  const sameName = await app.inject({
    method: "POST",
    url: "/api/auth/register",
    payload: { ...ada, username: "ADA", email: "other@example.com" },
  });
  t.equal(sameName.statusCode, 409);
  t.same(sameName.json(), { error: "username_taken", message: "The username is taken.", field: "username" });
  const sameEmail = await app.inject({
    method: "POST",
    url: "/api/auth/register",
    payload: { ...ada, username: "grace", email: "Ada@Example.com" },
  });
  t.equal(sameEmail.statusCode, 409);
  t.same(sameEmail.json(), { error: "email_taken", message: "The email is already registered.", field: "email" });
});

t.test("a weak password is 400 naming the password field", async (t) => {
  const { app } = await build(t);
  for (const [password, message] of <const>[
    ["short1", "password must be at least 10 characters long"],
    ["aaaaaaaaaaab", "password must use at least 3 different characters"],
    ["my-ada-password", "password must not contain the username"],
  ]) {
    const res = await app.inject({ method: "POST", url: "/api/auth/register", payload: { ...ada, password } });
    t.equal(res.statusCode, 400, password);
    t.same(res.json(), { error: "validation_error", message, field: "password" });
  }
  const [row] = await app.sql`SELECT count(*)::int AS n FROM users`;
  t.equal(row?.n, 0, "no account made");
});

t.test("a password is the same whichever Unicode form the keyboard sent it in", async (t) => {
  const { app } = await build(t);
  // "é" typed as one code point (NFC, most keyboards) or as "e" and a combining accent (NFD, macOS).
  const composed = "caf\u00e9 au lait-42";
  const decomposed = "cafe\u0301 au lait-42";
  const reg = await app.inject({
    method: "POST",
    url: "/api/auth/register",
    payload: { ...ada, password: decomposed },
  });
  t.equal(reg.statusCode, 201);
  for (const password of [composed, decomposed]) {
    const login = await app.inject({ method: "POST", url: "/api/auth/login", payload: { username: "ada", password } });
    t.equal(login.statusCode, 200, JSON.stringify(password));
  }
});

t.test("an account whose hash was made before passwords were normalised still logs in", async (t) => {
  const { app } = await build(t);
  const decomposed = "cafe\u0301 au lait-42";
  await app.inject({ method: "POST", url: "/api/auth/register", payload: ada });
  // The stored form (user-svc/passwords.ts) of the password exactly as it was sent.
  const salt = randomBytes(16);
  const hash = scryptSync(decomposed, salt, 32, { N: 1024, r: 8, p: 1 }).toString("base64url");
  const stored = ["scrypt", 1024, 8, 1, salt.toString("base64url"), hash].join("$");
  await app.sql`UPDATE users SET password_hash = ${stored} WHERE username = 'ada'`;
  const login = await app.inject({
    method: "POST",
    url: "/api/auth/login",
    payload: { username: "ada", password: decomposed },
  });
  t.equal(login.statusCode, 200);
});

t.test("a password's length counts characters, not UTF-16 units", async (t) => {
  const { app } = await build(t);
  // Five emoji are ten UTF-16 units but five characters: too short.
  const res = await app.inject({
    method: "POST",
    url: "/api/auth/register",
    payload: { ...ada, password: "\u{1F600}\u{1F601}\u{1F602}\u{1F603}\u{1F604}" },
  });
  t.equal(res.statusCode, 400);
  t.same(res.json(), {
    error: "validation_error",
    message: "password must be at least 10 characters long",
    field: "password",
  });
});

t.test("bad usernames and emails are 400 naming the field", async (t) => {
  const { app } = await build(t);
  for (const [field, payload] of [
    ["username", { ...ada, username: "a b" }],
    ["username", { ...ada, username: "x" }],
    ["email", { ...ada, email: "not-an-email" }],
    ["email", { username: "ada", password: ada.password }],
  ] as const) {
    const res = await app.inject({ method: "POST", url: "/api/auth/register", payload });
    t.equal(res.statusCode, 400);
    t.equal(res.json().field, field);
  }
});

t.test("a wrong password and an unknown user are the same 401", async (t) => {
  const { app } = await build(t);
  await app.inject({ method: "POST", url: "/api/auth/register", payload: ada });
  const expected = { error: "invalid_credentials", message: "The username or password is wrong." };
  for (const payload of [
    { username: "ada", password: "wrong horse battery" },
    { username: "nobody", password: ada.password },
  ]) {
    const res = await app.inject({ method: "POST", url: "/api/auth/login", payload });
    t.equal(res.statusCode, 401);
    t.same(res.json(), expected);
  }
});

t.test("GET /api/users/me without a token, or with garbage, is 401", async (t) => {
  const { app } = await build(t);
  for (const authorization of [undefined, "Bearer", "Basic YWRhOnB3", "Bearer not.a.token"]) {
    const res = await app.inject({ url: "/api/users/me", headers: authorization ? { authorization } : {} });
    t.equal(res.statusCode, 401, String(authorization));
    t.equal(res.json().error, "unauthorized");
  }
});

t.test("the JWKS publishes the public key only, with a kid, and it survives a restart", async (t) => {
  const first = await build(t);
  const res = await first.app.inject({ url: "/.well-known/jwks.json" });
  t.equal(res.statusCode, 200);
  const [key] = res.json().keys;
  t.match(key, { kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig", kid: String, x: String });
  t.notOk("d" in key, "no private part");
  const again = await build(t, { env: { AUTH_KEY_DIR: first.keyDir }, reset: false });
  t.same((await again.app.inject({ url: "/.well-known/jwks.json" })).json().keys, [key]);
});
