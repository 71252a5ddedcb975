import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { IdempotencyHeaders } from "../../lib/input-schemas.js";
import { ChangeBody, ChangeResult } from "../change/change-schemas.js";
import { visibleBooking } from "../ownership.js";
import { IdParams } from "../schemas.js";
import { sendAnswer } from "./send-answer.js";

/** A refused change: the catalogue's {error, message}, or a failed change's whole answer. */
const ChangeRefusal = Type.Composite(
  [
    Type.Object({ error: Type.String(), message: Type.String(), field: Type.Optional(Type.String()) }),
    Type.Partial(Type.Omit(ChangeResult, ["error", "message", "field"])),
  ],
  { additionalProperties: true },
);

export const changeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    "/api/bookings/:id/change",
    {
      config: { access: "customer" },
      schema: {
        params: IdParams,
        body: ChangeBody,
        headers: IdempotencyHeaders,
        response: { 200: ChangeResult, 202: ChangeResult, "4xx": ChangeRefusal, "5xx": ChangeRefusal },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const b = visibleBooking(request.caller, id, await app.bookingsRepo.get(id));
      const req = { bookingId: id, flightIds: request.body.flight_ids, date: request.body.date };
      const answer = await app.bookingChanges.run(req, request.headers["idempotency-key"], b.holdNonce);
      return sendAnswer(reply, answer);
    },
  );
};
