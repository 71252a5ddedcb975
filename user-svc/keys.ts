// The signing key: given as a PEM file (AUTH_SIGNING_KEY_FILE, e.g. a mounted secret), or made at
// first start and kept in AUTH_KEY_DIR so tokens outlive a restart. Its kid is the RFC 7638
// thumbprint of the public key, so the same key always has the same kid. Keys that verify without
// signing (AUTH_VERIFY_KEY_FILES) let a rotation overlap: the next key is published before it
// signs, and the last one until its tokens have expired.
import { generateKeyPairSync } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { calculateJwkThumbprint, exportJWK, importPKCS8, importSPKI, type JWK } from "jose";
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
  /** What the key set publishes and user-svc verifies with: this key first, then the verify keys, each once. */
  keySet: PublicJwk[];
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
export async function loadSigningKey(
  keyFile: string,
  keyDir: string,
  verifyKeyFiles: string[] = [],
): Promise<SigningKey> {
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
  const publicJwk = await publicJwkOf(privateKey);
  const keySet = [publicJwk];
  for (const file of verifyKeyFiles) {
    const jwk = await readVerifyKey(file);
    if (!keySet.some((k) => k.kid === jwk.kid)) keySet.push(jwk);
  }
  return { kid: publicJwk.kid, privateKey, publicJwk, keySet };
}

async function publicJwkOf(key: Parameters<typeof exportJWK>[0]): Promise<PublicJwk> {
  const full = await exportJWK(key);
  const bare = { kty: String(full.kty), crv: String(full.crv), x: String(full.x) };
  const kid = await calculateJwkThumbprint(bare);
  return { ...bare, kid, alg: SIGNING_ALG, use: "sig" };
}

/** A verify key's public half, from its private (PKCS#8) or public (SPKI) PEM. */
async function readVerifyKey(file: string): Promise<PublicJwk> {
  const setting = `AUTH_VERIFY_KEY_FILES: ${file}`;
  let pem: string;
  try {
    pem = await readFile(file, "utf8");
  } catch (err) {
    throw new ConfigError([`${setting} cannot be read (${(err as Error).message})`]);
  }
  const key = await importPKCS8(pem, SIGNING_ALG, { extractable: true }).catch(() =>
    importSPKI(pem, SIGNING_ALG, { extractable: true }).catch(() => null),
  );
  if (!key) throw new ConfigError([`${setting} is not an Ed25519 key in PKCS#8 or SPKI PEM`]);
  return publicJwkOf(key);
}
