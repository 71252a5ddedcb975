import type { FlightRow } from "./flight-row.js";

// The original's sample schedule (DESIGN.md): 2024-02-15, 180 seats each, times in UTC. The
// demo data always holds it with these ids, so that documented examples work.
const SAMPLE: readonly [number, string, string, string, string, string, number, number][] = [
  [1, "AI101", "DEL", "BOM", "08:00", "10:30", 50, 8500],
  [2, "AI102", "DEL", "BOM", "14:00", "16:30", 30, 9200],
  [3, "AI103", "DEL", "BOM", "20:00", "22:30", 80, 7800],
  [4, "AI201", "DEL", "BLR", "09:00", "12:00", 40, 12000],
  [5, "AI202", "DEL", "BLR", "15:00", "18:00", 60, 13500],
  [6, "AI301", "BOM", "BLR", "10:00", "11:30", 25, 6500],
  [7, "AI302", "BOM", "BLR", "16:00", "17:30", 45, 7200],
  [8, "AI401", "DEL", "HYD", "07:00", "09:00", 20, 9500],
  [9, "AI402", "HYD", "BLR", "10:30", "11:30", 35, 5500],
  [10, "AI403", "BOM", "HYD", "08:30", "10:00", 30, 6800],
  [11, "AI404", "HYD", "BLR", "11:00", "12:00", 25, 5500],
  [12, "AI405", "DEL", "CCU", "06:00", "08:00", 15, 11000],
  [13, "AI406", "CCU", "BLR", "09:30", "12:30", 20, 8500],
  [14, "AI501", "BOM", "DEL", "11:00", "13:30", 40, 8500],
  [15, "AI502", "BLR", "DEL", "13:00", "16:00", 35, 12000],
  [16, "AI503", "BLR", "BOM", "12:00", "13:30", 30, 6500],
];

export const SAMPLE_DATE = "2024-02-15";

export const SAMPLE_FLIGHTS: readonly Readonly<FlightRow>[] = SAMPLE.map(
  ([id, flight_number, source, destination, dep, arr, booked_seats, price]) => ({
    id,
    flight_number,
    airline: "Air India",
    source,
    destination,
    departure_time: new Date(`${SAMPLE_DATE}T${dep}:00Z`),
    arrival_time: new Date(`${SAMPLE_DATE}T${arr}:00Z`),
    total_seats: 180,
    booked_seats,
    price,
    status: "scheduled",
  }),
);
