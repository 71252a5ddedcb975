import type { TObject } from "@sinclair/typebox";
import t from "tap";
import { FlightReadRefusal, ValidationRefusal } from "../../contracts/flight-svc/flights.js";
import { ConfirmRefusal, HoldRefusal, ReleaseRefusal } from "../../contracts/flight-svc/holds.js";
import { ProcessRefusal, RefundRefusal } from "../../contracts/payment-mock/payments.js";
import { DebitRefusal, RefundRefusal as MilesRefundRefusal } from "../../contracts/user-svc/loyalty.js";
import { CATALOGUE } from "../../lib/errors.js";

const refusals: Record<string, TObject> = {
  FlightReadRefusal,
  ValidationRefusal,
  HoldRefusal,
  ConfirmRefusal,
  ReleaseRefusal,
  ProcessRefusal,
  RefundRefusal,
  DebitRefusal,
  MilesRefundRefusal,
};

t.test("every error code a contract documents is in the catalogue, so it has a status and a message", async (t) => {
  for (const [name, schema] of Object.entries(refusals)) {
    const codes = (schema.properties.error as unknown as { enum: string[] }).enum;
    t.ok(codes.length > 0, `${name} lists its codes`);
    for (const code of codes) t.ok(code in CATALOGUE, `${name}: ${code}`);
  }
});
