-- The `booking` subscriptions a notice ended (a change away from the flight, a cancellation), each
-- with the stream ids it counted from (null: made before migration 007) and until (the notice
-- that ended it). An instance behind the one that applied the notice then still hands the
-- flight's events from before it to the traveller, as it would had it applied the notice itself.
-- Kept as long as the stream keeps events (EVENTS_RETENTION_HOURS): no instance handles older ones.
CREATE TABLE ended_subscriptions (
  user_id   bigint NOT NULL,
  flight_id bigint NOT NULL,
  from_ms   bigint,
  from_seq  bigint,
  until_ms  bigint NOT NULL,
  until_seq bigint NOT NULL,
  PRIMARY KEY (flight_id, until_ms, until_seq, user_id)
);
CREATE INDEX ended_subscriptions_until_idx ON ended_subscriptions (until_ms);
