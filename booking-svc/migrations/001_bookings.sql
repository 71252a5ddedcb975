-- A booking covers 1 to 4 legs (booking_legs) with the same number of seats on each.
CREATE TABLE bookings (
  id               bigserial PRIMARY KEY,
  user_id          bigint      NOT NULL CHECK (user_id > 0),
  seats            integer     NOT NULL CHECK (seats BETWEEN 1 AND 9),
  travel_date      date        NOT NULL,
  payment_type     text        NOT NULL,
  total_amount     numeric(12, 2) NOT NULL CHECK (total_amount >= 0),
  status           text        NOT NULL CHECK (status IN ('pending', 'confirmed', 'failed', 'cancelled')),
  message          text        NOT NULL DEFAULT '',
  hold_id          text,
  payment_id       text,
  refund_id        text,
  idempotency_key  text UNIQUE,
  request_hash     text,
  passengers       jsonb       NOT NULL DEFAULT '[]'::jsonb,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  confirmed_at     timestamptz,
  cancelled_at     timestamptz
);

CREATE TABLE booking_legs (
  booking_id  bigint  NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
  leg_no      smallint NOT NULL CHECK (leg_no BETWEEN 1 AND 4),
  flight_id   bigint  NOT NULL,
  price       numeric(10, 2) NOT NULL,
  PRIMARY KEY (booking_id, leg_no)
);

CREATE INDEX bookings_user_idx ON bookings (user_id, id DESC);
-- The recovery sweeper scans only unfinished bookings.
CREATE INDEX bookings_pending_idx ON bookings (created_at) WHERE status = 'pending';
CREATE INDEX booking_legs_flight_idx ON booking_legs (flight_id);
