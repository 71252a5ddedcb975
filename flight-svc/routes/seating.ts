import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { bookingRef } from "../../contracts/flight-svc/booking-ref.js";
import {
  LegSeats,
  LegSeatsRequest,
  SeatAssignmentParams,
  SeatAssignmentQuery,
  SeatAssignmentRequest,
  SeatAssignments,
  SeatMap,
} from "../../contracts/flight-svc/seats.js";
import { Errors } from "../inventory/schemas.js";

/** Seat maps (anyone) and check-in seat assignments (booking-svc's alone). */
export const seatingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/api/flights/:id/seatmap",
    { config: { access: "anyone" }, schema: { params: SeatAssignmentParams, response: { 200: SeatMap, ...Errors } } },
    (request) => app.inventory.seating.seatMap(request.params.id),
  );

  app.get(
    "/api/flights/:id/seat-assignments",
    {
      config: { access: "service" },
      schema: {
        params: SeatAssignmentParams,
        querystring: SeatAssignmentQuery,
        response: { 200: SeatAssignments, ...Errors },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { booking_id, hold_nonce } = request.query;
      const ref = bookingRef(booking_id, hold_nonce);
      return { flight_id: id, booking_id, assignments: await app.inventory.seating.ofBooking(id, ref) };
    },
  );

  app.post(
    "/api/flights/:id/seat-assignments",
    {
      config: { access: "service" },
      schema: {
        params: SeatAssignmentParams,
        body: SeatAssignmentRequest,
        response: { 200: SeatAssignments, ...Errors },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { booking_id, hold_nonce, passengers } = request.body;
      const ref = bookingRef(booking_id, hold_nonce);
      return { flight_id: id, booking_id, assignments: await app.inventory.seating.assign(id, ref, passengers) };
    },
  );

  app.post(
    "/api/seat-assignments",
    { config: { access: "service" }, schema: { body: LegSeatsRequest, response: { 200: LegSeats, ...Errors } } },
    async (request) => {
      const { booking_id, hold_nonce, legs } = request.body;
      const wanted = legs.map((l, i) => ({ flightId: l.flight_id, wants: l.passengers, at: `legs[${i}].` }));
      const seats = await app.inventory.seating.assignLegs(bookingRef(booking_id, hold_nonce), wanted);
      return { booking_id, legs: legs.map((l, i) => ({ flight_id: l.flight_id, assignments: seats[i] ?? [] })) };
    },
  );
};
