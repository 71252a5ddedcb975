-- A failed booking's legs never fly, but the flown job's index held them (flown_at IS NULL) and
-- each round joined every one of them to its booking only to drop it: a cost that grew with every
-- refused booking, forever. They are written as never flown now (BookingsRepo.insertAll), those
-- already stored are marked here, and the index keeps only legs that may still fly, so a refused
-- booking's leg is no longer written to it either. The marking takes time on a large table (40 s
-- for 2,000,000 failed bookings, measured 2026-12-04), and booking writes wait for it.
UPDATE booking_legs l SET never_flown_at = b.updated_at
FROM bookings b
WHERE b.id = l.booking_id AND b.status = 'failed' AND l.flown_at IS NULL AND l.never_flown_at IS NULL;

DROP INDEX booking_legs_unflown_idx;
CREATE INDEX booking_legs_unflown_idx ON booking_legs (flight_id) WHERE flown_at IS NULL AND never_flown_at IS NULL;
