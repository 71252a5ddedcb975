/** One row of the flights table as the demo data makes it; `id` only where it is fixed (the sample). */
export interface FlightRow {
  id?: number;
  flight_number: string;
  airline: string;
  source: string;
  destination: string;
  departure_time: Date;
  arrival_time: Date;
  total_seats: number;
  booked_seats: number;
  price: number;
  status: "scheduled" | "delayed" | "cancelled";
}
