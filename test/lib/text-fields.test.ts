import t from "tap";
import { CheckInBody } from "../../booking-svc/check-in/schemas.js";
import { CreateBody } from "../../booking-svc/schemas.js";
import { FlightCreate } from "../../flight-svc/flights/schemas.js";
import { inputProblem } from "../../mcp/input-check.js";
import { AdjustBody } from "../../user-svc/loyalty/schemas.js";
import { RegisterBody } from "../../user-svc/schemas.js";
import { NEW_FLIGHT } from "../helpers/new-flight.js";

// Every free-text field a person reads is refused blank or with a control character, naming the
// field, in the words the routes use (mcp/input-check.ts validates with the routes' formats).

const NOT_TEXT = [
  "",
  " ",
  "\t",
  "\u00a0\u3000",
  "Air\nIndia",
  "Air\rIndia",
  "Air\u001b[31mIndia",
  "A\u007fB",
  "A\u0085B",
];
const MESSAGE = "must have a visible character and no control characters (tab, line break…)";

const passenger = { name: "Asha Rao", email: "asha@example.com" };
const cases = [
  { schema: FlightCreate, valid: NEW_FLIGHT, field: "airline", set: (v: string) => ({ ...NEW_FLIGHT, airline: v }) },
  {
    schema: CreateBody,
    valid: { flight_id: 1, seats: 1, date: "2024-02-15", passengers: [passenger] },
    field: "passengers[0].name",
    set: (v: string) => ({ flight_id: 1, seats: 1, date: "2024-02-15", passengers: [{ ...passenger, name: v }] }),
  },
  {
    schema: CreateBody,
    valid: { flight_id: 1, seats: 1, date: "2024-02-15", passengers: [passenger] },
    field: "passengers[0].email",
    set: (v: string) => ({
      flight_id: 1,
      seats: 1,
      date: "2024-02-15",
      passengers: [{ ...passenger, email: `as${v}ha@example.com` }],
    }),
  },
  {
    schema: CheckInBody,
    valid: { seats: [{ passenger: "Asha Rao", flight_id: 1, seat: "1A" }] },
    field: "seats[0].passenger",
    set: (v: string) => ({ seats: [{ passenger: v, flight_id: 1, seat: "1A" }] }),
  },
  {
    schema: AdjustBody,
    valid: { miles: 10, reason: "goodwill" },
    field: "reason",
    set: (v: string) => ({ miles: 10, reason: v }),
  },
  {
    schema: RegisterBody,
    valid: { username: "asha", email: "asha@example.com", password: "correct horse" },
    field: "email",
    set: (v: string) => ({ username: "asha", email: `as${v}ha@example.com`, password: "correct horse" }),
  },
];

for (const { schema, valid, field, set } of cases) {
  t.test(`${field}: blank text or a control character is refused naming it`, async (t) => {
    t.equal(inputProblem(schema, structuredClone(valid)), null, "the valid body passes");
    for (const v of NOT_TEXT) {
      // An email has no blanks to give: white space inside it is its pattern's refusal.
      if (field.endsWith("email") && v.trim() === "") continue;
      const problem = inputProblem(schema, set(v));
      t.ok(problem, JSON.stringify(v));
      t.equal(problem?.field, field, JSON.stringify(v));
    }
    const control = inputProblem(schema, set("A\u0001B"));
    t.same(control, { field, message: `${field} ${MESSAGE}` });
  });
}

t.test("text with spaces around it, accents and emoji is text", async (t) => {
  for (const v of [" Ravi ", "Q", "Zoë Ōtsuka", "José 🙂"]) {
    t.equal(inputProblem(FlightCreate, { ...NEW_FLIGHT, airline: v }), null, JSON.stringify(v));
  }
});
