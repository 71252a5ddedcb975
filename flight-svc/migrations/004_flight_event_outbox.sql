-- Flight events waiting for the events stream (the outbox): a change to a flight's status or
-- times inserts its event here in the transaction that changes the flight, so a committed change
-- is never lost to a crash before the append. The relay appends each row once (event_key is
-- the append's dedupe key, unique across database resets) and records the stream id it got.
CREATE TABLE flight_event_outbox (
  id          bigserial   PRIMARY KEY,
  event_key   uuid        NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  flight_id   bigint      NOT NULL,
  kind        text        NOT NULL CHECK (kind IN ('cancelled', 'delayed', 'retimed', 'status_changed')),
  before      jsonb       NOT NULL,
  after       jsonb       NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  stream_id   text,
  appended_at timestamptz
);
CREATE INDEX flight_event_outbox_waiting_idx ON flight_event_outbox (id) WHERE stream_id IS NULL;
CREATE INDEX flight_event_outbox_appended_idx ON flight_event_outbox (appended_at) WHERE stream_id IS NOT NULL;
