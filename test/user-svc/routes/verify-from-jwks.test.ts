import t from "tap";
import { createTokenVerifier } from "../../../lib/auth/verify.js";
import { build } from "../../helpers/user-svc.js";

t.test("another service verifies user-svc's access tokens from its JWKS alone", async (t) => {
  const { app, url, config } = await build(t, { listen: true });
  const ada = { username: "ada", email: "ada@example.com", password: "correct horse battery" };
  await app.inject({ method: "POST", url: "/api/auth/register", payload: ada });
  const login = await app.inject({
    method: "POST",
    url: "/api/auth/login",
    payload: { username: "ada", password: ada.password },
  });
  const verify = createTokenVerifier({
    jwksUrl: `${url}/.well-known/jwks.json`,
    issuer: config.user.issuer,
    audience: config.user.audience,
  });
  t.same(await verify(login.json().access_token), { userId: 1, role: "customer" });

  const other = await build(t, { reset: false });
  const stranger = await other.app.inject({
    method: "POST",
    url: "/api/auth/login",
    payload: { username: "ada", password: ada.password },
  });
  await t.rejects(
    verify(stranger.json().access_token),
    { name: "AppError", code: "unauthorized" },
    "a token of another key is refused",
  );
});
