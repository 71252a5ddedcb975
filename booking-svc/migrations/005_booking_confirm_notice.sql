-- A confirmation's notice (it subscribes the traveller to the booking's flights) is owed from the
-- moment the booking is confirmed, in the same write, so a crash before it is sent loses nothing:
-- the sweeper sends what is still owed. Bookings confirmed before this column owe none.
ALTER TABLE bookings ADD COLUMN confirm_notice_due boolean NOT NULL DEFAULT false;
CREATE INDEX bookings_confirm_notice_due ON bookings (id) WHERE confirm_notice_due;
