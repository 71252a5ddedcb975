// The signing key: given as a PEM file (AUTH_SIGNING_KEY_FILE, e.g. a mounted secret), or made at
// first start and kept in AUTH_KEY_DIR so tokens outlive a restart. Its kid is the RFC 7638
// thumbprint of the public key, so the same key always has the same kid.
import { generateKeyPairSync } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { calculateJwkThumbprint, exportJWK, importPKCS8, type JWK } from "jose";
import { readOrCreateFile } from "../lib/key-file.js";
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
  return readOrCreateFile(join(resolve(PROJECT_ROOT, dir), "signing-key.pem"), () =>
    generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  );
}

export async function loadSigningKey(keyFile: string, keyDir: string): Promise<SigningKey> {
  const pem = await readOrCreatePem(keyFile, keyDir);
  const privateKey = await importPKCS8(pem, SIGNING_ALG, { extractable: true });
  const full = await exportJWK(privateKey);
  const bare = { kty: String(full.kty), crv: String(full.crv), x: String(full.x) };
  const kid = await calculateJwkThumbprint(bare);
  return { kid, privateKey, publicJwk: { ...bare, kid, alg: SIGNING_ALG, use: "sig" } };
}
