-- The check-ins running on a booking, one row each, each until its lease ends (a check-in that
-- died leaves a row that no longer counts). A check-in writes its row under a key-share lock on
-- the booking's row, only while no change runs; a change starts under that row's update lock,
-- only while no check-in runs: the two are ordered, and a check-in never seats passengers on
-- legs a change is about to give back. Neither holds a lock while it calls flight-svc.
CREATE TABLE booking_check_ins (
  id          bigserial   PRIMARY KEY,
  booking_id  bigint      NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
  lease_until timestamptz NOT NULL
);
CREATE INDEX booking_check_ins_booking ON booking_check_ins (booking_id);
