// The auth settings every service reads alike: whether tokens are required, where user-svc (its
// JWKS and its token endpoint) is, and what a token must name as issuer and audience.
import { HTTP_PROTOCOLS, type Reader } from "../config-parse.js";

export const AUTH_MODES = ["required", "off"] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export function readAuthSettings(r: Reader) {
  return {
    // off: the original's open API for a gateway that authenticates on its own (docs/api.md).
    mode: r.oneOf("AUTH_MODE", "required", AUTH_MODES),
    userServiceUrl: r.url("USER_SERVICE_URL", "http://127.0.0.1:8083", HTTP_PROTOCOLS),
    issuer: r.str("AUTH_ISSUER", "skybook-user-svc"),
    audience: r.str("AUTH_AUDIENCE", "skybook"),
    // user-svc's signing key and the service client secret are made here at first start
    // (relative to the project folder) unless given as files.
    keyDir: r.str("AUTH_KEY_DIR", ".run/keys"),
    // The secret booking-svc presents for its service token; unset: AUTH_KEY_DIR/service-client-secret.
    serviceSecretFile: r.str("SERVICE_CLIENT_SECRET_FILE", ""),
  };
}

export type AuthSettings = ReturnType<typeof readAuthSettings>;

export const jwksUrlOf = (auth: AuthSettings) => new URL("/.well-known/jwks.json", auth.userServiceUrl).href;
