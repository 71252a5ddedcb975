-- The group commit books a batch with one plain statement (flight-svc/inventory/ledger-batch.ts)
-- instead of book_seats_many: a PL/pgSQL function planned its four statements on every call and
-- cost PostgreSQL about half as much again per batch. A plain statement cannot raise, so the
-- batch calls this when a leg of the rows it wrote is cancelled or missing: the statement fails
-- as a whole, as book_seats_many's RAISE made it, and the service books the members one by one
-- to give each its own answer.
CREATE FUNCTION seat_batch_refused(legs bigint[]) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'a leg of % is cancelled or missing', legs USING ERRCODE = 'check_violation';
END
$$;

-- Replaced by the statement above. A flight-svc of the release before still calls it during a
-- rolling update: it gets an error, and books that batch's members one by one.
DROP FUNCTION book_seats_many(text[], text[], integer[], text[], text[]);
