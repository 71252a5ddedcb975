-- The stream id (`<from_ms>-<from_seq>`) of the notice whose booking made a `booking`
-- subscription: it counts for that flight's events after the notice only. Every user-svc instance
-- reads the stream at its own pace while the table is one: without it, an instance that ran ahead
-- subscribed a traveller by a later notice before a slower one handed on an earlier event of the
-- flight, which then reached a traveller who had not booked yet. Null for a user's own
-- subscription, which counts from when it is made, and for rows made before this migration.
ALTER TABLE flight_subscriptions
  ADD COLUMN from_ms bigint,
  ADD COLUMN from_seq bigint,
  ADD CONSTRAINT flight_subscriptions_from_whole CHECK ((from_ms IS NULL) = (from_seq IS NULL));
