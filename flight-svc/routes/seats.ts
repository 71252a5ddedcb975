import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { validationError } from "../../lib/errors.js";
import { Errors, SeatChangeBody, SeatChangeResult, ValidateResult } from "../inventory/schemas.js";

/** A YYYY-MM-DD the pattern let through may still be no calendar date (2024-02-30). */
function checkDate(date: string): void {
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== date) {
    throw validationError("date", "date must be a calendar date (YYYY-MM-DD)");
  }
}

/** The original's endpoints: validate a flight, change seats without a hold. */
export const seatRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    "/api/flights/validate",
    { schema: { body: SeatChangeBody, response: { 200: ValidateResult, ...Errors } } },
    async (request) => {
      const { flight_id, seats, date } = request.body;
      checkDate(date);
      return app.inventory.validate(flight_id, seats, date);
    },
  );

  app.post(
    "/api/flights/seats/decrement",
    { schema: { body: SeatChangeBody, response: { 200: SeatChangeResult, ...Errors } } },
    async (request) => {
      const { flight_id, seats, date } = request.body;
      checkDate(date);
      const available_seats = await app.inventory.decrement(flight_id, seats, date);
      return { success: true, flight_id, available_seats };
    },
  );

  app.post(
    "/api/flights/seats/increment",
    { schema: { body: SeatChangeBody, response: { 200: SeatChangeResult, ...Errors } } },
    async (request) => {
      const { flight_id, seats, date } = request.body;
      checkDate(date);
      const available_seats = await app.inventory.increment(flight_id, seats, date);
      return { success: true, flight_id, available_seats };
    },
  );
};
