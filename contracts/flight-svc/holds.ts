import { type Static, type TProperties, type TSchema, Type } from "@sinclair/typebox";
import { CalendarDate, Id } from "../../lib/input-schemas.js";
import { REQUEST_ID_PATTERN } from "../../lib/request-context.js";
import { ErrorReply, Refusal } from "../errors.js";

// flight-svc's seat holds as booking-svc calls them: place, confirm, release (and read).

/**
 * Hold ids that flight-svc and booking-svc make themselves. flight-svc refuses them as a
 * client-chosen hold_id (400 validation_error, field hold_id), so nobody can take booking 42's
 * hold before booking 42 exists:
 *  - `bk-<booking id>-<nonce>`: booking-svc's hold for a booking (the bookings.hold_id column
 *    makes it; `-c<n>` after it for a change's new legs, bookings made before the nonce have none),
 *    so that its retries and its sweeper find the same hold; allowed only to booking-svc's service
 *    token (with AUTH_MODE=off, to every caller: the gateway in front decides who that is);
 *  - `dec-`, `inc-`: flight-svc's own records of seats/decrement and /increment; never allowed.
 */
export const RESERVED_HOLD_ID_PREFIXES = { "bk-": "booking-svc", "dec-": "flight-svc", "inc-": "flight-svc" } as const;

export const HoldId = Type.String({ pattern: "^[A-Za-z0-9_-]{1,64}$" });
export const HoldParams = Type.Object({
  id: Type.String({ ...HoldId, description: "The hold's id (1-64 letters, digits, _ or -)" }),
});

/** The longest a hold may live (HOLD_TTL_SECONDS has the same bound). */
export const MAX_HOLD_TTL_SECONDS = 1800;

/** POST /api/flights/holds: all legs or none; the same hold_id again answers the same hold (200). */
export const HoldRequest = Type.Object(
  {
    flight_ids: Type.Array(Id, {
      minItems: 1,
      maxItems: 4,
      uniqueItems: true,
      description: "The legs to hold, in travel order: 1-4 distinct flight ids; all are held or none",
    }),
    seats: Type.Integer({ minimum: 1, maximum: 9, description: "Seats to hold on every leg, 1-9" }),
    /** Default: HOLD_TTL_SECONDS. */
    ttl_seconds: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_HOLD_TTL_SECONDS,
        description: `How long the hold lives unconfirmed, in seconds, 1-${MAX_HOLD_TTL_SECONDS}; default: the service's HOLD_TTL_SECONDS`,
      }),
    ),
    /** Default: a new UUID. Not one of RESERVED_HOLD_ID_PREFIXES but for the service token. */
    hold_id: Type.Optional(
      Type.String({
        ...HoldId,
        description:
          "Optional id for the hold (1-64 letters, digits, _ or -), which makes a retry answer the same hold; default: a new UUID. Ids starting bk-, dec- or inc- are reserved",
      }),
    ),
    /**
     * The travel date (UTC): the first leg must depart that day, or the hold is refused with 400
     * validation_error, field `date`, as validate would. Optional for callers older than it.
     */
    date: Type.Optional(
      Type.String({
        ...CalendarDate,
        description: "Optional travel date (YYYY-MM-DD, UTC): the first leg must depart that day",
      }),
    ),
  },
  { additionalProperties: false },
);
export type HoldRequest = Static<typeof HoldRequest>;

const IsoTime = Type.String({ format: "date-time" });

/**
 * 201 held now, 200 the same hold_id held already. Each leg's price (per seat) is the one the
 * booking is charged, so a caller needs no validate call before the hold.
 */
export const HoldPlaced = Type.Object({
  hold_id: Type.String(),
  status: Type.Union([Type.Literal("held"), Type.Literal("confirmed")]),
  seats: Type.Integer(),
  expires_at: IsoTime,
  legs: Type.Array(Type.Object({ flight_id: Type.Integer(), available_seats: Type.Integer(), price: Type.Number() })),
});
export type HoldPlaced = Static<typeof HoldPlaced>;

/**
 * 404 flight_not_found, 409 not_enough_seats / flight_cancelled and 400 validation_error on
 * `date` carry the flight_id; the last three also every leg's fare (`legs`), as a hold placed would.
 */
export const HoldRefusal = Refusal(
  [
    "validation_error",
    "flight_not_found",
    "not_enough_seats",
    "flight_cancelled",
    "hold_released",
    "hold_expired",
    "idempotency_key_reused",
  ],
  {
    flight_id: Type.Optional(Type.Integer()),
    available_seats: Type.Optional(Type.Integer()),
    hold_id: Type.Optional(Type.String()),
    legs: Type.Optional(Type.Array(Type.Object({ flight_id: Type.Integer(), price: Type.Number() }))),
  },
);
export type HoldRefusal = Static<typeof HoldRefusal>;

/** The most holds one batch call (place or confirm) carries. */
export const MAX_HOLD_BATCH = 64;

/** The X-Request-Id of the request a batch's item is for, which flight-svc's log lines about it carry. */
const ItemRequestId = Type.Optional(
  Type.String({
    pattern: REQUEST_ID_PATTERN,
    description: "Optional X-Request-Id of the request this item is for, logged with a failed item",
  }),
);

/**
 * A batch call's answer, 200 with one result per item, in order: the status and body the single
 * call would have answered for that item alone (its success, or an error, 5xx included). A body
 * invalid as a whole (an item out of the schema) is a 400 for the whole batch.
 */
const BatchResults = <T extends TSchema>(success: T) =>
  Type.Object({
    results: Type.Array(Type.Object({ status: Type.Integer(), body: Type.Union([success, ErrorReply]) })),
  });

/** A batch call's body: 1 to MAX_HOLD_BATCH `items`, each what its single call takes, with its request id. */
const BatchOf = <P extends TProperties>(item: P) =>
  Type.Object(
    {
      items: Type.Array(Type.Object({ ...item, request_id: ItemRequestId }, { additionalProperties: false }), {
        minItems: 1,
        maxItems: MAX_HOLD_BATCH,
        description: `1-${MAX_HOLD_BATCH} items, each done as its single call would do it, answered in order`,
      }),
    },
    { additionalProperties: false },
  );

/**
 * POST /api/flights/holds/batch: the holds of several bookings in one call (booking-svc sends
 * those of one event-loop turn together, to save each its own round trip). Each is placed as
 * POST /api/flights/holds places it, independently of the others.
 */
export const HoldBatch = BatchOf({
  hold: Type.Object(HoldRequest.properties, {
    additionalProperties: false,
    description: "A hold, as POST /api/flights/holds takes it",
  }),
});
export type HoldBatch = Static<typeof HoldBatch>;

export const HoldBatchResults = BatchResults(HoldPlaced);
export type HoldBatchResults = Static<typeof HoldBatchResults>;

const LegIds = Type.Array(Type.Object({ flight_id: Type.Integer() }));

export const HOLD_STATUSES = ["held", "confirmed", "released", "expired", "cancelled"] as const;
export type HoldStatus = (typeof HOLD_STATUSES)[number];

/** GET /api/flights/holds/:id → 200; 404 hold_not_found. */
export const HoldView = Type.Object({
  hold_id: Type.String(),
  status: Type.Union(HOLD_STATUSES.map((s) => Type.Literal(s))),
  seats: Type.Integer(),
  expires_at: Type.Union([IsoTime, Type.Null()]),
  legs: LegIds,
});
export type HoldView = Static<typeof HoldView>;

/** POST /api/flights/holds/:id/confirm → 200, also for a hold confirmed already. */
export const HoldConfirmed = Type.Object({
  hold_id: Type.String(),
  status: Type.Literal("confirmed"),
  seats: Type.Integer(),
  legs: LegIds,
});
export type HoldConfirmed = Static<typeof HoldConfirmed>;

/** 404 never held, 409 ended otherwise (hold_expired, hold_released) or its flight_cancelled. */
export const ConfirmRefusal = Refusal(
  ["hold_not_found", "hold_expired", "hold_released", "flight_cancelled", "conflict"],
  { hold_id: Type.Optional(Type.String()), flight_id: Type.Optional(Type.Integer()) },
);
export type ConfirmRefusal = Static<typeof ConfirmRefusal>;

/**
 * POST /api/flights/holds/batch-confirm: confirms of several holds in one call, each as
 * POST /api/flights/holds/:id/confirm confirms it, answered as that call would have been.
 */
export const ConfirmBatch = BatchOf({
  hold_id: Type.String({ ...HoldId, description: "The id of the hold to confirm" }),
});
export type ConfirmBatch = Static<typeof ConfirmBatch>;

export const ConfirmBatchResults = BatchResults(HoldConfirmed);
export type ConfirmBatchResults = Static<typeof ConfirmBatchResults>;

/** DELETE /api/flights/holds/:id → 200: a live hold released, a confirmed one cancelled; idempotent. */
export const HoldReleased = Type.Object({
  hold_id: Type.String(),
  status: Type.Union([Type.Literal("released"), Type.Literal("cancelled")]),
  seats_returned: Type.Boolean(),
});
export type HoldReleased = Static<typeof HoldReleased>;

export const ReleaseRefusal = Refusal(["hold_not_found", "conflict"], { hold_id: Type.Optional(Type.String()) });

/**
 * POST /api/flights/holds/:id/hand-over: legs of the confirmed hold :id become those of the hold
 * `to_hold_id` of the same booking (a change that keeps them); their seats stay booked. Idempotent.
 */
export const HandOverRequest = Type.Object(
  {
    to_hold_id: Type.String({
      ...HoldId,
      description:
        "The hold of the same booking that takes the legs: bk-<booking>-<nonce>[-c<n>] (or bk-<booking>[-c<n>] for a booking without a nonce); confirmed with the same seats, or not existing yet",
    }),
    flight_ids: Type.Array(Id, {
      minItems: 1,
      maxItems: 4,
      uniqueItems: true,
      description: "The legs of this confirmed hold to hand over: 1-4 distinct flight ids",
    }),
  },
  { additionalProperties: false },
);
export type HandOverRequest = Static<typeof HandOverRequest>;

/** → 200: the legs are `to_hold_id`'s now. */
export const HoldHandedOver = Type.Object({
  hold_id: Type.String(),
  to_hold_id: Type.String(),
  flight_ids: Type.Array(Type.Integer()),
});
export type HoldHandedOver = Static<typeof HoldHandedOver>;

export const HandOverRefusal = Refusal(["hold_not_found", "conflict", "validation_error"], {
  hold_id: Type.Optional(Type.String()),
});
export type HandOverRefusal = Static<typeof HandOverRefusal>;
