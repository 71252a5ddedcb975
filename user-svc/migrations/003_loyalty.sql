-- Loyalty miles. Entries are the ledger (append-only); loyalty_accounts.balance is their sum,
-- kept by the trigger below in the same statement as each entry, and its CHECK is the zero floor:
-- a redemption that would take the balance below zero fails as a whole, entry included. The
-- account row's lock (the trigger's UPDATE) serializes concurrent entries of one account.
-- user_id is not a foreign key: booking-svc's travellers need not have an account here yet.
CREATE TABLE loyalty_accounts (
  user_id    bigint      PRIMARY KEY CHECK (user_id > 0),
  balance    bigint      NOT NULL CHECK (balance >= 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE loyalty_entries (
  id         bigserial   PRIMARY KEY,
  user_id    bigint      NOT NULL CHECK (user_id > 0),
  kind       text        NOT NULL CHECK (kind IN ('earn', 'redeem', 'refund', 'adjust')),
  miles      bigint      NOT NULL CHECK (miles <> 0),
  booking_id bigint,
  -- What makes a retried call a replay: earn:<booking>:<flight>, redeem:<key>, refund:<entry>, adjust:<uuid>.
  entry_key  text        NOT NULL UNIQUE,
  -- A refund gives back one redemption, once.
  reverses   bigint      UNIQUE REFERENCES loyalty_entries (id),
  reason     text,
  at         timestamptz NOT NULL DEFAULT now(),
  CHECK (kind <> 'earn' OR (miles > 0 AND booking_id IS NOT NULL)),
  CHECK (kind <> 'redeem' OR (miles < 0 AND booking_id IS NOT NULL)),
  CHECK (kind <> 'refund' OR (miles > 0 AND reverses IS NOT NULL)),
  CHECK (kind <> 'adjust' OR reason IS NOT NULL)
);
CREATE INDEX loyalty_entries_user_idx ON loyalty_entries (user_id, id DESC);

CREATE FUNCTION loyalty_apply_entry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Made at zero first (an INSERT's CHECK sees the values it proposes, even when ON CONFLICT
  -- would update), then moved under the row's lock.
  INSERT INTO loyalty_accounts (user_id, balance) VALUES (NEW.user_id, 0) ON CONFLICT (user_id) DO NOTHING;
  UPDATE loyalty_accounts SET balance = balance + NEW.miles, updated_at = now() WHERE user_id = NEW.user_id;
  RETURN NEW;
END $$;

CREATE TRIGGER loyalty_entries_apply AFTER INSERT ON loyalty_entries
  FOR EACH ROW EXECUTE FUNCTION loyalty_apply_entry();

-- The ledger is history: entries are never changed or removed.
CREATE FUNCTION loyalty_entries_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'loyalty entries are append-only';
END $$;

CREATE TRIGGER loyalty_entries_no_change BEFORE UPDATE OR DELETE ON loyalty_entries
  FOR EACH ROW EXECUTE FUNCTION loyalty_entries_frozen();
