-- A booking covers 1 to 4 legs (booking_legs) with the same number of seats on each.
-- The row is the saga's durable state: `step` says what runs next, so the recovery sweeper can
-- finish or compensate any booking from its row alone. hold_id and payment_key derive from the
-- id, which makes every retried call to flight-svc and payment-mock idempotent.
CREATE TABLE bookings (
  id               bigserial PRIMARY KEY,
  user_id          bigint      NOT NULL CHECK (user_id > 0),
  seats            integer     NOT NULL CHECK (seats BETWEEN 1 AND 9),
  travel_date      date        NOT NULL,
  payment_type     text        NOT NULL,
  total_amount     numeric(12, 2) NOT NULL CHECK (total_amount >= 0),
  status           text        NOT NULL CHECK (status IN ('pending', 'confirmed', 'failed', 'cancelled')),
  step             text        NOT NULL
                   CHECK (step IN ('hold', 'pay', 'confirm', 'release', 'refund', 'cancel', 'cancel_refund', 'done')),
  error_code       text,
  error_field      text,
  message          text        NOT NULL DEFAULT '',
  hold_id          text        GENERATED ALWAYS AS ('bk-' || id) STORED,
  payment_key      text        GENERATED ALWAYS AS ('booking-' || id) STORED,
  payment_id       text,
  refund_id        text,
  idempotency_key  text,
  request_hash     text,
  passengers       jsonb       NOT NULL DEFAULT '[]'::jsonb,
  -- Who may work on an unfinished booking: its request until lease_until, then one sweeper at a time.
  lease_until      timestamptz NOT NULL DEFAULT now(),
  attempts         integer     NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  confirmed_at     timestamptz,
  cancelled_at     timestamptz,
  CONSTRAINT step_matches_status CHECK (
    (status = 'pending' AND step IN ('hold', 'pay', 'confirm', 'release', 'refund'))
    OR (status = 'confirmed' AND step IN ('done', 'cancel', 'cancel_refund'))
    OR (status IN ('failed', 'cancelled') AND step = 'done')
  ),
  -- DESIGN.md invariant 3: confirmed only with a successful payment.
  CONSTRAINT confirmed_is_paid CHECK (status NOT IN ('confirmed', 'cancelled') OR payment_id IS NOT NULL),
  CONSTRAINT idempotency_key_per_user UNIQUE (user_id, idempotency_key)
);

CREATE TABLE booking_legs (
  booking_id  bigint   NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
  leg_no      smallint NOT NULL CHECK (leg_no BETWEEN 1 AND 4),
  flight_id   bigint   NOT NULL,
  price       numeric(10, 2) NOT NULL CHECK (price >= 0),
  PRIMARY KEY (booking_id, leg_no)
);

CREATE INDEX bookings_user_idx ON bookings (user_id, id DESC);
-- The recovery sweeper scans only unfinished sagas, by when their lease ends.
CREATE INDEX bookings_unfinished_idx ON bookings (lease_until) WHERE step <> 'done';
CREATE INDEX booking_legs_flight_idx ON booking_legs (flight_id);
