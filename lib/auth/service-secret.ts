// The client secret of booking-svc's service credential: one file both user-svc (which checks it)
// and booking-svc (which presents it) read. Made at first start by whichever starts first, unless
// SERVICE_CLIENT_SECRET_FILE names a file (e.g. a mounted secret). Never committed.
import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { readOrCreateFile } from "../key-file.js";
import { PROJECT_ROOT } from "../paths.js";
import type { AuthSettings } from "./settings.js";

/** The only service client: booking-svc's own credential. */
export const SERVICE_CLIENT_ID = "booking-svc";

export const serviceSecretPath = (auth: Pick<AuthSettings, "keyDir" | "serviceSecretFile">): string =>
  resolve(PROJECT_ROOT, auth.serviceSecretFile || join(auth.keyDir, "service-client-secret"));

export async function readOrCreateServiceSecret(
  auth: Pick<AuthSettings, "keyDir" | "serviceSecretFile">,
): Promise<string> {
  const made = () => `${randomBytes(32).toString("base64url")}\n`;
  return (await readOrCreateFile(serviceSecretPath(auth), made)).trim();
}
