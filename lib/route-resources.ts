import type { FastifyInstance } from "fastify";
import FindMyWay from "find-my-way";

const ROUTE_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/**
 * The resource a path names, whatever the method: Fastify's router keeps one tree per method, so
 * PATCH /api/flights/search matches PATCH /api/flights/:id with id "search", though the path is
 * the search's. Every route's pattern goes into one tree here, where the router's own rule (a
 * literal segment before a parameter) picks the route the path names; its methods are the Allow
 * of a 405. Installed before any route: it hears each one as it is added.
 */
export class RouteResources {
  // No limit: a parameter too long for the app's router is refused there, not here.
  private readonly tree = FindMyWay({ maxParamLength: Number.MAX_SAFE_INTEGER });
  private readonly methods = new Map<string, Set<string>>();

  constructor(app: FastifyInstance) {
    app.addHook("onRoute", (route) => {
      // Patterns that differ only in a parameter's name (/:id, /:key) are one resource.
      const pattern: string = this.tree.findRoute("GET", route.url)?.store ?? route.url;
      let methods = this.methods.get(pattern);
      if (methods === undefined) {
        methods = new Set();
        this.methods.set(pattern, methods);
        this.tree.on("GET", route.url, () => {}, pattern);
      }
      for (const method of [route.method].flat()) methods.add(method);
    });
  }

  /** The pattern of the route `path` names, or null when no route of any method matches it. */
  patternOf(path: string): string | null {
    return this.tree.find("GET", path)?.store ?? null;
  }

  /** The methods with a route at the resource `path` names, in a fixed order. */
  allowedAt(path: string): string[] {
    const pattern = this.patternOf(path);
    const methods = pattern === null ? undefined : this.methods.get(pattern);
    return ROUTE_METHODS.filter((method) => methods?.has(method) === true);
  }
}
