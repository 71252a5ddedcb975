-- A refund may give back part of a redemption: a cheaper change of a booking paid in miles
-- refunds the difference, and cancelling it later gives back what is left. So one redemption may
-- have several refunds; together they never give back more than it took. The trigger below
-- enforces that under the redemption row's lock, which serializes every refund of one debit.
ALTER TABLE loyalty_entries DROP CONSTRAINT loyalty_entries_reverses_key;
CREATE INDEX loyalty_entries_reverses_idx ON loyalty_entries (reverses) WHERE reverses IS NOT NULL;

CREATE FUNCTION loyalty_refund_within_debit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  debit loyalty_entries%ROWTYPE;
  given bigint;
BEGIN
  IF NEW.kind <> 'refund' THEN
    RETURN NEW;
  END IF;
  -- A row lock, not an UPDATE: entries are append-only, and the lock is all that is needed.
  SELECT * INTO debit FROM loyalty_entries WHERE id = NEW.reverses FOR UPDATE;
  IF NOT FOUND OR debit.kind <> 'redeem' OR debit.user_id <> NEW.user_id THEN
    RAISE EXCEPTION 'loyalty: entry % is not a redemption of user %', NEW.reverses, NEW.user_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'loyalty_refund_of_redemption';
  END IF;
  -- Each statement of this function reads anew, so after the lock it sees every refund committed
  -- before, including a twin under the same key: that one is a replay, left to ON CONFLICT.
  IF EXISTS (SELECT 1 FROM loyalty_entries WHERE entry_key = NEW.entry_key) THEN
    RETURN NEW;
  END IF;
  SELECT COALESCE(sum(miles), 0) INTO given FROM loyalty_entries WHERE reverses = NEW.reverses;
  IF given + NEW.miles > -debit.miles THEN
    RAISE EXCEPTION 'loyalty: refunds of entry % would exceed its % miles', NEW.reverses, -debit.miles
      USING ERRCODE = 'check_violation', CONSTRAINT = 'loyalty_refunds_within_debit';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER loyalty_entries_refund_within_debit BEFORE INSERT ON loyalty_entries
  FOR EACH ROW EXECUTE FUNCTION loyalty_refund_within_debit();
