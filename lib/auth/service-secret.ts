// The client secret of booking-svc's service credential: one file both user-svc (which checks it)
// and booking-svc (which presents it) read. Made at first start by whichever starts first, unless
// SERVICE_CLIENT_SECRET_FILE names a file (e.g. a mounted secret). Never committed.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { PROJECT_ROOT } from "../paths.js";
import type { AuthSettings } from "./settings.js";

/** The only service client: booking-svc's own credential. */
export const SERVICE_CLIENT_ID = "booking-svc";

export const serviceSecretPath = (auth: Pick<AuthSettings, "keyDir" | "serviceSecretFile">): string =>
  resolve(PROJECT_ROOT, auth.serviceSecretFile || join(auth.keyDir, "service-client-secret"));

export async function readOrCreateServiceSecret(
  auth: Pick<AuthSettings, "keyDir" | "serviceSecretFile">,
): Promise<string> {
  const path = serviceSecretPath(auth);
  try {
    return (await readFile(path, "utf8")).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString("base64url");
  // wx: when both services start at once, the first secret written is the one both use.
  try {
    await writeFile(path, `${secret}\n`, { mode: 0o600, flag: "wx" });
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    return (await readFile(path, "utf8")).trim();
  }
}
