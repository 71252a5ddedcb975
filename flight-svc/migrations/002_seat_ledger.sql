-- The seat ledger: one row per seat operation that reached PostgreSQL (a confirmed hold, a
-- decrement, an increment), keyed by the operation's id. It makes confirm and cancel exactly
-- once (a retry finds the row), and it is the arbiter when Redis forgot how an operation ended:
-- whoever writes the row first decides whether the seats were booked.
--   confirmed  the seats are in flights.booked_seats
--   cancelled  they were, and were given back (a cancelled booking, an increment)
--   released   the operation never booked anything (a hold given up after its confirm crashed)
CREATE TABLE seat_ledger (
  op_id      text        PRIMARY KEY,
  kind       text        NOT NULL CHECK (kind IN ('hold', 'decrement', 'increment')),
  flight_ids bigint[]    NOT NULL CHECK (cardinality(flight_ids) BETWEEN 1 AND 4),
  seats      integer     NOT NULL CHECK (seats > 0),
  status     text        NOT NULL CHECK (status IN ('confirmed', 'cancelled', 'released')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
