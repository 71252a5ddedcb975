import t from "tap";
import { within } from "../../lib/within.js";

const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

t.test("the work's value when it settles first, and no timer left running", async (t) => {
  const before = timers();
  t.equal(await within(Promise.resolve(7), 60_000, "late"), 7);
  t.equal(timers(), before, "the 60 s timer was cleared");
});

t.test("the late value when the deadline comes first", async (t) => {
  const never = new Promise<number>(() => {});
  t.equal(await within(never, 20, "late"), "late");
});

t.test("the work's failure when it fails first, and no timer left running", async (t) => {
  const before = timers();
  await t.rejects(within(Promise.reject(new Error("refused")), 60_000, "late"), { message: "refused" });
  t.equal(timers(), before, "the 60 s timer was cleared");
});
