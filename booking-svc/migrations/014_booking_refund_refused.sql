-- A refund the provider refuses for good (payment-mock no longer knows the payment after a
-- restart, a reset or its LRU) was taken for a refund made: a cancelled booking said "the payment
-- refunded" with no refund behind it. The booking now settles keeping why the refund was not made,
-- and its message says so (booking-svc/views.ts). Only a settled booking can have refused one.
ALTER TABLE bookings ADD COLUMN refund_refused text,
  ADD CONSTRAINT refund_refused_when_settled CHECK (refund_refused IS NULL OR status IN ('failed', 'cancelled'));
