-- The flown job (booking-svc/flown/): a leg of a confirmed booking is flown once its flight has
-- arrived; its miles (great-circle statute miles × seats) are fixed then and earned once at
-- user-svc, after which earned_at is set. bookings.flown_at (its first leg flown) is written in
-- the same statement as the leg, on the booking's row, so that a cancellation racing the job
-- waits on that row and then sees it: a flown booking is never cancelled, a cancelled one never flown.
ALTER TABLE booking_legs ADD COLUMN flown_at timestamptz;
ALTER TABLE booking_legs ADD COLUMN miles integer CHECK (miles >= 0);
ALTER TABLE booking_legs ADD COLUMN earned_at timestamptz;
ALTER TABLE booking_legs ADD CONSTRAINT flown_has_miles CHECK ((flown_at IS NULL) = (miles IS NULL));
ALTER TABLE booking_legs ADD CONSTRAINT earned_after_flown CHECK (earned_at IS NULL OR flown_at IS NOT NULL);
ALTER TABLE bookings ADD COLUMN flown_at timestamptz;
ALTER TABLE bookings ADD CONSTRAINT flown_is_confirmed CHECK (flown_at IS NULL OR status = 'confirmed');
CREATE INDEX booking_legs_unflown_idx ON booking_legs (flight_id) WHERE flown_at IS NULL;
CREATE INDEX booking_legs_unearned_idx ON booking_legs (flown_at) WHERE flown_at IS NOT NULL AND earned_at IS NULL;
