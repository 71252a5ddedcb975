import t from "tap";
import { splitLegs, withOwnSeats } from "../../../booking-svc/change/kept-legs.js";
import type { Flight } from "../../../contracts/flight-svc/flights.js";

t.test("legs are kept by flight id, in the new order; the rest are added or dropped", async (t) => {
  t.same(splitLegs([1, 2], [1, 3]), { kept: [1], added: [3], dropped: [2] });
  t.same(splitLegs([1], [1, 3]), { kept: [1], added: [3], dropped: [] });
  t.same(splitLegs([1, 2], [1]), { kept: [1], added: [], dropped: [2] });
  t.same(splitLegs([1, 2], [3, 4]), { kept: [], added: [3, 4], dropped: [1, 2] });
  t.same(splitLegs([2, 5, 1], [1, 5, 7]), { kept: [1, 5], added: [7], dropped: [2] });
});

t.test("on a kept leg the booking's own seats count as free; other legs and unknown flights as they are", async (t) => {
  const flight = (id: number, available_seats: number) => ({ id, available_seats }) as Flight;
  const out = withOwnSeats([flight(1, 0), flight(3, 4), null], [1], 2);
  t.same(
    out.map((f) => f?.available_seats ?? null),
    [2, 4, null],
  );
});
