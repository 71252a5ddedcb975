-- The flights each booking holds now, as its last notice on the events stream said (a
-- booking_confirmed names its legs, again after a change; a booking_cancelled none). A booking's
-- `booking` subscriptions follow it: a flight it no longer holds is dropped unless another of the
-- traveller's bookings holds it. event_ms and event_seq are that notice's stream id: every
-- user-svc instance applies every notice, and one that lags must not bring back an older state.
-- left_flight_ids are the flights the last notice took away, written by the same upsert (whose
-- conflict takes the row's latest version, where a SELECT in the statement would see its snapshot's).
-- Subscriptions made before this table have no booking here and stay as they are.
CREATE TABLE booking_flights (
  booking_id bigint   PRIMARY KEY,
  user_id    bigint   NOT NULL,
  flight_ids bigint[] NOT NULL,
  left_flight_ids bigint[] NOT NULL DEFAULT '{}',
  event_ms   bigint   NOT NULL,
  event_seq  bigint   NOT NULL
);
CREATE INDEX booking_flights_user_idx ON booking_flights (user_id);
