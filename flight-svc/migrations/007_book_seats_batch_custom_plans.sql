-- book_seats_batch's statements are planned on every call. PL/pgSQL keeps a session's plans, and
-- after a few calls it keeps a generic one, chosen for the table as it was then: on a new or
-- emptied seat_ledger that is a sequential scan for the rows of the batch's ids, which then reads
-- the whole ledger on every batch until an ANALYZE happens to replan it (measured: decrements on
-- one hot flight 27k in 10 s, against 44k once the ledger had its statistics). A plan made for the
-- ids at hand costs far less than one batch's commit.
ALTER FUNCTION book_seats_batch(bigint[], text[], text[], integer[], text[]) SET plan_cache_mode = force_custom_plan;
