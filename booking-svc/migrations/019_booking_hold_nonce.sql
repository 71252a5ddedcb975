-- A booking's seat hold in flight-svc was named by its id alone (bk-<id>, bk-<id>-c<n> for a
-- change's new legs), but flight-svc keeps holds (Redis about a day, its PostgreSQL ledger for
-- good) longer than this database keeps ids unique: once bookings_db is re-created, restored from
-- a backup or reset by hand while flights_db is not, a new booking that got an old id had its hold
-- answered as a replay of the old booking's (placing a hold is idempotent by hold id). Same
-- flights and seats: the old, confirmed hold, so the booking was confirmed with no seat taken, an
-- oversell; other flights: refused as a reused hold id (422), the booking failed as if flight-svc
-- were away. A random nonce of each booking's own makes
-- its hold ids new whatever id it has. The hold is placed before the row exists, so booking-svc
-- makes the nonce (saga/hold-step.ts) and the row is inserted with it: unlike key_nonce (012) the
-- column has no default. Rows made before keep a null nonce, and so the names their holds have in
-- flight-svc, which a pending booking, a cancellation or a change of them must still find.
-- A stored generated column cannot take a new expression in place: both tables are rewritten
-- (dropping and adding the column, in the migration's transaction), about 4 s for 200,000
-- bookings with a change each (110 and 125 MB; measured 2026-12-05 on 2 cores busy with tests),
-- so about 20 s a million, and every booking write and read waits for it: the rewrite holds
-- both tables' ACCESS EXCLUSIVE lock until it commits.
ALTER TABLE bookings ADD COLUMN hold_nonce text;
ALTER TABLE bookings DROP COLUMN hold_id;
ALTER TABLE bookings
  ADD COLUMN hold_id text GENERATED ALWAYS AS ('bk-' || id || COALESCE('-' || hold_nonce, '')) STORED;

-- A change's hold carries its booking's nonce, copied when the change is recorded (ChangesRepo.start).
ALTER TABLE booking_changes ADD COLUMN hold_nonce text;
ALTER TABLE booking_changes DROP COLUMN hold_id;
ALTER TABLE booking_changes ADD COLUMN hold_id text GENERATED ALWAYS AS (
  'bk-' || booking_id || COALESCE('-' || hold_nonce, '') || '-c' || change_no) STORED;
