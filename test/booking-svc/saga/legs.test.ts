import t from "tap";
import { checkLegs, totalAmount } from "../../../booking-svc/saga/legs.js";
import type { Flight } from "../../../contracts/flight-svc/flights.js";

function flight(id: number, source: string, destination: string, dep: string, arr: string, over = {}): Flight {
  return {
    id,
    flight_number: `AI${id}`,
    airline: "Air India",
    source,
    destination,
    departure_time: dep,
    arrival_time: arr,
    total_seats: 180,
    booked_seats: 0,
    price: 100.1,
    status: "scheduled",
    available_seats: 10,
    ...over,
  };
}

const DEL_BOM = flight(1, "DEL", "BOM", "2024-02-15T08:00:00Z", "2024-02-15T10:30:00Z", { price: 8500 });
const BOM_BLR = flight(6, "BOM", "BLR", "2024-02-15T11:30:00Z", "2024-02-15T13:00:00Z", { price: 6500.25 });
const HYD_BLR = flight(9, "HYD", "BLR", "2024-02-15T11:30:00Z", "2024-02-15T12:30:00Z");
const BOM_BLR_EARLY = flight(7, "BOM", "BLR", "2024-02-15T10:00:00Z", "2024-02-15T11:30:00Z");

const MIN_CONNECTION = 45;

const req = (ids: number[], over = {}) => ({
  flightIds: ids,
  field: ids.length === 1 ? ("flight_id" as const) : ("flight_ids" as const),
  seats: 2,
  date: "2024-02-15",
  ...over,
});

t.test("a chained itinerary is priced per seat, in cents", async (t) => {
  t.same(checkLegs(req([1, 6]), [DEL_BOM, BOM_BLR], MIN_CONNECTION), {
    ok: true,
    legs: [
      { flightId: 1, price: 8500 },
      { flightId: 6, price: 6500.25 },
    ],
    totalAmount: 30000.5,
  });
  t.equal(totalAmount([0.1, 0.2], 3), 0.9, "no binary drift");
});

t.test("an unknown flight is invalid input, named by the client's own field", async (t) => {
  t.same(checkLegs(req([99]), [null], MIN_CONNECTION), {
    ok: false,
    totalAmount: 0,
    failure: { error: "validation_error", message: "Flight 99 does not exist.", field: "flight_id" },
  });
  const r = checkLegs(req([1, 98]), [DEL_BOM, null], MIN_CONNECTION);
  t.equal(!r.ok && r.failure.field, "flight_ids[1]");
});

t.test("date must be the first leg's UTC departure date", async (t) => {
  const late = flight(3, "DEL", "BOM", "2024-02-15T23:30:00-02:00", "2024-02-16T03:00:00Z");
  const r = checkLegs(req([3]), [late], MIN_CONNECTION);
  t.equal(!r.ok && r.failure.field, "date");
  t.match(!r.ok && r.failure.message, /2024-02-16, UTC/);
  t.ok(checkLegs(req([3], { date: "2024-02-16" }), [late], MIN_CONNECTION).ok);
});

t.test("legs must chain: same airport, departing after the previous lands", async (t) => {
  const wrongAirport = checkLegs(req([1, 9]), [DEL_BOM, HYD_BLR], MIN_CONNECTION);
  t.same(!wrongAirport.ok && wrongAirport.failure, {
    error: "validation_error",
    message: "Flight 9 departs from HYD, not from BOM where flight 1 arrives.",
    field: "flight_ids",
  });
  const tooEarly = checkLegs(req([1, 7]), [DEL_BOM, BOM_BLR_EARLY], MIN_CONNECTION);
  t.equal(!tooEarly.ok && tooEarly.failure.message, "Flight 7 departs before flight 1 lands.");
});

t.test("a connection shorter than MIN_CONNECTION_MINUTES is refused, as search never offers it", async (t) => {
  const tight = flight(7, "BOM", "BLR", "2024-02-15T10:50:00Z", "2024-02-15T12:20:00Z");
  const short = checkLegs(req([1, 7]), [DEL_BOM, tight], MIN_CONNECTION);
  t.same(!short.ok && short.failure, {
    error: "validation_error",
    message: "Flight 7 departs 20 minutes after flight 1 lands; a connection needs at least 45.",
    field: "flight_ids",
  });
  const justEnough = flight(7, "BOM", "BLR", "2024-02-15T11:15:00Z", "2024-02-15T12:45:00Z");
  t.ok(checkLegs(req([1, 7]), [DEL_BOM, justEnough], MIN_CONNECTION).ok, "exactly the minimum connects");
  t.ok(checkLegs(req([1, 7]), [DEL_BOM, tight], 0).ok, "MIN_CONNECTION_MINUTES=0 takes any later departure");
  const minuteAndAHalf = flight(7, "BOM", "BLR", "2024-02-15T10:31:30Z", "2024-02-15T12:00:00Z");
  const oneMinute = checkLegs(req([1, 7]), [DEL_BOM, minuteAndAHalf], MIN_CONNECTION);
  t.match(!oneMinute.ok && oneMinute.failure.message, /departs 1 minute after flight 1 lands/);
});

t.test("a cancelled flight and too few free seats are conflicts", async (t) => {
  const cancelled = checkLegs(req([1, 6]), [DEL_BOM, { ...BOM_BLR, status: "cancelled" }], MIN_CONNECTION);
  t.same(!cancelled.ok && cancelled.failure, { error: "flight_cancelled", message: "Flight 6 is cancelled." });
  const full = checkLegs(req([1]), [{ ...DEL_BOM, available_seats: 1 }], MIN_CONNECTION);
  t.same(!full.ok && full.failure, {
    error: "not_enough_seats",
    message: "Flight 1 has 1 seats left; 2 requested.",
  });
  t.equal(full.totalAmount, 17000, "the failed booking still shows what it would have cost");
});
