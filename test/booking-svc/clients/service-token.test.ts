import t from "tap";
import { ServiceToken } from "../../../booking-svc/clients/service-token.js";
import { readOrCreateServiceSecret } from "../../../lib/auth/service-secret.js";
import { type Credential, Upstream } from "../../../lib/upstream.js";
import { startAuth } from "../../helpers/auth.js";
import { build } from "../../helpers/flight-svc.js";
import { build as buildUser } from "../../helpers/user-svc.js";

// booking-svc's service token from a real user-svc: kept, renewed before it expires, fetched
// again after a 401.

t.test("the token is kept until four fifths of its life, then fetched anew", async (t) => {
  const auth = await startAuth(t);
  let now = 1_000_000;
  const creds = new ServiceToken(
    `${auth.url}/api/auth/token`,
    () => readOrCreateServiceSecret(auth.config.auth),
    1_000,
    () => now,
  );
  const [one, two] = await Promise.all([creds.token(), creds.token()]);
  t.equal(one, two, "concurrent callers share one fetch");
  now += auth.config.user.accessTtlSeconds * 790;
  t.equal(await creds.token(), one, "kept before four fifths");
  now += auth.config.user.accessTtlSeconds * 20;
  const renewed = await creds.token();
  t.not(renewed, one, "renewed after");
  creds.invalidate("some other token");
  t.equal(await creds.token(), renewed, "invalidating another token changes nothing");
  creds.invalidate(renewed);
  t.not(await creds.token(), renewed, "an invalidated token is fetched anew");
});

t.test("a wrong secret is an upstream failure, not a token", async (t) => {
  const auth = await startAuth(t);
  const creds = new ServiceToken(`${auth.url}/api/auth/token`, async () => "wrong", 1_000);
  await t.rejects(creds.token(), { name: "UpstreamError", upstream: "user-svc", kind: "status" });
});

t.test("a call refused with 401 fetches a new token and is tried once more", async (t) => {
  const auth = await startAuth(t);
  // A token of another user-svc (another key): what booking-svc holds after a key rotation.
  const stale = await buildUser(t, { reset: false });
  const staleSecret = await readOrCreateServiceSecret(stale.config.auth);
  const staleToken = (
    await stale.app.inject({
      method: "POST",
      url: "/api/auth/token",
      payload: { grant_type: "client_credentials", client_id: "booking-svc", client_secret: staleSecret },
    })
  ).json().access_token as string;
  const { url } = await build(t, { env: auth.env, listen: true });
  const real = new ServiceToken(`${auth.url}/api/auth/token`, () => readOrCreateServiceSecret(auth.config.auth), 1_000);
  const handed: string[] = [];
  let current: string | null = staleToken;
  const credential: Credential = {
    async token() {
      const token = current ?? (await real.token());
      handed.push(token);
      return token;
    },
    invalidate(token) {
      if (token === current) current = null;
    },
  };
  const up = new Upstream("flight-svc", url, 2_000, 1, credential);
  t.teardown(() => up.close());
  const reply = await up.call("GET", "/api/flights/holds/nothing-here");
  t.equal(reply.status, 404, "the second try got through (there is no such hold)");
  t.same(handed, [staleToken, await real.token()]);
});
