-- booking_flights named a booking by its id alone, but users_db keeps it longer than bookings_db
-- keeps ids unique: once bookings_db is re-created, restored from a backup or reset by hand while
-- users_db is not, a new booking that got an old id updated the old booking's row, which kept its
-- traveller: the old traveller was subscribed to the new booking's flights and lost the old
-- booking's, the new traveller got none. Notices name the booking by its ref (`<id>-<nonce>`, the
-- nonce of its hold id in booking-svc's migration 019), and so does its row. Rows made before are
-- bookings from before the nonce, whose notices name them `<id>`.
ALTER TABLE booking_flights ADD COLUMN booking_ref text;
UPDATE booking_flights SET booking_ref = booking_id::text;
ALTER TABLE booking_flights ALTER COLUMN booking_ref SET NOT NULL;
ALTER TABLE booking_flights DROP CONSTRAINT booking_flights_pkey;
ALTER TABLE booking_flights ADD PRIMARY KEY (booking_ref);
