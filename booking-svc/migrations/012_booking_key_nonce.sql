-- The keys a booking gives other services (its payment key, its changes' payment keys, the key
-- user-svc files its earned miles under) named it by its id alone, but those services keep them
-- longer than this database: users_db's miles ledger and payment-mock's memory still hold
-- booking-<id> once bookings_db is re-created (make db-reset), restored from a backup or reset by
-- hand. A new booking that got an old id was answered the old booking's debit, charge or earned
-- miles: confirmed without paying, flown without earning. A random nonce of each booking's own
-- makes its keys new whatever id it has. Rows made before keep a null nonce, and so the keys their
-- payments were made under.
-- A stored generated column cannot take a new expression in place: both tables are rewritten,
-- about 15 s for 1,000,000 bookings (measured 2026-12-04), and booking writes wait for it.
ALTER TABLE bookings ADD COLUMN key_nonce text;
ALTER TABLE bookings ALTER COLUMN key_nonce SET DEFAULT left(replace(gen_random_uuid()::text, '-', ''), 16);
ALTER TABLE bookings DROP COLUMN payment_key;
ALTER TABLE bookings
  ADD COLUMN payment_key text GENERATED ALWAYS AS ('booking-' || id || COALESCE('-' || key_nonce, '')) STORED;

-- A change's keys carry its booking's nonce, copied when the change is recorded (ChangesRepo.start).
ALTER TABLE booking_changes ADD COLUMN key_nonce text;
ALTER TABLE booking_changes DROP COLUMN payment_key;
ALTER TABLE booking_changes ADD COLUMN payment_key text GENERATED ALWAYS AS (
  'booking-' || booking_id || COALESCE('-' || key_nonce, '') || '-change-' || change_no) STORED;
