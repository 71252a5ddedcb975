-- Marks statements that delete flights (DELETE, TRUNCATE: a data reset), so that the schedule
-- refresh learns of deletions by reading one row instead of counting the table, which at a
-- million flights is a 100 ms scan every period. The mark is a row, written in the deleting
-- transaction, so it is seen only once the deletion is: a refresh that read the flights while
-- the deletion was uncommitted finds a new mark after it commits and reads them all again.
-- Its value comes from a sequence, which never repeats, not even when the tables are truncated
-- (a test's reset) and the row is made anew. A deletion rolled back leaves no mark.
CREATE SEQUENCE flight_deletion_marks;

CREATE TABLE flight_deletions (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  mark     bigint  NOT NULL
);

CREATE FUNCTION mark_flight_deletion() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO flight_deletions (mark) VALUES (nextval('flight_deletion_marks'))
  ON CONFLICT (only_row) DO UPDATE SET mark = excluded.mark;
  RETURN NULL;
END $$;

CREATE TRIGGER flights_deleted AFTER DELETE OR TRUNCATE ON flights
  FOR EACH STATEMENT EXECUTE FUNCTION mark_flight_deletion();
