// A flight as the search engine holds it: display fields for responses plus the integer
// fields the engine compares (minutes since the epoch, price in cents, airport numbers).

import { utcDayNumber } from "../../lib/calendar-date.js";

export type FlightStatus = "scheduled" | "delayed" | "cancelled";

export interface FlightRecord {
  /** Position in the index's flight table; stable for the life of the index. */
  slot: number;
  id: number;
  flightNumber: string;
  airline: string;
  source: string;
  destination: string;
  /** Airport numbers of source and destination in the index. */
  src: number;
  dst: number;
  /** Minutes since the epoch (UTC). */
  dep: number;
  arr: number;
  priceCents: number;
  totalSeats: number;
  bookedSeats: number;
  status: FlightStatus;
  /** This flight's JSON up to its live seat count, built on first use, reset by any change. */
  json: string | null;
}

/** A flights_db row as postgres.js returns it (bigint ids arrive as strings). */
export interface FlightRow {
  id: number | string;
  flight_number: string;
  airline: string;
  source: string;
  destination: string;
  departure_time: Date;
  arrival_time: Date;
  total_seats: number;
  booked_seats: number;
  price: number | string;
  status: string;
}

export const MINUTE_MS = 60_000;
export const DAY_MINUTES = 1_440;
/** The longest a flight may take: the longest non-stop flights take under 20 hours. */
export const MAX_FLIGHT_MINUTES = 48 * 60;

export const toMinutes = (d: Date): number => Math.floor(d.getTime() / MINUTE_MS);
export const toCents = (price: number | string): number => Math.round(Number(price) * 100);

/** `2024-02-15T08:00:00Z`: the API's time format. */
export function isoMinutes(minutes: number): string {
  return `${new Date(minutes * MINUTE_MS).toISOString().slice(0, 19)}Z`;
}

/** Minutes since the epoch of 00:00 UTC on a YYYY-MM-DD date, or null for an impossible date. */
export function dayStartMinutes(date: string): number | null {
  const day = utcDayNumber(date);
  return day === null ? null : day * DAY_MINUTES;
}
