// The cabin layout of every flight, derived from total_seats alone: rows of six seats lettered
// A–F (A and F by the window, C and D by the aisle), numbered from 1; the last row holds what is
// left over, from A on. 180 seats are rows 1–30, A–F; 100 seats end with 17A–17D. flight-svc
// draws seat maps with it, booking-svc checks a requested seat against it.

export const SEAT_LETTERS = ["A", "B", "C", "D", "E", "F"] as const;

const SEAT_LABEL = /^([1-9][0-9]{0,2})([A-F])$/;

export interface SeatRow {
  row: number;
  seats: string[];
}

/** The rows of a flight with `totalSeats` seats, front to back. */
export function seatRows(totalSeats: number): SeatRow[] {
  const rows: SeatRow[] = [];
  for (let row = 1; (row - 1) * SEAT_LETTERS.length < totalSeats; row++) {
    const left = totalSeats - (row - 1) * SEAT_LETTERS.length;
    rows.push({ row, seats: SEAT_LETTERS.slice(0, Math.min(left, SEAT_LETTERS.length)).map((l) => `${row}${l}`) });
  }
  return rows;
}

/** Every seat label of a flight, front to back and A to F within a row. */
export function seatLabels(totalSeats: number): string[] {
  return seatRows(totalSeats).flatMap((r) => r.seats);
}

/** Whether `seat` (e.g. "12C") exists on a flight with `totalSeats` seats. */
export function isSeat(seat: string, totalSeats: number): boolean {
  const m = SEAT_LABEL.exec(seat);
  if (!m) return false;
  const index = (Number(m[1]) - 1) * SEAT_LETTERS.length + SEAT_LETTERS.indexOf(m[2] as (typeof SEAT_LETTERS)[number]);
  return index < totalSeats;
}
