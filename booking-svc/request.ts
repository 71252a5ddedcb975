import { validationError } from "../lib/errors.js";
import type { CreateBodyT, Passenger } from "./schemas.js";

/** A booking request in the service's terms. */
export interface CreateBooking {
  userId: number;
  flightIds: number[];
  /** How the client named the flights, so that errors point at its own field. */
  field: "flight_id" | "flight_ids";
  seats: number;
  date: string;
  paymentType: string;
  passengers: Passenger[];
}

/** The checks a schema cannot express, and the body in the service's terms, for `userId`. */
export function toCreateBooking(body: CreateBodyT, userId: number): CreateBooking {
  const { flight_id, flight_ids } = body;
  if ((flight_id === undefined) === (flight_ids === undefined)) {
    throw validationError("flight_id", "Give either flight_id or flight_ids (1 to 4 legs).");
  }
  const passengers = body.passengers ?? [];
  if (body.passengers && passengers.length !== body.seats) {
    throw validationError("passengers", `${passengers.length} passengers given for ${body.seats} seats.`);
  }
  return {
    userId,
    flightIds: flight_ids ?? [flight_id as number],
    field: flight_ids ? "flight_ids" : "flight_id",
    seats: body.seats,
    date: body.date,
    paymentType: body.payment_type,
    passengers: passengers.map((p) => ({ name: p.name, email: p.email })),
  };
}
