import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import { ErrorBody } from "../../lib/errors.js";
import { keyId } from "../check-in/boarding-pass.js";
import { BoardingPasses, CheckInBody, PublicKeyView, VerifyBody, VerifyResult } from "../check-in/schemas.js";
import { visibleBooking } from "../ownership.js";
import { IdParams } from "../schemas.js";
import type { BookingWithLegs } from "../store/bookings-repo.js";

const Errors = { "4xx": ErrorBody, "5xx": ErrorBody };

/** Check-in (the booking's owner or an admin), boarding passes, and what a gate checks them with. */
export const checkInRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ownBooking = async (request: FastifyRequest, id: number): Promise<BookingWithLegs> =>
    visibleBooking(request.caller, id, await app.bookingsRepo.get(id));

  app.post(
    "/api/bookings/:id/check-in",
    {
      config: { access: "customer", optionalBody: true },
      schema: { params: IdParams, body: CheckInBody, response: { 200: BoardingPasses, ...Errors } },
    },
    async (request) => {
      const b = await ownBooking(request, request.params.id);
      return { booking_id: b.id, boarding_passes: await app.checkIn.checkIn(b, request.body.seats ?? []) };
    },
  );

  app.get(
    "/api/bookings/:id/boarding-passes",
    { config: { access: "customer" }, schema: { params: IdParams, response: { 200: BoardingPasses, ...Errors } } },
    async (request) => {
      const b = await ownBooking(request, request.params.id);
      return { booking_id: b.id, boarding_passes: await app.checkIn.boardingPasses(b) };
    },
  );

  app.get(
    "/api/boarding-passes/public-key",
    { config: { access: "anyone" }, schema: { response: { 200: PublicKeyView, ...Errors } } },
    async () => {
      const key = app.checkIn.publicKey;
      const jwk = key.export({ format: "jwk" }) as { x: string };
      return {
        alg: "EdDSA" as const,
        kid: keyId(key),
        public_key_pem: key.export({ type: "spki", format: "pem" }).toString(),
        jwk: { kty: "OKP" as const, crv: "Ed25519" as const, x: jwk.x },
      };
    },
  );

  app.post(
    "/api/boarding-passes/verify",
    { config: { access: "anyone" }, schema: { body: VerifyBody, response: { 200: VerifyResult, ...Errors } } },
    async (request) => app.checkIn.verify(request.body.barcode, (id) => app.bookingsRepo.get(id)),
  );
};
