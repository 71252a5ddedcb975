import { type Static, Type } from "@sinclair/typebox";
import { ErrorBody } from "../lib/errors.js";
import { Id, Money, PAYMENT_TYPES } from "../lib/input-schemas.js";
import { MAX_AMOUNT } from "../lib/money.js";
import { TIMEOUT_OUTCOMES } from "./config.js";
import { MAX_SEED } from "./prng.js";
import { OUTCOMES } from "./types.js";

// An enum as `enum` rather than anyOf: Ajv then says "must be equal to one of the allowed values".
function StringEnum<T extends string>(values: readonly T[]) {
  return Type.Unsafe<T>({ type: "string", enum: [...values] });
}

const Amount = Money(MAX_AMOUNT);
const Key = Type.String({ minLength: 1, maxLength: 255, pattern: "^[\\x21-\\x7e]+$" });

export const ProcessBody = Type.Object(
  { booking_id: Id, amount: Amount, user_id: Id, payment_type: StringEnum(PAYMENT_TYPES) },
  { additionalProperties: false },
);
export type ProcessBody = Static<typeof ProcessBody>;

export const ProcessHeaders = Type.Object({
  "idempotency-key": Type.Optional(Key),
  "x-mock-outcome": Type.Optional(StringEnum(OUTCOMES)),
});
export const KeyHeaders = Type.Object({ "idempotency-key": Type.Optional(Key) });

/** success has created_at, a decline has decline_code; both have the rest. */
export const ProcessReply = Type.Object({
  payment_id: Type.String(),
  booking_id: Type.Integer(),
  amount: Type.Number(),
  status: StringEnum(["success", "failed"] as const),
  decline_code: Type.Optional(Type.String()),
  message: Type.String(),
  created_at: Type.Optional(Type.String()),
});

export const PaymentReply = Type.Object({
  payment_id: Type.String(),
  booking_id: Type.Integer(),
  user_id: Type.Integer(),
  amount: Type.Number(),
  payment_type: Type.String(),
  status: StringEnum(["success", "failed"] as const),
  decline_code: Type.Optional(Type.String()),
  refunded_amount: Type.Number(),
  idempotency_key: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
});

/** Payment ids as payment-mock makes them (pay_<hex>_<n>). */
const PaymentId = Type.String({ pattern: "^[A-Za-z0-9_-]{1,100}$" });

export const PaymentIdParams = Type.Object({ payment_id: PaymentId });
export const KeyParams = Type.Object({ key: Key });

export const RefundBody = Type.Object(
  { payment_id: PaymentId, amount: Type.Optional(Amount) },
  { additionalProperties: false },
);
export const RefundReply = Type.Object({
  refund_id: Type.String(),
  payment_id: Type.String(),
  amount: Type.Number(),
  refunded_amount: Type.Number(),
  status: Type.Literal("refunded"),
  created_at: Type.String(),
});

const Counted = Type.Object({ count: Type.Integer(), amount: Type.Number() });
export const StatsReply = Type.Object({
  success: Counted,
  failed: Counted,
  timeout: Type.Object({ count: Type.Integer(), processed: Type.Integer() }),
  refunds: Counted,
  net_amount: Type.Number(),
});

const Rate = Type.Number({ minimum: 0, maximum: 1 });
const Ms = Type.Integer({ minimum: 0, maximum: 600_000 });
// type ["integer", "null"] keeps a JSON null as null (coercion would turn it into 0 under anyOf).
const Seed = Type.Unsafe<number | null>({ type: ["integer", "null"], minimum: 0, maximum: MAX_SEED });

export const ConfigReply = Type.Object({
  failure_rate: Type.Number(),
  timeout_rate: Type.Number(),
  latency_min_ms: Type.Integer(),
  latency_max_ms: Type.Integer(),
  timeout_delay_ms: Type.Integer(),
  timeout_outcome: StringEnum(TIMEOUT_OUTCOMES),
  seed: Seed,
});
export const ConfigPatch = Type.Object(
  {
    failure_rate: Type.Optional(Rate),
    timeout_rate: Type.Optional(Rate),
    latency_ms: Type.Optional(Ms),
    latency_min_ms: Type.Optional(Ms),
    latency_max_ms: Type.Optional(Ms),
    timeout_delay_ms: Type.Optional(Ms),
    timeout_outcome: Type.Optional(StringEnum(TIMEOUT_OUTCOMES)),
    seed: Type.Optional(Seed),
  },
  { additionalProperties: false },
);

/** The 408 of a timeout: an error body that also says status "timeout". */
export const TimeoutReply = Type.Object({
  error: Type.Literal("payment_timeout"),
  status: Type.Literal("timeout"),
  message: Type.String(),
});

export const Errors = { "4xx": ErrorBody, "5xx": ErrorBody } as const;
