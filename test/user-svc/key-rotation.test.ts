import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeProtectedHeader } from "jose";
import t from "tap";
import { ConfigError } from "../../lib/config-parse.js";
import { loadUserConfig } from "../../user-svc/config.js";
import { loadSigningKey } from "../../user-svc/keys.js";
import { build } from "../helpers/user-svc.js";

// A new signing key ended every access token of the old one at once ("there is no overlap of
// two keys"), and instances restarted one by one refused each other's tokens. AUTH_VERIFY_KEY_FILES
// names keys that user-svc publishes and accepts but does not sign with: a key is brought in
// before it signs and kept until the last token it signed has expired.

const ada = { username: "ada", email: "ada@example.com", password: "correct horse battery" };

async function keyFiles(t: { teardown: (fn: () => unknown) => void }) {
  const dir = await mkdtemp(join(tmpdir(), "skybook-rotation-"));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const made = async (name: string, pub = false) => {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const file = join(dir, name);
    await writeFile(
      file,
      pub ? publicKey.export({ type: "spki", format: "pem" }) : privateKey.export({ type: "pkcs8", format: "pem" }),
    );
    return file;
  };
  return { dir, made };
}

t.test("a token of the old key stays good on an instance that signs with the new one", async (t) => {
  const { made } = await keyFiles(t);
  const [oldKey, newKey] = [await made("old.pem"), await made("new.pem")];
  const before = await build(t, { env: { AUTH_SIGNING_KEY_FILE: oldKey } });
  t.equal((await before.app.inject({ method: "POST", url: "/api/auth/register", payload: ada })).statusCode, 201);
  const login = await before.app.inject({
    method: "POST",
    url: "/api/auth/login",
    payload: { username: ada.username, password: ada.password },
  });
  const oldToken = login.json().access_token as string;
  const oldKid = decodeProtectedHeader(oldToken).kid;

  const after = await build(t, {
    reset: false,
    env: { AUTH_SIGNING_KEY_FILE: newKey, AUTH_VERIFY_KEY_FILES: `${oldKey}, ${newKey}` },
  });
  const me = await after.app.inject({ url: "/api/users/me", headers: { authorization: `Bearer ${oldToken}` } });
  t.equal(me.statusCode, 200, "the old key's token is accepted");
  const relogin = await after.app.inject({
    method: "POST",
    url: "/api/auth/login",
    payload: { username: ada.username, password: ada.password },
  });
  const newKid = decodeProtectedHeader(relogin.json().access_token).kid;
  t.not(newKid, oldKid, "new tokens are signed with the new key");
  const jwks = (await after.app.inject({ url: "/.well-known/jwks.json" })).json();
  t.same(
    jwks.keys.map((k: { kid: string }) => k.kid),
    [newKid, oldKid],
    "the key set publishes the signing key first, then the others, each once",
  );

  // The key brought in ahead: an instance still signing with the old key accepts the new one's tokens.
  const ahead = await build(t, {
    reset: false,
    env: { AUTH_SIGNING_KEY_FILE: oldKey, AUTH_VERIFY_KEY_FILES: newKey },
  });
  const newToken = relogin.json().access_token as string;
  const seen = await ahead.app.inject({ url: "/api/users/me", headers: { authorization: `Bearer ${newToken}` } });
  t.equal(seen.statusCode, 200, "the next key's token is accepted before that key signs");

  const without = await build(t, { reset: false, env: { AUTH_SIGNING_KEY_FILE: newKey } });
  const gone = await without.app.inject({ url: "/api/users/me", headers: { authorization: `Bearer ${oldToken}` } });
  t.equal(gone.statusCode, 401, "once the old key is left out, its tokens end");
});

t.test("a verify key may be given as its public half", async (t) => {
  const { made } = await keyFiles(t);
  const signing = await loadSigningKey(await made("sign.pem"), "unused", [await made("other.pub.pem", true)]);
  t.equal(signing.keySet.length, 2);
  t.equal(signing.keySet[0]?.kid, signing.kid);
});

t.test("a verify key that cannot be read or is not an Ed25519 key stops the start, naming the setting", async (t) => {
  const { dir, made } = await keyFiles(t);
  const signing = await made("sign.pem");
  const missing = join(dir, "missing.pem");
  const notAKey = join(dir, "not-a-key.pem");
  await writeFile(notAKey, "hello\n");
  for (const [file, says] of [
    [missing, /AUTH_VERIFY_KEY_FILES: .*missing\.pem cannot be read/],
    [notAKey, /AUTH_VERIFY_KEY_FILES: .*not-a-key\.pem is not an Ed25519 key/],
  ] as const) {
    const err = await loadSigningKey(signing, "unused", [file]).catch((e: unknown) => e);
    t.ok(err instanceof ConfigError, file);
    t.match((err as Error).message, says);
  }
  t.same(loadUserConfig({ AUTH_VERIFY_KEY_FILES: " a.pem ,b.pem,, " }).user.verifyKeyFiles, ["a.pem", "b.pem"]);
  t.same(loadUserConfig({}).user.verifyKeyFiles, []);
});
