-- A flown leg keeps its flight's departure as flight-svc had it when the flight had arrived (a
-- delay already in it), written with flown_at by FlownRepo.markFlown. The flown job sends it with
-- the leg's miles (flown_at of POST /api/loyalty/earn), and user-svc counts the leg's miles for
-- the tier of the year it departed in, however late the job records them. flown_at is when the job
-- marked the leg, which may be hours after (the job's interval, an outage), so it is no such date.
-- A leg flown before this has none: its miles count when user-svc records them, as before.
ALTER TABLE booking_legs ADD COLUMN departed_at timestamptz;
