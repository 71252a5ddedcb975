import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Errors, ReconcileBody, ReconcileResult } from "../inventory/schemas.js";

/** Operator endpoints. POST /api/admin/reconcile: seat-counter drift between Redis and PostgreSQL. */
export const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    "/api/admin/reconcile",
    {
      // A bare POST means the defaults: report only.
      config: { access: "admin", optionalBody: true },
      schema: { body: ReconcileBody, response: { 200: ReconcileResult, ...Errors } },
    },
    async (request) => app.inventory.reconcile(request.body.repair),
  );
};
