// The signing key: given as a PEM file (AUTH_SIGNING_KEY_FILE, e.g. a mounted secret), or made at
// first start and kept in AUTH_KEY_DIR so tokens outlive a restart. Its kid is the RFC 7638
// thumbprint of the public key, so the same key always has the same kid.
import { generateKeyPairSync } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { calculateJwkThumbprint, exportJWK, importPKCS8, type JWK } from "jose";
import { ConfigError } from "../lib/config-parse.js";
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

const KEY_FILE = "signing-key.pem";
const KEY_FORM = "an Ed25519 private key in PKCS#8 PEM (-----BEGIN PRIVATE KEY-----)";

async function readOrCreatePem(keyFile: string, dir: string): Promise<string> {
  if (keyFile) return readFile(keyFile, "utf8");
  return readOrCreateFile(join(resolve(PROJECT_ROOT, dir), KEY_FILE), () =>
    generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  );
}

/**
 * The key from AUTH_SIGNING_KEY_FILE, or the one kept in AUTH_KEY_DIR. One that cannot be read
 * or is not a key is a ConfigError naming the setting: a restart would meet the same file.
 */
export async function loadSigningKey(keyFile: string, keyDir: string): Promise<SigningKey> {
  const [setting, unreadable, notAKey] = keyFile
    ? [`AUTH_SIGNING_KEY_FILE=${keyFile}`, "cannot be read", `expected ${KEY_FORM}`]
    : [
        `AUTH_KEY_DIR=${keyDir}`,
        `${KEY_FILE} there cannot be read or made`,
        `${KEY_FILE} there is not ${KEY_FORM}; remove it to have a new one made`,
      ];
  let pem: string;
  try {
    pem = await readOrCreatePem(keyFile, keyDir);
  } catch (err) {
    throw new ConfigError([`${setting}: ${unreadable} (${(err as Error).message})`]);
  }
  let privateKey: SigningKey["privateKey"];
  try {
    privateKey = await importPKCS8(pem, SIGNING_ALG, { extractable: true });
  } catch {
    throw new ConfigError([`${setting}: ${notAKey}`]);
  }
  const full = await exportJWK(privateKey);
  const bare = { kty: String(full.kty), crv: String(full.crv), x: String(full.x) };
  const kid = await calculateJwkThumbprint(bare);
  return { kid, privateKey, publicJwk: { ...bare, kid, alg: SIGNING_ALG, use: "sig" } };
}
