/** The seat counter of the original's stand-in (bench/lib/stand-in.ts); the bench sets it before each workload. */
export const seatKey = (flightId: number) => `original:seats:${flightId}`;
