// booking-svc's service credential at user-svc: the account its tokens name (role service, made
// at start, never able to log in with a password) and the check of its client secret.
import { createHash, timingSafeEqual } from "node:crypto";
import { SERVICE_CLIENT_ID } from "../lib/auth/service-secret.js";
import { AppError } from "../lib/errors.js";
import type { UsersRepo } from "./users-repo.js";

const SERVICE_EMAIL = `${SERVICE_CLIENT_ID}@services.skybook.local`;
// No scrypt hash has this form, so no password ever matches it.
const NO_PASSWORD = "service-account:no-password";

const digest = (s: string) => createHash("sha256").update(s).digest();

/** The service account's user id, made the first time. An account of another role by that name is refused. */
export async function ensureServiceAccount(repo: UsersRepo): Promise<number> {
  const existing = await repo.byUsername(SERVICE_CLIENT_ID);
  if (!existing) {
    const made = await repo.insert({
      username: SERVICE_CLIENT_ID,
      email: SERVICE_EMAIL,
      passwordHash: NO_PASSWORD,
      role: "service",
    });
    if (made.row) return made.row.id;
    // Another instance made it at the same moment.
    if (made.taken === "username") return ensureServiceAccount(repo);
    throw new Error(`${SERVICE_EMAIL} belongs to another account: booking-svc's service account cannot be made`);
  }
  if (existing.role !== "service") {
    throw new Error(
      `the account ${SERVICE_CLIENT_ID} is a ${existing.role}, not booking-svc's service account: rename it`,
    );
  }
  return existing.id;
}

/** Refuses an unknown client or a wrong secret alike, comparing in constant time. */
export function checkClient(clientId: string, secret: string, expected: string): void {
  const known = clientId === SERVICE_CLIENT_ID;
  // Compared as digests: timingSafeEqual needs equal lengths, and the length must not leak either.
  if (!timingSafeEqual(digest(secret), digest(expected)) || !known) {
    throw new AppError("invalid_credentials", "The client id or secret is wrong.");
  }
}
