-- The travel date a change moved the booking from, beside its from_flight_ids and from_amount:
-- a change's answer is rebuilt from its row when a retry's Idempotency-Key is no longer in Redis,
-- and a failed (or still pending) change answers with the booking as it stood, date included,
-- whatever later changes made of the booking. Rows from before have none (NULL): their answer
-- takes the booking's date as it is now, as it did before.
ALTER TABLE booking_changes ADD COLUMN from_travel_date date;
