import t from "tap";
import { fileAuth } from "../../helpers/auth.js";
import { startSystem } from "../../helpers/system.js";

// A passenger's name is printed on their boarding pass and is how a check-in names them: one
// that is only white space names nobody, and is refused before any seat is held or money taken.

const auth = await fileAuth();
const sys = await startSystem(t, [{ total: 50, price: 100 }], { auth });
const [F] = sys.flightIds as [number];

/** Two seats on the flight for these passengers, booked as the account of `headers`. */
const bookFor = (passengers: { name: string; email: string }[], headers: Record<string, string>) =>
  sys.bookingCall("POST", "/api/bookings", { flight_id: F, seats: 2, date: "2024-02-15", passengers }, headers);

t.test(
  "a passenger name of white space alone, or with a control character, is 400 naming that passenger's name; nothing is booked",
  async (t) => {
    const asha = await auth.customer("asha");
    for (const blank of [" ", "   ", "\t", "\u00a0\u3000", "", "Ravi\nKumar", "Ravi\u0007"]) {
      const r = await bookFor(
        [
          { name: "Asha Rao", email: "asha@example.com" },
          { name: blank, email: "ravi@example.com" },
        ],
        asha.headers,
      );
      t.match(
        r,
        { status: 400, body: { error: "validation_error", field: "passengers[1].name" } },
        JSON.stringify(blank),
      );
      t.notOk(r.body.booking_id, "no booking is recorded");
    }
    const list = await sys.bookingCall("GET", "/api/bookings", undefined, asha.headers);
    t.same(list.body.bookings, [], "asha has no booking");
    const flight = await sys.flightCall("GET", `/api/flights/${F}`);
    t.equal(flight.body.available_seats, 50, "no seat was taken");
  },
);

t.test("a name with spaces around it, or one letter, is a name", async (t) => {
  const ravi = await auth.customer("ravi");
  const r = await bookFor(
    [
      { name: " Ravi ", email: "ravi@example.com" },
      { name: "Q", email: "q@example.com" },
    ],
    ravi.headers,
  );
  t.match(r, { status: 200, body: { status: "confirmed" } });
});
