-- Who hears of which flight: subscriptions a user made (`user`) and those a confirmed booking
-- made for its traveller (`booking`). user_id is not a foreign key: booking-svc's travellers are
-- its users, who need not have an account here yet.
CREATE TABLE flight_subscriptions (
  user_id    bigint      NOT NULL CHECK (user_id > 0),
  flight_id  bigint      NOT NULL CHECK (flight_id > 0),
  source     text        NOT NULL CHECK (source IN ('user', 'booking')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, flight_id)
);
CREATE INDEX flight_subscriptions_flight_idx ON flight_subscriptions (flight_id);
