-- An earn entry carries when its leg was flown (the flight's departure, as booking-svc's flown job
-- found it once the flight had arrived), and the tier counts a leg in the year it was flown
-- (LedgerRepo.earnedInYear reads COALESCE(flown_at, at)): the job may record a leg's miles hours
-- or days later, and a leg flown on 31 December recorded on 1 January belongs to the old year.
-- Entries recorded before this, and those of a booking-svc that does not send it, have none and
-- count by when they were recorded, as before. Adding a nullable column rewrites nothing; the
-- CHECK reads the table once (every row passes: none has the column yet).
-- The tier's read stays on loyalty_entries_user_idx: it sums one traveller's entries, which that
-- index finds, whichever date it counts by.
ALTER TABLE loyalty_entries ADD COLUMN flown_at timestamptz;
ALTER TABLE loyalty_entries ADD CONSTRAINT loyalty_entries_flown_is_earn CHECK (flown_at IS NULL OR kind = 'earn');
