-- A cheaper change's refund that the provider refuses for good (payment-mock no longer knows the
-- payment after a restart, a reset or its LRU; less is left than asked) used to keep the change
-- at its refund step, retried for ever, with its booking unusable. The change now finishes and
-- records how much of what it owed back was not refunded, and why, so that its answer and the
-- booking's history say what moved. Existing rows refunded everything they owed: 0 and null.
ALTER TABLE booking_changes
  ADD COLUMN unrefunded_amount numeric(12, 2) NOT NULL DEFAULT 0,
  ADD COLUMN unrefunded_reason text,
  ADD CONSTRAINT unrefunded_within_owed
    CHECK (unrefunded_amount >= 0 AND unrefunded_amount <= refund_amount + charge_amount),
  ADD CONSTRAINT unrefunded_has_reason CHECK ((unrefunded_amount = 0) = (unrefunded_reason IS NULL));
