-- The total a booking was made at. A completed change moves total_amount to the new fare, but a
-- retry of the booking's own request (the same Idempotency-Key and body) answers what that
-- request answered (DESIGN.md invariant 4), from this row once Redis no longer has the key: the
-- fare the booking was made at. Every new row has it (BookingsRepo.insertAll). Rows from before:
-- a changed booking's first change recorded the total it moved from, which is written here; a
-- booking never changed keeps NULL, read as its total_amount, which no change has moved. A change
-- completed on a row still without one fills it in first (ChangesRepo.swap).
ALTER TABLE bookings ADD COLUMN booked_amount numeric(12, 2) CHECK (booked_amount >= 0);

UPDATE bookings b SET booked_amount = c.from_amount
FROM booking_changes c
WHERE c.booking_id = b.id AND c.change_no = 1 AND b.booked_amount IS NULL;
