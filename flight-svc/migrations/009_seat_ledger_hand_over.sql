-- A hold may hand some of its confirmed legs over to another hold of the same booking (a change
-- that keeps a leg): the seats stay booked and only the row that owns them changes. A hold whose
-- every leg was handed over keeps its row, with no legs, until it is released.
ALTER TABLE seat_ledger DROP CONSTRAINT seat_ledger_flight_ids_check;
ALTER TABLE seat_ledger ADD CONSTRAINT seat_ledger_flight_ids_check CHECK (cardinality(flight_ids) BETWEEN 0 AND 4);
