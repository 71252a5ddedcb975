import t from "tap";
import { fromCents, toCents } from "../../lib/money.js";

t.test("amounts with at most two decimals become exact cents", async (t) => {
  t.equal(toCents(0.29), 29);
  t.equal(toCents(1250.5), 125050);
  t.equal(toCents(0.01), 1);
  t.equal(toCents(9999999.99), 999999999);
  t.equal(toCents(8500), 850000);
});

t.test("a third decimal is refused", async (t) => {
  t.equal(toCents(1.005), null);
  t.equal(toCents(0.001), null);
  t.equal(toCents(12.345), null);
});

t.test("cents sum exactly where floats would not", async (t) => {
  t.not(0.1 + 0.2, 0.3);
  t.equal(fromCents((toCents(0.1) as number) + (toCents(0.2) as number)), 0.3);
});
