import { generateKeyPairSync, randomUUID } from "node:crypto";
import { calculateJwkThumbprint, exportJWK, SignJWT, UnsecuredJWT } from "jose";
import t from "tap";
import { startAuth } from "../helpers/auth.js";
import { build, seedFlights } from "../helpers/flight-svc.js";

// Tokens that must not pass a service, whatever role they claim: each is 401 in the catalogue
// shape, and the route does nothing.

t.test("tampered, expired, alg:none and other-key tokens get 401 from a service", async (t) => {
  const auth = await startAuth(t);
  const { app } = await build(t, { env: auth.env });
  const [f] = await seedFlights(app.sql, [{ price: 5000 }]);
  const admin = await auth.admin();
  const { issuer, audience } = auth.config.user;
  const now = Math.floor(Date.now() / 1000);
  const sign = (key: Parameters<SignJWT["sign"]>[0], kid: string, exp: number) =>
    new SignJWT({ role: "admin" })
      .setProtectedHeader({ alg: "EdDSA", kid })
      .setSubject(String(admin.userId))
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(now - 600)
      .setJti(randomUUID())
      .setExpirationTime(exp)
      .sign(key);
  const ours = auth.app.signingKey;
  const other = generateKeyPairSync("ed25519");
  const otherKid = await calculateJwkThumbprint(await exportJWK(other.publicKey));

  const [header, payload, signature] = admin.token.split(".");
  const claims = JSON.parse(Buffer.from(payload as string, "base64url").toString());
  const tampered = Buffer.from(JSON.stringify({ ...claims, sub: String(admin.userId + 1) })).toString("base64url");
  const bad: Record<string, string> = {
    tampered: `${header}.${tampered}.${signature}`,
    expired: await sign(ours.privateKey, ours.kid, now - 60),
    "alg:none": new UnsecuredJWT({ role: "admin" })
      .setSubject(String(admin.userId))
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime("5m")
      .encode(),
    "another key, our kid": await sign(other.privateKey, ours.kid, now + 300),
    "another key": await sign(other.privateKey, otherKid, now + 300),
    "not a bearer header": "",
  };
  for (const [name, token] of Object.entries(bad)) {
    const res = await app.inject({
      method: "PATCH",
      url: `/api/flights/${f}`,
      payload: { price: 1 },
      headers: { authorization: token ? `Bearer ${token}` : `Basic ${admin.token}` },
    });
    t.equal(res.statusCode, 401, name);
    t.match(res.json(), { error: "unauthorized", message: String }, name);
    t.same(Object.keys(res.json()).sort(), ["error", "message"], `${name}: the catalogue shape`);
    t.ok(res.headers["x-request-id"], `${name}: the answer carries the request id`);
  }
  const good = await app.inject({
    method: "PATCH",
    url: `/api/flights/${f}`,
    payload: { price: 4100 },
    headers: admin.headers,
  });
  t.match(good, { statusCode: 200 });
  t.equal(good.json().price, 4100, "only the good token changed the flight");
});

t.test("a guarded route checks the token before the body: no token and bad input is 401, not 400", async (t) => {
  const auth = await startAuth(t);
  const { app } = await build(t, { env: auth.env });
  const res = await app.inject({ method: "POST", url: "/api/flights", payload: { nonsense: true } });
  t.equal(res.statusCode, 401);
});
