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
