import { generateKeyPairSync, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  type JWK,
  type JWTVerifyGetKey,
  SignJWT,
  UnsecuredJWT,
} from "jose";
import t, { type Test } from "tap";
import { bearerToken, createTokenVerifier, REMEMBERED_TOKENS, verifierFrom } from "../../../lib/auth/verify.js";
import { AppError } from "../../../lib/errors.js";

const ISSUER = "skybook-user-svc";
const AUDIENCE = "skybook";

async function newKey() {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { privateKey, kid, jwk: { ...jwk, kid, alg: "EdDSA", use: "sig" } as JWK };
}
type Key = Awaited<ReturnType<typeof newKey>>;

function sign(
  key: Key,
  over: { claims?: Record<string, unknown>; exp?: number; nbf?: number; aud?: string; kid?: string } = {},
) {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ role: "customer", ...over.claims })
    .setProtectedHeader({ alg: "EdDSA", kid: over.kid ?? key.kid })
    .setSubject("7")
    .setIssuer(ISSUER)
    .setAudience(over.aud ?? AUDIENCE)
    .setIssuedAt(now)
    .setJti(randomUUID())
    .setExpirationTime(over.exp ?? now + 300);
  if (over.nbf !== undefined) jwt.setNotBefore(over.nbf);
  return jwt.sign(key.privateKey);
}

/** A JWKS endpoint whose keys the test changes, counting how often it is fetched. */
async function jwksServer(t: Test, keys: JWK[]) {
  const served = { keys, fetches: 0 };
  const server = createServer((_req, res) => {
    served.fetches++;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ keys: served.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.teardown(() => new Promise((resolve) => server.close(resolve)));
  return { served, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json` };
}

async function rejects(t: Test, promise: Promise<unknown>, message: string) {
  await t.rejects(promise, new AppError("unauthorized", message));
}

t.test("a good token gives the caller; the key set is fetched once and cached", async (t) => {
  const key = await newKey();
  const { served, url } = await jwksServer(t, [key.jwk]);
  const verify = createTokenVerifier({ jwksUrl: url, issuer: ISSUER, audience: AUDIENCE });
  t.same(await verify(await sign(key)), { userId: 7, role: "customer" });
  t.same(await verify(await sign(key, { claims: { role: "admin" } })), { userId: 7, role: "admin" });
  t.equal(served.fetches, 1);
});

t.test("bad tokens are 401 with the reason", async (t) => {
  const key = await newKey();
  const other = await newKey();
  const { url } = await jwksServer(t, [key.jwk]);
  const verify = createTokenVerifier({ jwksUrl: url, issuer: ISSUER, audience: AUDIENCE, clockToleranceSeconds: 0 });
  const now = Math.floor(Date.now() / 1000);

  const good = await sign(key);
  const [header, payload, signature] = good.split(".");
  const forged = Buffer.from(
    JSON.stringify({ ...JSON.parse(Buffer.from(payload ?? "", "base64url").toString()), role: "admin" }),
  );
  await rejects(
    t,
    verify(`${header}.${forged.toString("base64url")}.${signature}`),
    "The access token's signature is not valid.",
  );

  const none = new UnsecuredJWT({ role: "admin" })
    .setSubject("7")
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime("5m");
  await rejects(t, verify(none.encode()), "The access token's algorithm is not accepted.");

  await rejects(t, verify(await sign(other, { kid: key.kid })), "The access token's signature is not valid.");
  await rejects(t, verify(await sign(other)), "The access token was not signed by a known key.");
  await rejects(t, verify(await sign(key, { exp: now - 10 })), "The access token has expired.");
  await rejects(t, verify(await sign(key, { nbf: now + 60 })), "The access token's nbf claim is not accepted.");
  await rejects(t, verify(await sign(key, { aud: "someone-else" })), "The access token's aud claim is not accepted.");
  await rejects(
    t,
    verify(await sign(key, { claims: { role: "root" } })),
    "The access token's role claim is not accepted.",
  );
  await rejects(t, verify("not-a-jwt"), "The access token is not valid.");
});

t.test("an unknown kid fetches the key set again (a rotation), at most once per cooldown", async (t) => {
  const old = await newKey();
  const next = await newKey();
  const { served, url } = await jwksServer(t, [old.jwk]);
  const verify = createTokenVerifier({ jwksUrl: url, issuer: ISSUER, audience: AUDIENCE, cooldownSeconds: 0 });
  await verify(await sign(old));
  served.keys = [old.jwk, next.jwk];
  t.same(await verify(await sign(next)), { userId: 7, role: "customer" }, "the new key is found");
  t.equal(served.fetches, 2);

  const slow = createTokenVerifier({ jwksUrl: url, issuer: ISSUER, audience: AUDIENCE, cooldownSeconds: 60 });
  await slow(await sign(old));
  const stranger = await newKey();
  await rejects(t, slow(await sign(stranger)), "The access token was not signed by a known key.");
  await rejects(t, slow(await sign(stranger)), "The access token was not signed by a known key.");
  t.equal(served.fetches, 3, "made-up kids within the cooldown fetch nothing more");
});

t.test("a key set that cannot be fetched is 503, not 401", async (t) => {
  const key = await newKey();
  const unavailable = { name: "AppError", code: "service_unavailable" };
  const closed = createTokenVerifier({ jwksUrl: "http://127.0.0.1:9/jwks.json", issuer: ISSUER, audience: AUDIENCE });
  await t.rejects(closed(await sign(key)), unavailable, "nothing listens");
  for (const [status, body] of [
    [503, '{"error":"service_unavailable"}'],
    [200, '{"keys":"none"}'],
  ] as const) {
    const server = createServer((_req, res) => res.writeHead(status, { "content-type": "application/json" }).end(body));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    t.teardown(() => new Promise((resolve) => server.close(resolve)));
    const verify = createTokenVerifier({
      jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    await t.rejects(verify(await sign(key)), unavailable, `${status} ${body}`);
  }
});

t.test("a verified token is remembered until its exp, not after; the memory is bounded", async (t) => {
  const key = await newKey();
  const local = createLocalJWKSet({ keys: [key.jwk] });
  let lookups = 0;
  const counting: JWTVerifyGetKey = (header, token) => {
    lookups++;
    return local(header, token);
  };
  const verify = verifierFrom(counting, { issuer: ISSUER, audience: AUDIENCE, clockToleranceSeconds: 0 });
  const token = await sign(key);
  t.same(await verify(token), { userId: 7, role: "customer" });
  t.same(await verify(token), { userId: 7, role: "customer" });
  t.equal(lookups, 1, "the second check of the same token needs no signature check");
  await rejects(t, verify(`${token}x`), "The access token's signature is not valid.");

  const shortLived = await sign(key, { exp: Math.floor(Date.now() / 1000) + 1 });
  await verify(shortLived);
  await new Promise((r) => setTimeout(r, 2_100));
  await rejects(t, verify(shortLived), "The access token has expired.");

  for (let i = 0; i <= REMEMBERED_TOKENS; i++) await verify(await sign(key, { claims: { n: i } }));
  const before = lookups;
  await verify(token);
  t.equal(lookups, before + 1, "the oldest token was forgotten once the memory was full");
});

t.test("bearerToken takes the token of a Bearer header only", async (t) => {
  t.equal(bearerToken("Bearer abc.def.ghi"), "abc.def.ghi");
  // The scheme is case-insensitive (RFC 9110 11.1): a client sending "bearer" was refused.
  t.equal(bearerToken("bearer abc.def.ghi"), "abc.def.ghi");
  t.equal(bearerToken("BEARER abc.def.ghi"), "abc.def.ghi");
  for (const header of [undefined, "", "Bearer", "Bearer  x", "Basic abc", "bearer abc x"]) {
    t.throws(() => bearerToken(header), { code: "unauthorized" }, String(header));
  }
});

t.test("a remembered token whose key is withdrawn is refused within rememberSeconds, whatever its exp", async (t) => {
  const leaked = await newKey();
  let keys = createLocalJWKSet({ keys: [leaked.jwk] });
  const current: JWTVerifyGetKey = (header, token) => keys(header, token);
  const verify = verifierFrom(current, { issuer: ISSUER, audience: AUDIENCE, rememberSeconds: 1 });
  const minted = await sign(leaked, { exp: Math.floor(Date.now() / 1000) + 10 * 365 * 86_400 });
  t.same(await verify(minted), { userId: 7, role: "customer" });

  keys = createLocalJWKSet({ keys: [(await newKey()).jwk] });
  t.same(await verify(minted), { userId: 7, role: "customer" }, "still remembered at once");
  await new Promise((r) => setTimeout(r, 1_200));
  await rejects(t, verify(minted), "The access token was not signed by a known key.");
});
