-- POST /api/flights' Idempotency-Keys (DESIGN.md invariant 4), per caller. A key is written in
-- the transaction that inserts its flight, so a retry after any crash finds either both or
-- neither: it replays `answer` (the flight as created) or creates the flight once. A flight
-- reload that empties flights (TRUNCATE ... CASCADE) empties its keys with it, so a key never
-- replays a flight whose id now belongs to another. Keys older than 24 h are deleted by the
-- next keyed create (created_idx), after which the key may be used again.
CREATE TABLE flight_idempotency_keys (
  caller       text        NOT NULL,
  key          text        NOT NULL,
  request_hash text        NOT NULL,
  flight_id    bigint      NOT NULL REFERENCES flights (id) ON DELETE CASCADE,
  answer       jsonb       NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (caller, key)
);
CREATE INDEX flight_idempotency_keys_created_idx ON flight_idempotency_keys (created_at);
