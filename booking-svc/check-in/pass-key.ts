import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
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
  const path = resolve(PROJECT_ROOT, join(keyDir, PASS_KEY_FILE));
  let pem: string;
  try {
    pem = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const made = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    // wx: when two instances start at once, the first key written is the one both use.
    try {
      await writeFile(path, made, { mode: 0o600, flag: "wx" });
      pem = made;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      pem = await readFile(path, "utf8");
    }
  }
  const privateKey = createPrivateKey(pem);
  return { privateKey, publicKey: createPublicKey(privateKey) };
}
