-- The X-Request-Id of the request that created the booking: the recovery sweeper works under it,
-- so its log lines and its calls to flight-svc and payment-mock can be traced to that request.
ALTER TABLE bookings ADD COLUMN request_id text;
