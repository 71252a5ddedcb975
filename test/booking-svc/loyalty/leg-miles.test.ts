import t from "tap";
import { distanceMiles, legMiles } from "../../../booking-svc/flown/leg-miles.js";

t.test("great-circle distances in statute miles from the airports dataset", async (t) => {
  // JFK–LHR is 5,540 km (3,442 statute miles) by the published great-circle figure.
  t.ok(Math.abs((distanceMiles("JFK", "LHR") as number) - 3442) < 2);
  t.equal(distanceMiles("LHR", "JFK"), distanceMiles("JFK", "LHR"), "the same both ways");
  t.equal(distanceMiles("DEL", "DEL"), 0);
  t.equal(distanceMiles("DEL", "QQQ"), null, "an airport outside the dataset has no distance");
});

t.test("a leg's miles are its distance × seats, rounded once", async (t) => {
  t.equal(legMiles(706.39, 2), 1413, "not 2 × 706");
  t.equal(legMiles(706.39, 1), 706);
  t.equal(legMiles(0, 3), 0);
});
