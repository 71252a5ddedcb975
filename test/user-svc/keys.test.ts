import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { calculateJwkThumbprint, exportJWK } from "jose";
import t from "tap";
import { loadSigningKey } from "../../user-svc/keys.js";

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
