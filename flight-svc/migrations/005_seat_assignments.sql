-- Seat assignments (check-in): which passenger of which booking sits where. PostgreSQL is the
-- truth; Redis keeps a copy per flight for the seat map and for a fast first refusal.
--   - one passenger per seat: the primary key (flight_id, seat);
--   - a passenger of a booking holds one seat per flight: UNIQUE (flight_id, booking_id, passenger);
--   - assigned ≤ confirmed: passenger is an index below the booking's confirmed seats on the
--     flight (checked under FOR SHARE on its ledger rows), so at most that many rows exist, and a
--     return of seats deletes the rows at or above what stays confirmed in the same transaction.
CREATE TABLE seat_assignments (
  flight_id   bigint      NOT NULL REFERENCES flights (id),
  seat        text        NOT NULL,
  booking_id  bigint      NOT NULL,
  passenger   integer     NOT NULL CHECK (passenger BETWEEN 0 AND 8),
  sequence    integer     NOT NULL CHECK (sequence > 0),
  assigned_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (flight_id, seat),
  UNIQUE (flight_id, booking_id, passenger)
);

-- The boarding sequence of each flight: the order in which passengers checked in.
CREATE TABLE checkin_sequences (
  flight_id     bigint  PRIMARY KEY REFERENCES flights (id),
  last_sequence integer NOT NULL
);

-- The booking a ledger row belongs to: booking-svc's holds are named bk-<booking id>, then the
-- booking's nonce (booking-svc's migration 019; none before it) and a suffix for a change's new
-- legs (bk-42-<nonce>-c1). Other operations (dec-, inc-, client holds) have none.
ALTER TABLE seat_ledger ADD COLUMN booking_id bigint GENERATED ALWAYS AS (
  CASE WHEN op_id ~ '^bk-[0-9]{1,18}(-|$)' THEN substring(op_id FROM '^bk-([0-9]{1,18})')::bigint END
) STORED;
CREATE INDEX seat_ledger_booking ON seat_ledger (booking_id) WHERE booking_id IS NOT NULL;
