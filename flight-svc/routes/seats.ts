import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { FlightSeats, Validation } from "../../contracts/flight-svc/flights.js";
import { Errors, SeatChangeResult } from "../inventory/schemas.js";

/** The original's endpoints: validate a flight (anyone), change seats without a hold (booking-svc). */
export const seatRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    "/api/flights/validate",
    { config: { access: "anyone" }, schema: { body: FlightSeats, response: { 200: Validation, ...Errors } } },
    async (request) => {
      const { flight_id, seats, date } = request.body;
      return app.inventory.validate(flight_id, seats, date);
    },
  );

  app.post(
    "/api/flights/seats/decrement",
    { config: { access: "service" }, schema: { body: FlightSeats, response: { 200: SeatChangeResult, ...Errors } } },
    async (request) => {
      const { flight_id, seats, date } = request.body;
      const available_seats = await app.inventory.decrement(flight_id, seats, date);
      return { success: true, flight_id, available_seats };
    },
  );

  app.post(
    "/api/flights/seats/increment",
    { config: { access: "service" }, schema: { body: FlightSeats, response: { 200: SeatChangeResult, ...Errors } } },
    async (request) => {
      const { flight_id, seats, date } = request.body;
      const available_seats = await app.inventory.increment(flight_id, seats, date);
      return { success: true, flight_id, available_seats };
    },
  );
};
