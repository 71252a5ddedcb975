import t from "tap";
import { operationOf } from "../../../booking-svc/clients/breaker.js";

t.test("calls share a breaker by method and the first three path segments, ids and query left out", async (t) => {
  t.equal(operationOf("POST", "/api/payments/process"), "POST /api/payments/process");
  t.equal(operationOf("GET", "/api/payments/by-key/booking-7"), "GET /api/payments/by-key");
  t.equal(operationOf("GET", "/api/payments/by-key/booking-8?x=1"), "GET /api/payments/by-key");
  t.equal(operationOf("POST", "/api/flights/holds/bk-1/confirm"), "POST /api/flights/holds");
  t.equal(operationOf("DELETE", "/api/flights/holds/bk-1"), "DELETE /api/flights/holds");
  t.not(operationOf("GET", "/api/payments/by-key/a"), operationOf("POST", "/api/payments/process"));
});

// A flight's id comes before the third segment: one breaker (and one metric series) per flight
// grew without bound, and a flight-svc failing for every flight never opened any of them.
t.test("a flight id within the first three segments is left out too", async (t) => {
  t.equal(operationOf("GET", "/api/flights/9017"), "GET /api/flights/:id");
  t.equal(operationOf("GET", "/api/flights/9018"), "GET /api/flights/:id");
  t.equal(operationOf("POST", "/api/flights/9017/seat-assignments"), "POST /api/flights/:id/seat-assignments");
  t.equal(
    operationOf("GET", "/api/flights/9018/seat-assignments?booking_id=3"),
    "GET /api/flights/:id/seat-assignments",
  );
  t.equal(operationOf("POST", "/api/loyalty/entries/12/refund"), "POST /api/loyalty/entries");
});
