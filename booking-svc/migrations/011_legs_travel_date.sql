-- The flown job's round (FlownRepo.flightsToCheck) looks for legs that may still fly on bookings
-- whose travel date has come. Its index held every leg that may fly, by flight alone, so each
-- round joined all of them to their bookings: those of future bookings, and those of bookings
-- that can never fly but were never marked (cancelled, failed after their hold, made or
-- confirmed after their travel date, as the demo's 2024 flights are). With 300,000 of the last
-- kind a round read every booking: 160-180 ms, every FLOWN_JOB_MS (measured 2026-12-04).
-- Now a leg carries its booking's travel date and the index is ordered by it, so a round reads
-- only legs whose day has come; and a leg that can never fly is marked by the statement that
-- decides it (BookingsRepo.insertAll and saveAll), those already stored here.
-- A leg flown or marked never flown before this migration keeps no date: it is out of the index.
-- Marking and dating take time on a large table (about 25 s for 2,000,000 bookings, measured
-- 2026-12-04), and booking writes wait for them.
ALTER TABLE booking_legs ADD COLUMN travel_date date;

UPDATE booking_legs l SET never_flown_at = now()
FROM bookings b
WHERE b.id = l.booking_id AND l.flown_at IS NULL AND l.never_flown_at IS NULL
  AND (b.status IN ('failed', 'cancelled') OR b.created_at >= b.travel_date + 1
    OR (b.status = 'confirmed' AND b.confirmed_at >= b.travel_date + 1));

UPDATE booking_legs l SET travel_date = b.travel_date
FROM bookings b
WHERE b.id = l.booking_id AND l.flown_at IS NULL AND l.never_flown_at IS NULL;

ALTER TABLE booking_legs ADD CONSTRAINT may_fly_has_date
  CHECK (travel_date IS NOT NULL OR flown_at IS NOT NULL OR never_flown_at IS NOT NULL);

DROP INDEX booking_legs_unflown_idx;
CREATE INDEX booking_legs_unflown_idx ON booking_legs (travel_date, flight_id)
  WHERE flown_at IS NULL AND never_flown_at IS NULL;
