-- Which hold wrote a ledger row. A client-chosen hold id can be held again after Redis lost
-- the first hold (FLUSHALL, restart); the token tells a retried confirm of the same hold (the
-- row is its own) from a new hold under an id that an earlier hold already settled.
ALTER TABLE seat_ledger ADD COLUMN hold_token text NOT NULL DEFAULT '';
