import type { FastifyInstance } from "fastify";
import t from "tap";
import { type Account, type Auth, startAuth } from "../../helpers/auth.js";

// An admin's adjustment as the admin sends it: a retry with the same Idempotency-Key (theirs, or
// the cluster gateway's after an instance died on it) is the same adjustment, and a refusal says
// what to fix.

interface Ctx {
  auth: Auth;
  app: FastifyInstance;
  ada: Account;
  root: Account;
}

async function setup(t: { teardown: (fn: () => unknown) => void }): Promise<Ctx> {
  const auth = await startAuth(t);
  return { auth, app: auth.app, ada: await auth.customer("ada"), root: await auth.admin() };
}

const adjust = (c: Ctx, body: object, key?: string, userId = c.ada.userId) =>
  c.app.inject({
    method: "POST",
    url: `/api/loyalty/${userId}/adjust`,
    payload: body,
    headers: { ...c.root.headers, ...(key === undefined ? {} : { "idempotency-key": key }) },
  });
const statement = async (c: Ctx) =>
  (await c.app.inject({ url: "/api/loyalty/me", headers: c.ada.headers })).json() as {
    balance: number;
    entries: { id: number; miles: number }[];
  };

t.test("an adjustment retried with the same Idempotency-Key is made once and answered again", async (t) => {
  const c = await setup(t);
  const body = { miles: 900, reason: "partner flight, ticket 17" };
  const first = await adjust(c, body, "adj-17");
  t.equal(first.statusCode, 201);
  t.match(first.json(), { entry: { kind: "adjust", miles: 900 }, balance: 900 });
  t.notOk(first.headers["idempotent-replayed"]);

  const again = await adjust(c, body, "adj-17");
  t.equal(again.statusCode, 201);
  t.equal(again.headers["idempotent-replayed"], "true");
  t.same(again.json(), first.json(), "the first adjustment, not a second one");

  const twins = await Promise.all(
    [1, 2, 3, 4].map(() => adjust(c, { miles: -300, reason: "double credit" }, "adj-18")),
  );
  t.same(new Set(twins.map((r) => r.statusCode)), new Set([201]));
  t.equal(new Set(twins.map((r) => r.json().entry.id)).size, 1, "concurrent retries make one entry");

  const s = await statement(c);
  t.equal(s.balance, 600);
  t.same(
    s.entries.map((e) => e.miles),
    [-300, 900],
  );
});

t.test("an Idempotency-Key used with another body is refused and moves nothing", async (t) => {
  const c = await setup(t);
  await adjust(c, { miles: 500, reason: "goodwill" }, "adj-1");
  for (const body of [
    { miles: 501, reason: "goodwill" },
    { miles: 500, reason: "goodwill, again" },
  ]) {
    const res = await adjust(c, body, "adj-1");
    t.equal(res.statusCode, 422, JSON.stringify(body));
    t.same(res.json(), {
      error: "idempotency_key_reused",
      message: "This Idempotency-Key was used with a different request body.",
    });
  }
  t.equal((await statement(c)).balance, 500);
});

t.test("an Idempotency-Key belongs to one account: another account's adjustment with it is its own", async (t) => {
  const c = await setup(t);
  const bobId = (await c.auth.customer("bob")).userId;
  const body = { miles: 40, reason: "survey" };
  t.equal((await adjust(c, body, "survey-1")).statusCode, 201);
  const other = await adjust(c, body, "survey-1", bobId);
  t.equal(other.statusCode, 201);
  t.notOk(other.headers["idempotent-replayed"]);
  t.equal(other.json().balance, 40);
});

t.test("without an Idempotency-Key each adjustment is a new one", async (t) => {
  const c = await setup(t);
  const body = { miles: 10, reason: "two separate gifts" };
  await adjust(c, body);
  await adjust(c, body);
  t.equal((await statement(c)).balance, 20);
  const bad = await adjust(c, body, "has space");
  t.equal(bad.statusCode, 400);
  t.equal(bad.json().field, "idempotency-key");
});

t.test("an adjustment below zero says what the account has and what was asked", async (t) => {
  const c = await setup(t);
  await adjust(c, { miles: 200, reason: "goodwill" });
  const res = await adjust(c, { miles: -201, reason: "too much" });
  t.equal(res.statusCode, 402);
  t.same(res.json(), {
    error: "insufficient_miles",
    message: `User ${c.ada.userId} has 200 miles; the adjustment takes away 201.`,
    field: "miles",
    balance: 200,
    miles: -201,
  });
  t.equal((await statement(c)).balance, 200);
});

t.test(
  "a blank reason, or one with a control character, is refused: the ledger keeps why its miles moved",
  async (t) => {
    const c = await setup(t);
    for (const reason of [" ", "\t\n  ", "goodwill\u001b[2J"]) {
      const res = await adjust(c, { miles: 10, reason });
      t.equal(res.statusCode, 400, JSON.stringify(reason));
      t.same(res.json(), {
        error: "validation_error",
        message: "reason must have a visible character and no control characters (tab, line break…)",
        field: "reason",
      });
    }
    t.equal((await statement(c)).balance, 0);
  },
);
