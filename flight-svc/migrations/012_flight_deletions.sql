-- Counts statements that delete flights (DELETE, TRUNCATE: a data reset), so that the schedule
-- refresh learns of deletions by reading one number instead of counting the table, which at a
-- million flights is a 100 ms scan every period. A sequence, because TRUNCATE ... RESTART
-- IDENTITY of the tables leaves it alone; a deletion rolled back still counts (one needless
-- full read).
CREATE SEQUENCE flight_deletions;

CREATE FUNCTION count_flight_deletion() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nextval('flight_deletions');
  RETURN NULL;
END $$;

CREATE TRIGGER flights_deleted AFTER DELETE OR TRUNCATE ON flights
  FOR EACH STATEMENT EXECUTE FUNCTION count_flight_deletion();
