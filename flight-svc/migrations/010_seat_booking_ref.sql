-- Check-in seats belong to a booking's ref, not its id: "<id>-<hold nonce>", or "<id>" for a
-- booking made before booking-svc's migration 019 gave holds a nonce. A booking id outlives
-- nothing here: bookings_db restored from a backup or reset gives a new booking an old booking's
-- id, and under the id alone it counted the old booking's confirmed seats as its own and was
-- answered the old passengers' seats. The ref is in every hold id of the booking (bk-<ref>,
-- a change's bk-<ref>-c<n>), so the ledger derives it as it derived the id.
ALTER TABLE seat_ledger ADD COLUMN booking_ref text GENERATED ALWAYS AS (
  substring(op_id FROM '^bk-([0-9]{1,18}(?:-[0-9a-f]{16})?)(?:-|$)')
) STORED;
CREATE INDEX seat_ledger_booking_ref ON seat_ledger (booking_ref) WHERE booking_ref IS NOT NULL;

-- An assignment takes the ref of its booking's confirmed row on the flight; where an id was
-- already given twice, the latest booking's (the one its customer can still reach).
ALTER TABLE seat_assignments ADD COLUMN booking_ref text;
UPDATE seat_assignments a SET booking_ref = COALESCE(
  (SELECT l.booking_ref FROM seat_ledger l
   WHERE l.booking_id = a.booking_id AND l.status = 'confirmed' AND a.flight_id = ANY(l.flight_ids)
   ORDER BY l.created_at DESC LIMIT 1),
  a.booking_id::text);
ALTER TABLE seat_assignments ALTER COLUMN booking_ref SET NOT NULL;
ALTER TABLE seat_assignments DROP CONSTRAINT seat_assignments_flight_id_booking_id_passenger_key;
ALTER TABLE seat_assignments ADD CONSTRAINT seat_assignments_booking_passenger UNIQUE (flight_id, booking_ref, passenger);
ALTER TABLE seat_assignments DROP COLUMN booking_id;

DROP INDEX seat_ledger_booking;
ALTER TABLE seat_ledger DROP COLUMN booking_id;
