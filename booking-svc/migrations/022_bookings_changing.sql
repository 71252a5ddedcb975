-- BookingsRepo.changingOnto, asked on every try of every flight event (a cancellation asks it
-- twice), joins the changes still running to their bookings by `changing`. Without an index it
-- was planned as a scan of every booking: parallel workers started each time (13 ms at 2 million
-- bookings), and while a change onto the flight ran, each retry of the event read the whole table.
-- Few bookings are being changed at any moment, so the index holds only those.
CREATE INDEX bookings_changing_idx ON bookings (changing) WHERE changing IS NOT NULL;
