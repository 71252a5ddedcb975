import t from "tap";
import { newHoldNonce } from "../../booking-svc/hold-ids.js";

t.test("hold nonces are 16 hex digits and never repeat, across refills of their pool", async (t) => {
  const n = 5_000;
  const nonces = Array.from({ length: n }, () => newHoldNonce());
  t.ok(
    nonces.every((x) => /^[0-9a-f]{16}$/.test(x)),
    "16 hex digits each",
  );
  t.equal(new Set(nonces).size, n, "all distinct");
});
