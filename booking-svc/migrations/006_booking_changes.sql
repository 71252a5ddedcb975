-- A change of a confirmed booking's flights is a saga of its own, durable in booking_changes:
-- the booking row stays confirmed (step done) throughout and its CHECKs are untouched. `step`
-- says what runs next, so the sweeper can finish or undo a change from its row alone. hold_id,
-- payment_key and the refund keys derive from (booking_id, change_no), which makes every retried
-- call to flight-svc and payment-mock idempotent.
CREATE TABLE booking_changes (
  id               bigserial PRIMARY KEY,
  booking_id       bigint      NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
  change_no        integer     NOT NULL CHECK (change_no >= 1),
  status           text        NOT NULL CHECK (status IN ('pending', 'completed', 'failed')),
  step             text        NOT NULL
                   CHECK (step IN ('hold', 'pay', 'confirm', 'release_old', 'refund', 'swap', 'undo_charge', 'undo_hold', 'done')),
  travel_date      date        NOT NULL,
  from_flight_ids  bigint[]    NOT NULL,
  -- The new legs with the prices they were changed at: [{flight_id, price}].
  to_legs          jsonb       NOT NULL,
  -- The hold the booking's seats are under before the change (bk-<id>, or an earlier change's).
  from_hold_id     text        NOT NULL,
  hold_id          text        GENERATED ALWAYS AS ('bk-' || booking_id || '-c' || change_no) STORED,
  payment_key      text        GENERATED ALWAYS AS ('booking-' || booking_id || '-change-' || change_no) STORED,
  from_amount      numeric(12, 2) NOT NULL CHECK (from_amount >= 0),
  to_amount        numeric(12, 2) NOT NULL CHECK (to_amount >= 0),
  fee              numeric(12, 2) NOT NULL CHECK (fee >= 0),
  -- to_amount - from_amount + fee, charged when positive, refunded when negative: never both.
  charge_amount    numeric(12, 2) NOT NULL CHECK (charge_amount >= 0),
  refund_amount    numeric(12, 2) NOT NULL CHECK (refund_amount >= 0),
  -- Which of the booking's payments the refund comes from: [{payment_id, amount}], fixed at the start.
  refund_plan      jsonb       NOT NULL DEFAULT '[]'::jsonb,
  payment_id       text,
  refund_ids       text[]      NOT NULL DEFAULT '{}',
  error_code       text,
  error_field      text,
  failure_message  text,
  idempotency_key  text,
  request_hash     text,
  request_id       text,
  lease_until      timestamptz NOT NULL DEFAULT now(),
  attempts         integer     NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  finished_at      timestamptz,
  CONSTRAINT change_no_per_booking UNIQUE (booking_id, change_no),
  CONSTRAINT change_key_per_booking UNIQUE (booking_id, idempotency_key),
  CONSTRAINT charge_or_refund CHECK (charge_amount = 0 OR refund_amount = 0),
  CONSTRAINT change_step_matches_status CHECK ((status = 'pending') = (step <> 'done')),
  CONSTRAINT change_failure_has_message CHECK ((error_code IS NULL) = (failure_message IS NULL))
);

-- The sweeper scans only unfinished changes, by when their lease ends.
CREATE INDEX booking_changes_unfinished_idx ON booking_changes (lease_until) WHERE step <> 'done';

-- The change running on a booking, if any: one at a time, and a cancellation waits for it
-- (claimCancel reads this column of the row it locks, so neither can slip past the other).
ALTER TABLE bookings ADD COLUMN changing bigint;
-- The hold the booking's seats are under since its last change; null: still bk-<id>.
ALTER TABLE bookings ADD COLUMN change_hold_id text;
