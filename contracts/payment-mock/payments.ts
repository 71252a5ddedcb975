import { type Static, Type } from "@sinclair/typebox";
import { IdempotencyKey, IdOf, Money, PAYMENT_TYPES } from "../../lib/input-schemas.js";
import { MAX_AMOUNT } from "../../lib/money.js";
import { Refusal, StringEnum } from "../errors.js";

// payment-mock's charges as booking-svc calls them: charge, look up by key, refund.

const Amount = Money(MAX_AMOUNT);

/** Forced outcomes of POST /api/payments/process (x-mock-outcome) and /simulate/<outcome>. */
export const OUTCOMES = ["success", "failure", "timeout"] as const;

/** POST /api/payments/process; an Idempotency-Key makes a retry answer the first charge. */
export const ProcessRequest = Type.Object(
  {
    booking_id: IdOf("The booking the charge pays for"),
    amount: { ...Amount, description: `Amount to charge, more than 0 and at most ${MAX_AMOUNT}, at most two decimals` },
    user_id: IdOf("The user who pays"),
    payment_type: { ...StringEnum(PAYMENT_TYPES), description: `How the user pays: ${PAYMENT_TYPES.join(", ")}` },
  },
  { additionalProperties: false },
);
export type ProcessRequest = Static<typeof ProcessRequest>;

export const ProcessHeaders = Type.Object({
  "idempotency-key": Type.Optional(IdempotencyKey),
  "x-mock-outcome": Type.Optional({
    ...StringEnum(OUTCOMES),
    description: `Optional: forces the outcome (${OUTCOMES.join(", ")}) instead of the configured rates; /simulate/<outcome> ignores it and forces its own`,
  }),
});

/** 200: success has created_at, a decline (status failed) has decline_code; both have the rest. */
export const ProcessReply = Type.Object({
  payment_id: Type.String(),
  booking_id: Type.Integer(),
  amount: Type.Number(),
  status: StringEnum(["success", "failed"] as const),
  decline_code: Type.Optional(Type.String()),
  message: Type.String(),
  created_at: Type.Optional(Type.String()),
});
export type ProcessReply = Static<typeof ProcessReply>;

/** 408: payment-mock is done with the call; GET /api/payments/by-key/:key tells what it did. */
export const TimeoutReply = Type.Object({
  error: Type.Literal("payment_timeout"),
  status: Type.Literal("timeout"),
  message: Type.String(),
});

/** 400 the charge is invalid; 422 the key (without one, the booking id and amount) was used for another charge. */
export const ProcessRefusal = Refusal(["validation_error", "idempotency_key_reused"], {});

/** GET /api/payments/:payment_id and GET /api/payments/by-key/:key → 200; 404 payment_not_found. */
export const PaymentRecord = Type.Object({
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
export type PaymentRecord = Static<typeof PaymentRecord>;

/** Payment ids as payment-mock makes them (pay_<hex>_<n>). */
const PaymentId = Type.String({ pattern: "^[A-Za-z0-9_-]{1,100}$" });

export const PaymentIdParams = Type.Object({
  payment_id: { ...PaymentId, description: "The payment's id, as the charge answered it (pay_…)" },
});
export const KeyParams = Type.Object({
  key: { ...IdempotencyKey, description: "The Idempotency-Key the charge was made with" },
});

/**
 * POST /api/payments/refund: in full without an amount; a repeated full refund answers the first,
 * while one of a payment that part refunds used up is refused (409 payment_refunded).
 */
export const RefundRequest = Type.Object(
  {
    payment_id: { ...PaymentId, description: "The id of the successful payment to refund (pay_…)" },
    amount: Type.Optional({
      ...Amount,
      description:
        "Optional amount to refund, at most what is left to refund, at most two decimals; default: all that is left",
    }),
  },
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
export type RefundReply = Static<typeof RefundReply>;

/**
 * 404 no such payment; 409 conflict: a failed payment, or more than it has left; 409
 * payment_refunded: a full refund of a payment its part refunds used up.
 */
export const RefundRefusal = Refusal(["validation_error", "payment_not_found", "conflict", "payment_refunded"], {});
