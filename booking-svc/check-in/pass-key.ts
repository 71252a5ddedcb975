import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { join, resolve } from "node:path";
import { readOrCreateFile } from "../../lib/key-file.js";
import { PROJECT_ROOT } from "../../lib/paths.js";

// booking-svc's boarding-pass signing key: an Ed25519 key of its own in AUTH_KEY_DIR, made at
// first start (like user-svc's token key), so that passes never share a key with access tokens.
// Every instance of booking-svc reads the same file. Never committed.

export const PASS_KEY_FILE = "boarding-pass-ed25519.pem";

export interface PassKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export async function readOrCreatePassKey(keyDir: string): Promise<PassKeys> {
  const pem = await readOrCreateFile(resolve(PROJECT_ROOT, join(keyDir, PASS_KEY_FILE)), () =>
    generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  );
  const privateKey = createPrivateKey(pem);
  return { privateKey, publicKey: createPublicKey(privateKey) };
}
