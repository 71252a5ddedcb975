import t from "tap";
import { milesBackFor, milesFor } from "../../../booking-svc/clients/miles-client.js";

// Debits round up and part refunds round down, so that no sequence of cheaper changes gives back
// more miles than were debited; what is kept back comes back when the booking is cancelled.

t.test("a debit takes every started mile, a part refund gives back whole miles only", async (t) => {
  t.equal(milesFor(100.01, 1), 101);
  t.equal(milesBackFor(100.01, 1), 100);
  t.equal(milesFor(0.1, 3), 1, "0.3 is one started mile");
  t.equal(milesBackFor(0.3, 1), 0, "less than a mile gives back nothing");
  t.equal(milesFor(33.33, 0.5), 17);
  t.equal(milesBackFor(33.33, 0.5), 16);
  t.equal(milesFor(120, 0.5), 60);
  t.equal(milesBackFor(120, 0.5), 60, "whole miles both ways when nothing is rounded");
});

t.test("the parts of any split of a debit never give back more than it took", async (t) => {
  const rates = [1, 0.5, 1.2345, 3, 0.0001, 7.77];
  for (const rate of rates) {
    for (let debitCents = 1; debitCents <= 2_000; debitCents += 7) {
      const debit = milesFor(debitCents / 100, rate);
      // Split the debit's amount into uneven parts: each refunded on its own, then the sum checked.
      let left = debitCents;
      let given = 0;
      for (let part = 3; left > 0; part = part * 2 + 1) {
        const cents = Math.min(part, left);
        given += milesBackFor(cents / 100, rate);
        left -= cents;
      }
      if (given > debit) t.fail(`${debitCents} cents at ${rate}: ${given} miles back of ${debit}`);
    }
  }
  t.pass("no split exceeded its debit");
});
