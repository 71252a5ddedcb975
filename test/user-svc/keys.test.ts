import { generateKeyPairSync } from "node:crypto";
import { once } from "node:events";
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { calculateJwkThumbprint, exportJWK } from "jose";
import t from "tap";
import { ConfigError } from "../../lib/config-parse.js";
import { loadSigningKey } from "../../user-svc/keys.js";
import { runServer } from "../helpers/server-process.js";

async function folder(t: { teardown: (fn: () => unknown) => void }) {
  const dir = await mkdtemp(join(tmpdir(), "skybook-keys-test-"));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

t.test("a key given as a PEM file is used, its kid the thumbprint of its public key", async (t) => {
  const dir = await folder(t);
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const file = join(dir, "secret.pem");
  await writeFile(file, privateKey.export({ type: "pkcs8", format: "pem" }));
  const key = await loadSigningKey(file, join(dir, "unused"));
  t.equal(key.kid, await calculateJwkThumbprint(await exportJWK(publicKey)));
  t.equal(key.publicJwk.x, (await exportJWK(publicKey)).x);
  t.same(await readdir(dir), ["secret.pem"], "no key made beside it");
});

t.test("without a file, one key is made at first start, private to its owner, and kept", async (t) => {
  const dir = join(await folder(t), "keys");
  const [a, b] = await Promise.all([loadSigningKey("", dir), loadSigningKey("", dir)]);
  t.equal(a.kid, b.kid, "two starts at once agree on one key");
  t.equal((await stat(join(dir, "signing-key.pem"))).mode & 0o777, 0o600);
  t.equal((await loadSigningKey("", dir)).kid, a.kid, "the next start reads it");
});

t.test("a key file that is not a PEM key stops the start", async (t) => {
  const dir = await folder(t);
  const file = join(dir, "broken.pem");
  await writeFile(file, "not a key");
  await t.rejects(loadSigningKey(file, dir));
});

t.test("a key file that cannot be read, or holds no Ed25519 PKCS#8 key, is a setting named, not a crash", async (t) => {
  const dir = await folder(t);
  const missing = join(dir, "missing.pem");
  const rsa = join(dir, "rsa.pem");
  await writeFile(
    rsa,
    generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" }),
  );
  const garbage = join(dir, "garbage.pem");
  await writeFile(garbage, "not a key");
  for (const [file, why] of [
    [missing, /^AUTH_SIGNING_KEY_FILE=.*missing\.pem: cannot be read \(ENOENT/],
    [rsa, /^AUTH_SIGNING_KEY_FILE=.*rsa\.pem: expected an Ed25519 private key in PKCS#8 PEM/],
    [garbage, /^AUTH_SIGNING_KEY_FILE=.*garbage\.pem: expected an Ed25519 private key in PKCS#8 PEM/],
  ] as const) {
    const err = await loadSigningKey(file, dir).catch((e: unknown) => e);
    t.type(err, ConfigError, file);
    t.match((err as ConfigError).problems, [why]);
  }
});

t.test("a broken key in AUTH_KEY_DIR names AUTH_KEY_DIR", async (t) => {
  const dir = await folder(t);
  await writeFile(join(dir, "signing-key.pem"), "truncated");
  const err = await loadSigningKey("", dir).catch((e: unknown) => e);
  t.type(err, ConfigError);
  t.match((err as ConfigError).problems, [/^AUTH_KEY_DIR=.*: signing-key\.pem there is not an Ed25519 private key/]);
});

t.test("user-svc with a bad AUTH_SIGNING_KEY_FILE exits 2 with one line naming it, not a stack trace", async (t) => {
  const dir = await folder(t);
  const garbage = join(dir, "garbage.pem");
  await writeFile(garbage, "not a key");
  for (const file of [join(dir, "missing.pem"), garbage]) {
    const { child, stderr } = runServer("user-svc/server.ts", { AUTH_SIGNING_KEY_FILE: file, USER_PORT: "0" });
    const [code] = await once(child, "exit");
    t.equal(code, 2, `${file}: the supervisor's "bad configuration", not restarted`);
    t.match(stderr(), new RegExp(`^user-svc: invalid configuration:\\n  AUTH_SIGNING_KEY_FILE=${file}: `));
    t.notMatch(stderr(), /\n\s+at /, "no stack trace");
  }
});
