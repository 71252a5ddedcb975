// The MCP server's settings. It calls the public REST API like any client, so all it needs is
// where the services are (or one gateway in front of them), how to check a token (user-svc's
// JWKS, issuer, audience) and, over stdio, whose token to act with.
import { readUpstreamUrls } from "../booking-svc/config.js";
import { readAuthSettings } from "../lib/auth/settings.js";
import { type Env, HTTP_PROTOCOLS, Reader } from "../lib/config-parse.js";
import { tokenUser } from "./session.js";

export function loadMcpConfig(env: Env = process.env) {
  const r = new Reader(env);
  const auth = readAuthSettings(r);
  const { flightServiceUrl } = readUpstreamUrls(r);
  const bookingServiceUrl = r.url("BOOKING_SERVICE_URL", "http://127.0.0.1:8081", HTTP_PROTOCOLS);
  // One address for the whole API (the nginx of `make cluster-up`, an operator's gateway): it wins
  // over the three service URLs.
  const gateway = r.str("SKYBOOK_API_URL", "");
  if (gateway !== "") r.url("SKYBOOK_API_URL", gateway, HTTP_PROTOCOLS);
  const user = gateway || auth.userServiceUrl;
  const config = {
    host: r.str("HOST", "127.0.0.1"),
    port: r.int("MCP_PORT", 8084, 0, 65535),
    api: {
      flight: gateway || flightServiceUrl,
      booking: gateway || bookingServiceUrl,
      user,
      timeoutMs: r.int("MCP_API_TIMEOUT_MS", 15_000, 100, 120_000),
    },
    auth: { userServiceUrl: user, issuer: auth.issuer, audience: auth.audience },
    // stdio only: the access token the tools act with until the `login` tool gets another.
    token: r.str("SKYBOOK_TOKEN", ""),
  };
  // Refused here, as a bad setting, by name: jose's "Invalid JWT" named neither the setting nor
  // the fix. The token itself is a secret and stays out of the message.
  if (config.token !== "" && tokenUser(config.token) === undefined) {
    r.problems.push("SKYBOOK_TOKEN: expected an access token from POST /api/auth/login (a JWT naming its user)");
  }
  return r.done(config);
}

export type McpConfig = ReturnType<typeof loadMcpConfig>;
