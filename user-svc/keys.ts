// The signing key: given as a PEM file (AUTH_SIGNING_KEY_FILE, e.g. a mounted secret), or made at
// first start and kept in AUTH_KEY_DIR so tokens outlive a restart. Its kid is the RFC 7638
// thumbprint of the public key, so the same key always has the same kid.
import { generateKeyPairSync } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { calculateJwkThumbprint, exportJWK, importPKCS8, type JWK } from "jose";
import { PROJECT_ROOT } from "../lib/paths.js";

export const SIGNING_ALG = "EdDSA";

/** The public half as the JWKS publishes it. */
export interface PublicJwk extends JWK {
  kty: string;
  crv: string;
  x: string;
  kid: string;
  alg: string;
  use: string;
}

export interface SigningKey {
  kid: string;
  privateKey: Awaited<ReturnType<typeof importPKCS8>>;
  publicJwk: PublicJwk;
}

async function readOrCreatePem(keyFile: string, dir: string): Promise<string> {
  if (keyFile) return readFile(keyFile, "utf8");
  const keyDir = resolve(PROJECT_ROOT, dir);
  const path = join(keyDir, "signing-key.pem");
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const { privateKey } = generateKeyPairSync("ed25519");
  const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  await mkdir(keyDir, { recursive: true, mode: 0o700 });
  // wx: two services starting at once keep the first key written.
  try {
    await writeFile(path, pem, { mode: 0o600, flag: "wx" });
    return pem;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    return readFile(path, "utf8");
  }
}

export async function loadSigningKey(keyFile: string, keyDir: string): Promise<SigningKey> {
  const pem = await readOrCreatePem(keyFile, keyDir);
  const privateKey = await importPKCS8(pem, SIGNING_ALG, { extractable: true });
  const full = await exportJWK(privateKey);
  const bare = { kty: String(full.kty), crv: String(full.crv), x: String(full.x) };
  const kid = await calculateJwkThumbprint(bare);
  return { kid, privateKey, publicJwk: { ...bare, kid, alg: SIGNING_ALG, use: "sig" } };
}
