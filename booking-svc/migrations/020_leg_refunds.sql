-- A connection that outlives its flight's cancellation (its traveller flew or is in the air on
-- another leg: disruption/handler.ts) stays confirmed, but the cancelled leg is never flown: its
-- fare (the leg's price × seats) is refunded. The row is written, with the plan of which payments
-- give it back, before any refund is asked for; each part is asked for under a key derived from
-- refund_key, which payment-mock and the miles ledger answer once, so a retried event, a second
-- instance or a try after a crash (the event's, or the sweeper's once the row is older than a
-- lease) repeats the refund instead of doubling it, and refunded_at says it is done. One row per
-- booking and cancelled flight.
CREATE TABLE booking_leg_refunds (
  booking_id         bigint         NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
  flight_id          bigint         NOT NULL,
  amount             numeric(12, 2) NOT NULL CHECK (amount >= 0),
  -- Which of the booking's payments give it back: [{payment_id, amount}], fixed when written.
  refund_plan        jsonb          NOT NULL,
  refund_key         text           NOT NULL,
  refund_ids         text[]         NOT NULL DEFAULT '{}',
  -- What the provider refused for good, or no payment had left; and why.
  unrefunded_amount  numeric(12, 2) NOT NULL DEFAULT 0,
  unrefunded_reason  text,
  created_at         timestamptz    NOT NULL DEFAULT now(),
  refunded_at        timestamptz,
  PRIMARY KEY (booking_id, flight_id),
  CONSTRAINT leg_unrefunded_within_amount CHECK (unrefunded_amount >= 0 AND unrefunded_amount <= amount),
  CONSTRAINT leg_unrefunded_has_reason CHECK ((unrefunded_amount = 0) = (unrefunded_reason IS NULL))
);

-- A cancelled flight's event finishes its unfinished leg refunds on every try, the sweeper the old ones.
CREATE INDEX booking_leg_refunds_unfinished_idx ON booking_leg_refunds (flight_id) WHERE refunded_at IS NULL;
