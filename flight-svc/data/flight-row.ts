import type { FlightStatus, FlightRow as StoredFlightRow } from "../search/flight-record.js";

/**
 * One row of the flights table as the demo data writes it: the row flight-svc reads, with the
 * number types it is written with, and `id` only where it is fixed (the sample).
 */
export type FlightRow = Omit<StoredFlightRow, "id" | "price" | "status"> & {
  id?: number;
  price: number;
  status: FlightStatus;
};
