// Verifies access tokens locally from user-svc's JWKS: the key set is fetched once, cached, and
// fetched again only when a token names a kid it does not hold (a key rotation), at most once per
// cooldown, so a flood of made-up kids cannot turn into a flood of fetches.
import { createRemoteJWKSet, errors, type JWTVerifyGetKey, jwtVerify } from "jose";
import { AppError } from "../errors.js";

/** Only asymmetric algorithms: "none" and HMAC (a public key used as a shared secret) are refused. */
export const ACCEPTED_ALGS = ["EdDSA", "ES256"];
export const TOKEN_ROLES = ["customer", "admin", "service"] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

export interface Caller {
  userId: number;
  role: TokenRole;
}

export interface VerifierOptions {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** How long the key set is kept before a fetch on the next token (jose: cacheMaxAge). */
  cacheSeconds?: number;
  /** The least time between two fetches caused by unknown kids. */
  cooldownSeconds?: number;
  clockToleranceSeconds?: number;
  /** How long a verified token is taken without a new signature check (never past its exp). */
  rememberSeconds?: number;
}

export type TokenVerifier = (token: string) => Promise<Caller>;

const unauthorized = (message: string) => new AppError("unauthorized", message);

function reasonOf(err: unknown): string {
  if (err instanceof errors.JWTExpired) return "The access token has expired.";
  if (err instanceof errors.JWTClaimValidationFailed) return `The access token's ${err.claim} claim is not accepted.`;
  if (err instanceof errors.JWKSNoMatchingKey) return "The access token was not signed by a known key.";
  if (err instanceof errors.JOSEAlgNotAllowed) return "The access token's algorithm is not accepted.";
  if (err instanceof errors.JWSSignatureVerificationFailed) return "The access token's signature is not valid.";
  return "The access token is not valid.";
}

/**
 * A key set that cannot be fetched (no answer, not 200, not a key set) is user-svc being away,
 * not a bad token. jose reports a non-200 answer as its base error class, not a subclass.
 */
function keySetUnavailable(err: unknown): boolean {
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) return true;
  if (err instanceof TypeError && /fetch/i.test(err.message)) return true;
  return err instanceof errors.JOSEError && err.constructor === errors.JOSEError;
}

/**
 * How many verified tokens a verifier remembers. A caller sends the same token on every request
 * (booking-svc its service token, a customer theirs for the token's life), so remembering it
 * until its exp turns a signature check per request into one per token. The oldest goes first.
 */
export const REMEMBERED_TOKENS = 10_000;

/**
 * A remembered token is checked again after this long: remembered until its exp alone, a token
 * whose key was withdrawn (a rotation after a leak) stayed good for as long as its exp said, and
 * one minted with a leaked key may say years.
 */
export const REMEMBER_SECONDS = 60;

/**
 * A verifier from a key source: the remote JWKS in services, a local key set in tests. A token
 * already verified is answered from memory for up to `rememberSeconds`, never past its exp: a key
 * withdrawn from the key set stops remembered tokens within that time.
 */
export function verifierFrom(keys: JWTVerifyGetKey, opts: Omit<VerifierOptions, "jwksUrl">): TokenVerifier {
  const remembered = new Map<string, { caller: Caller; expiresAtMs: number }>();
  const rememberMs = (opts.rememberSeconds ?? REMEMBER_SECONDS) * 1000;
  return async (token) => {
    const known = remembered.get(token);
    if (known !== undefined) {
      if (known.expiresAtMs > Date.now()) return known.caller;
      remembered.delete(token);
    }
    let payload: Awaited<ReturnType<typeof jwtVerify>>["payload"];
    try {
      ({ payload } = await jwtVerify(token, keys, {
        algorithms: ACCEPTED_ALGS,
        issuer: opts.issuer,
        audience: opts.audience,
        requiredClaims: ["sub", "exp", "iat"],
        clockTolerance: opts.clockToleranceSeconds ?? 5,
      }));
    } catch (err) {
      if (keySetUnavailable(err)) {
        throw new AppError("service_unavailable", "The token keys cannot be fetched; try again shortly.");
      }
      throw unauthorized(reasonOf(err));
    }
    const userId = Number(payload.sub);
    const role = payload.role as TokenRole;
    if (!Number.isSafeInteger(userId) || userId < 1)
      throw unauthorized("The access token's sub claim is not accepted.");
    if (!TOKEN_ROLES.includes(role)) throw unauthorized("The access token's role claim is not accepted.");
    const caller = { userId, role };
    if (remembered.size >= REMEMBERED_TOKENS) remembered.delete(remembered.keys().next().value as string);
    remembered.set(token, { caller, expiresAtMs: Math.min((payload.exp as number) * 1000, Date.now() + rememberMs) });
    return caller;
  };
}

export function createTokenVerifier(opts: VerifierOptions): TokenVerifier {
  const keys = createRemoteJWKSet(new URL(opts.jwksUrl), {
    cacheMaxAge: (opts.cacheSeconds ?? 600) * 1000,
    cooldownDuration: (opts.cooldownSeconds ?? 30) * 1000,
  });
  return verifierFrom(keys, opts);
}

/** The token of an `Authorization: Bearer <token>` header (the scheme in any case, as HTTP has it), or 401. */
export function bearerToken(header: string | undefined): string {
  const match = /^Bearer ([A-Za-z0-9_.-]+)$/i.exec(header ?? "");
  if (!match?.[1]) throw unauthorized("A valid Bearer access token is required.");
  return match[1];
}
