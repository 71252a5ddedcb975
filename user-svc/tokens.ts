// Access tokens (short-lived JWTs, verified by every service from the JWKS) and refresh tokens
// (opaque random strings, stored hashed, rotated on each use).
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import type { SigningKey } from "./keys.js";
import { SIGNING_ALG } from "./keys.js";

export const ROLES = ["customer", "admin", "service"] as const;
export type Role = (typeof ROLES)[number];

export interface TokenSettings {
  issuer: string;
  audience: string;
  accessTtlSeconds: number;
}

export function signAccessToken(key: SigningKey, settings: TokenSettings, userId: number, role: Role): Promise<string> {
  return (
    new SignJWT({ role })
      .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: "JWT" })
      .setSubject(String(userId))
      .setIssuer(settings.issuer)
      .setAudience(settings.audience)
      .setIssuedAt()
      // Ed25519 signatures are deterministic: without a jti two tokens of one second would be equal.
      .setJti(randomUUID())
      .setExpirationTime(`${settings.accessTtlSeconds}s`)
      .sign(key.privateKey)
  );
}

export const newRefreshToken = (): string => randomBytes(32).toString("base64url");

/** What is stored of a refresh token: a leaked table gives no usable token. */
export const refreshTokenHash = (token: string): string => createHash("sha256").update(token).digest("hex");
