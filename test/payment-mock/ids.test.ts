import t from "tap";
import { IdSource, isoNow } from "../../payment-mock/ids.js";

t.test("ids are unique within a source and across sources", async (t) => {
  const a = new IdSource();
  const b = new IdSource();
  const ids = new Set<string>();
  for (let i = 0; i < 1_000; i++) {
    ids.add(a.next("pay"));
    ids.add(b.next("pay"));
  }
  t.equal(ids.size, 2_000);
  t.match(a.next("ref"), /^ref_[0-9a-f]{12}_\d+$/);
});

t.test("isoNow is the current time in ISO 8601", async (t) => {
  const before = Date.now();
  const iso = isoNow();
  t.match(iso, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  t.ok(Date.parse(iso) >= before && Date.parse(iso) <= Date.now());
  await new Promise((resolve) => setTimeout(resolve, 5));
  t.ok(Date.parse(isoNow()) > Date.parse(iso), "it moves on");
});
