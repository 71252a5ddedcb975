-- A leg whose flight arrived with the leg unflown because its booking was confirmed after the
-- flight departed (booked once it had gone) never flies. The flown job marks it when it finds
-- that, and selects only legs without the mark: before, it fetched such a flight from flight-svc
-- and ran a transaction for it every round, forever.
ALTER TABLE booking_legs ADD COLUMN never_flown_at timestamptz;
ALTER TABLE booking_legs ADD CONSTRAINT flown_or_never CHECK (flown_at IS NULL OR never_flown_at IS NULL);
