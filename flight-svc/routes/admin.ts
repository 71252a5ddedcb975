import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Errors, ReconcileBody, ReconcileResult } from "../inventory/schemas.js";

/** Operator endpoints. POST /api/admin/reconcile: seat-counter drift between Redis and PostgreSQL. */
export const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    "/api/admin/reconcile",
    {
      config: { access: "admin" },
      schema: { body: ReconcileBody, response: { 200: ReconcileResult, ...Errors } },
      // A bare POST (no body at all) means the defaults: report only. A JSON null is no object.
      preValidation: async (request) => {
        if (request.body === undefined) request.body = { repair: false };
      },
    },
    async (request) => app.inventory.reconcile(request.body.repair),
  );
};
