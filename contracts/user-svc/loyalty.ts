import { type Static, Type } from "@sinclair/typebox";
import { Id, IdOf } from "../../lib/input-schemas.js";
import { ErrorReply, Refusal, StringEnum } from "../errors.js";

// user-svc's loyalty routes that booking-svc calls with its service token: the provider's
// routes (user-svc/routes/loyalty-service.ts) and the consumer's client
// (booking-svc/clients/miles-client.ts) both use these.

export const ENTRY_KINDS = ["earn", "redeem", "refund", "adjust"] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** The largest number of miles one entry moves: far above any fare, well inside bigint and a double. */
export const MAX_ENTRY_MILES = 1_000_000_000;
const Miles = (description: string) =>
  Type.Integer({ minimum: 1, maximum: MAX_ENTRY_MILES, description: `${description}, 1-${MAX_ENTRY_MILES}` });
/** booking-svc's key of the step that debits: a retry with the same key is the same debit. */
export const StepKey = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: "^[A-Za-z0-9_.:-]+$",
  description:
    "booking-svc's key of the step (1-128 letters, digits, _ . : or -): a retry with the same key is the same entry",
});

export const LoyaltyEntry = Type.Object({
  id: Id,
  kind: StringEnum(ENTRY_KINDS),
  miles: Type.Integer(),
  booking_id: Type.Optional(Id),
  at: Type.String({ format: "date-time" }),
  /** An earn entry's leg departure, when booking-svc sent it: the year its tier counts it in. */
  flown_at: Type.Optional(Type.String({ format: "date-time" })),
});
export type LoyaltyEntry = Static<typeof LoyaltyEntry>;

/**
 * booking-svc's random part of a booking's keys: it tells the booking from an earlier one that had
 * its id (bookings_db re-created or restored). Bookings made before it existed have none.
 */
export const BookingNonce = Type.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9_-]+$" });
/**
 * A flown booking leg's miles; one entry per (booking, nonce, flight) whatever the retries.
 * `flown_at` is the flight's departure (with its offset): the tier counts the leg in that UTC year.
 * A user-svc older than it refuses it as unknown (400), so user-svc is deployed first.
 */
export const EarnBody = Type.Object(
  {
    user_id: IdOf("The user who earns the miles"),
    booking_id: IdOf("The booking the flown leg belongs to"),
    flight_id: IdOf("The flown leg's flight id"),
    miles: Miles("Miles earned by the leg"),
    booking_nonce: Type.Optional({
      ...BookingNonce,
      description:
        "Optional: booking-svc's random part of the booking's keys (1-64 letters, digits, _ or -), telling it from an earlier booking with the same id",
    }),
    flown_at: Type.Optional(
      Type.String({
        format: "date-time",
        description: "Optional: the leg's departure (ISO 8601 with offset); the tier counts the miles in that UTC year",
      }),
    ),
  },
  { additionalProperties: false },
);

export const DebitBody = Type.Object(
  {
    user_id: IdOf("The user whose miles pay"),
    booking_id: IdOf("The booking paid in miles"),
    key: StepKey,
    miles: Miles("Miles to take"),
  },
  { additionalProperties: false },
);
/** Part of a redemption given back (a cheaper change); `key` makes a retry the same refund. */
export const PartRefundBody = Type.Object(
  { key: StepKey, miles: Miles("Miles to give back, at most what the redemption has left") },
  { additionalProperties: false },
);
export const KeyParams = Type.Object({ key: { ...StepKey, description: "The key the debit was made with" } });
export const EntryParams = Type.Object({ id: IdOf("The id of the redemption (debit) entry to give miles back to") });

export const EntryReply = Type.Object({ entry: LoyaltyEntry, balance: Type.Integer() });
export type EntryReply = Static<typeof EntryReply>;

/** The most legs one earn batch carries: booking-svc's flown job sends a round's batch in parts this size. */
export const MAX_EARN_BATCH = 500;

/**
 * POST /api/loyalty/earn/batch: the miles of several flown legs in one call, each earned as
 * POST /api/loyalty/earn earns it (its own key, its own retry answer). A user-svc older than it
 * answers 404, and booking-svc then earns the legs one call each.
 */
export const EarnBatch = Type.Object(
  {
    items: Type.Array(EarnBody, {
      minItems: 1,
      maxItems: MAX_EARN_BATCH,
      description: `1-${MAX_EARN_BATCH} legs, each as POST /api/loyalty/earn takes it, answered in order`,
    }),
  },
  { additionalProperties: false },
);
export type EarnBatch = Static<typeof EarnBatch>;

/**
 * One result per item, in order: the status and body POST /api/loyalty/earn would have answered
 * for that item alone (200 and its entry, or its refusal). A body invalid as a whole (an item out
 * of the schema) is a 400 for the whole batch.
 */
export const EarnBatchResults = Type.Object({
  results: Type.Array(Type.Object({ status: Type.Integer(), body: Type.Union([EntryReply, ErrorReply]) })),
});
export type EarnBatchResults = Static<typeof EarnBatchResults>;

export const DebitRefusal = Refusal(["insufficient_miles", "validation_error"], {
  balance: Type.Optional(Type.Integer()),
  miles: Type.Optional(Type.Integer()),
});
export const RefundRefusal = Refusal(["not_found"], {});
/** conflict: the part is more than the redemption has left to give back. */
export const PartRefundRefusal = Refusal(["not_found", "conflict"], {});
