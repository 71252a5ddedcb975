-- Group commit across flights (flight-svc/inventory/group-commit.ts): the confirms that wait while
-- a transaction runs go together in the next one whatever their legs, so bookings on many
-- different flights share a commit as the confirms of one hot flight did. book_seats_batch took
-- one leg set per call; this takes each operation's own legs ("id,id,..."). Every ledger row in
-- one INSERT; each flight's booked_seats moved once, by the seats of the rows written now on it.
-- A row that already existed (a retried confirm, one the sweeper settled first) books nothing;
-- the rows returned say how each id stands. A leg cancelled or missing, or too few seats (the
-- CHECK booked_within_total), raises: the statement writes nothing, and the service books the
-- members one by one to give each its own answer.
--
-- Its statements are planned for every call. PL/pgSQL keeps a session's plans, and after a few
-- calls it may keep a generic one, chosen for the table as it was then: book_seats_batch, planned
-- on a new or emptied seat_ledger, read the whole ledger for the rows of the batch's ids on every
-- batch until an ANALYZE replanned it (decrements on one hot flight: 27k in 10 s, against 39k
-- planned per call). A plan made for the ids at hand costs far less than the batch's commit.
--
-- OR REPLACE, and IF EXISTS below: for a while this file was 008_book_seats_many.sql, and a
-- database migrated then already ran it under that name, so it meets this file as new.
CREATE OR REPLACE FUNCTION book_seats_many(ids text[], kinds text[], seat_counts integer[], tokens text[], leg_lists text[])
RETURNS TABLE (op_id text, status text, hold_token text)
LANGUAGE plpgsql VOLATILE SET plan_cache_mode = force_custom_plan AS $$
DECLARE
  legs_booked bigint[];
  seats_booked integer[];
  moved integer;
BEGIN
  -- Ids in one order in every batch: two instances writing the same ids cannot deadlock.
  WITH written AS (
    INSERT INTO seat_ledger AS l (op_id, kind, flight_ids, seats, status, hold_token)
    SELECT o.id, o.kind, string_to_array(o.legs, ',')::bigint[], o.seats, 'confirmed', o.token
    FROM unnest(ids, kinds, seat_counts, tokens, leg_lists) AS o(id, kind, seats, token, legs)
    ORDER BY o.id
    ON CONFLICT ON CONSTRAINT seat_ledger_pkey DO NOTHING
    RETURNING l.flight_ids, l.seats
  ), per_flight AS (
    SELECT f.id, sum(w.seats)::integer AS seats FROM written w, unnest(w.flight_ids) AS f(id) GROUP BY f.id
  )
  SELECT array_agg(p.id ORDER BY p.id), array_agg(p.seats ORDER BY p.id) INTO legs_booked, seats_booked
  FROM per_flight p;
  IF legs_booked IS NOT NULL THEN
    -- Flight rows locked in id order, as every other multi-leg write does.
    PERFORM 1 FROM flights f WHERE f.id = ANY(legs_booked) ORDER BY f.id FOR UPDATE;
    UPDATE flights f SET booked_seats = f.booked_seats + p.seats, updated_at = now()
    FROM unnest(legs_booked, seats_booked) AS p(id, seats)
    WHERE f.id = p.id AND f.status <> 'cancelled';
    GET DIAGNOSTICS moved = ROW_COUNT;
    IF moved <> cardinality(legs_booked) THEN
      RAISE EXCEPTION 'a leg of % is cancelled or missing', legs_booked USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  -- A statement of its own: rows committed by others while the INSERT waited are visible to it.
  RETURN QUERY SELECT l.op_id, l.status, l.hold_token FROM seat_ledger l WHERE l.op_id = ANY(ids);
END
$$;

-- Replaced by book_seats_many. A flight-svc of the release before that still calls it gets an
-- error, and books that batch's members one by one.
DROP FUNCTION IF EXISTS book_seats_batch(bigint[], text[], text[], integer[], text[]);
