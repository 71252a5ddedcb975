import type { FastifyInstance } from "fastify";

/** "METHOD /path" of each route, as Fastify registered it (the HEAD twins of GET routes aside). */
export function registeredRoutes(app: FastifyInstance): string[] {
  const routes: string[] = [];
  const parents: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split("\n")) {
    const m = /^((?:│ {3}| {4})*)[├└]── (\S+)(?: \(([^)]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = (m[1] as string).length / 4;
    const path = (depth > 0 ? parents[depth - 1] : "") + (m[2] as string);
    parents.length = depth;
    parents.push(path);
    for (const method of m[3]?.split(", ") ?? []) if (method !== "HEAD") routes.push(`${method} ${path}`);
  }
  return routes;
}
