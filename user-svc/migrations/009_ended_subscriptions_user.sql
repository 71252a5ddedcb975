-- A resume reads the ended subscriptions of one user (SubscriptionsRepo.endedAfter): without an
-- index of its own, each reconnect read every traveller's for the stream's retention period.
CREATE INDEX ended_subscriptions_user_idx ON ended_subscriptions (user_id, until_ms, until_seq);
