-- Group commit of confirms (flight-svc/inventory/group-commit.ts): several operations on the same
-- legs booked in ONE statement, so a batch costs one round trip and one commit however many
-- confirms it carries. Every ledger row in one INSERT; the legs' booked_seats moved once by the
-- seats of the rows written now. A row that already existed (a retried confirm, one the sweeper
-- settled first) books nothing; the rows returned say how each id stands, as Ledger.book's
-- ruling does. A leg cancelled or missing, or too few seats (the CHECK booked_within_total),
-- raises: the statement, and with it the whole batch, writes nothing, and the service books
-- the members one by one to give each its own answer.
CREATE FUNCTION book_seats_batch(legs bigint[], ids text[], kinds text[], seat_counts integer[], tokens text[])
RETURNS TABLE (op_id text, status text, hold_token text)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  booked integer;
  moved integer;
BEGIN
  -- Ids in one order in every batch: two instances writing the same ids cannot deadlock.
  WITH written AS (
    INSERT INTO seat_ledger AS l (op_id, kind, flight_ids, seats, status, hold_token)
    SELECT o.id, o.kind, legs, o.seats, 'confirmed', o.token
    FROM unnest(ids, kinds, seat_counts, tokens) AS o(id, kind, seats, token)
    ORDER BY o.id
    ON CONFLICT ON CONSTRAINT seat_ledger_pkey DO NOTHING
    RETURNING l.seats
  )
  SELECT coalesce(sum(w.seats), 0) INTO booked FROM written w;
  IF booked > 0 THEN
    -- Flight rows locked in id order, as every other multi-leg write does.
    PERFORM 1 FROM flights f WHERE f.id = ANY(legs) ORDER BY f.id FOR UPDATE;
    UPDATE flights f SET booked_seats = f.booked_seats + booked, updated_at = now()
    WHERE f.id = ANY(legs) AND f.status <> 'cancelled';
    GET DIAGNOSTICS moved = ROW_COUNT;
    IF moved <> (SELECT count(DISTINCT x) FROM unnest(legs) AS x) THEN
      RAISE EXCEPTION 'a leg of % is cancelled or missing', legs USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  -- A statement of its own: rows committed by others while the INSERT waited are visible to it.
  RETURN QUERY SELECT l.op_id, l.status, l.hold_token FROM seat_ledger l WHERE l.op_id = ANY(ids);
END
$$;
