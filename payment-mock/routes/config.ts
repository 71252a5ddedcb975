import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { PaymentConfig, PaymentConfigPatch } from "../../contracts/payment-mock/admin.js";
import { Errors } from "../schemas.js";
import { settingsToJson } from "../settings.js";

const ADMIN = { access: "admin" } as const;

/** The mock's knobs at run time (an admin's); a PUT takes any subset and answers the whole config. */
export const configRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get("/api/payments/config", { config: ADMIN, schema: { response: { 200: PaymentConfig } } }, async () =>
    settingsToJson(app.payments.currentSettings),
  );

  app.put(
    "/api/payments/config",
    // Only the settings given change: no body changes none, as {} does.
    {
      config: { ...ADMIN, optionalBody: true },
      schema: { body: PaymentConfigPatch, response: { 200: PaymentConfig, ...Errors } },
    },
    async (request) => {
      const settings = app.payments.updateSettings(request.body);
      const seedInUse = app.payments.seedInUse;
      request.log.info({ settings: settingsToJson(settings), seed_in_use: seedInUse }, "payment-mock settings changed");
      return settingsToJson(settings);
    },
  );
};
