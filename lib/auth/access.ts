// Who may call what: every route declares `config: { access }` and one onRequest hook enforces
// it, before the body is read or validated, so a caller without the right token learns nothing
// about the input rules either. Tokens are verified locally (verify.ts); no call per request.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../errors.js";
import type { AuthMode } from "./settings.js";
import { bearerToken, type Caller, type TokenRole, type TokenVerifier } from "./verify.js";

export const ACCESS_LEVELS = ["anyone", "customer", "service", "admin"] as const;
export type Access = (typeof ACCESS_LEVELS)[number];

declare module "fastify" {
  interface FastifyContextConfig {
    /** Who may call the route (lib/auth/access.ts); a route without one is refused to all but admins. */
    access?: Access;
    /**
     * Where the route finds its token when a browser cannot send the Authorization header (a
     * WebSocket or an EventSource): the header's value, `Bearer <token>`, taken from elsewhere.
     */
    authorizationOf?: (request: FastifyRequest) => string | undefined;
  }
  interface FastifyRequest {
    /** The verified caller; null on open routes and with AUTH_MODE=off. */
    caller: Caller | null;
  }
  interface FastifyInstance {
    /** Every route as registered with its access, for the test that none is left undeclared. */
    routeAccess: { method: string; url: string; access: Access | undefined }[];
  }
}

/**
 * The roles each level admits. An admin may do what a customer may (any booking, not just their
 * own), but not what only booking-svc does: holds, seat changes and payments stay with the
 * service credential, so an admin token that leaks cannot move seats or money.
 */
export const ROLES_OF: Record<Exclude<Access, "anyone">, readonly TokenRole[]> = {
  customer: ["customer", "admin"],
  service: ["service"],
  admin: ["admin"],
};

// Routes that plugins register for themselves (the docs page and its assets).
const OPEN_PREFIXES = ["/docs"];

export interface AccessOptions {
  mode: AuthMode;
  verifier: TokenVerifier;
}

/** What a route's level requires of the caller: the caller, or 401 / 403. */
export async function admit(
  access: Access | undefined,
  authorization: string | undefined,
  verifier: TokenVerifier,
): Promise<Caller | null> {
  if (access === "anyone") return null;
  const caller = await verifier(bearerToken(authorization));
  const roles = ROLES_OF[access ?? "admin"];
  if (!roles.includes(caller.role)) {
    const article = /^[aeiou]/.test(caller.role) ? "An" : "A";
    throw new AppError("forbidden", `${article} ${caller.role} token may not do this; it takes ${roles.join(" or ")}.`);
  }
  return caller;
}

/** Installed by createServiceApp before any route, so that every route is seen (and the docs' are opened). */
export function declareAccess(app: FastifyInstance): void {
  app.decorate("routeAccess", []);
  app.decorateRequest("caller", null);
  app.addHook("onRoute", (route) => {
    if (route.config?.access === undefined && OPEN_PREFIXES.some((p) => route.url.startsWith(p))) {
      route.config = { ...route.config, access: "anyone" };
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) app.routeAccess.push({ method, url: route.url, access: route.config?.access });
  });
}

/**
 * The check itself, added after the request-id hook so that a 401 or 403 carries the request's
 * id like any other answer.
 */
export function enforceAccess(app: FastifyInstance, opts: AccessOptions): void {
  if (opts.mode === "off") {
    app.log.warn("AUTH_MODE=off: no route asks for a token; put the service behind a gateway that authenticates");
    return;
  }
  // A callback hook: open routes (search, flight reads) pass without a promise of their own.
  app.addHook("onRequest", (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    const { access, authorizationOf } = request.routeOptions.config;
    if (request.is404 || access === "anyone") {
      done();
      return;
    }
    const authorization = authorizationOf ? authorizationOf(request) : request.headers.authorization;
    admit(access, authorization, opts.verifier).then(
      (caller) => {
        request.caller = caller;
        done();
      },
      (err: Error) => {
        // A refused upgrade (WebSocket) never reaches @fastify/websocket's own hooks, which close
        // its socket after the answer; without this the connection stays open and blocks close().
        if (request.headers.upgrade !== undefined) reply.raw.once("finish", () => request.raw.socket.destroy());
        done(err);
      },
    );
  });
}
