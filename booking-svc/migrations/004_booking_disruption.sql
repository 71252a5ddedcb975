-- Why a booking was cancelled (its traveller, or its flight's cancellation), and whether a
-- flight's new times left one of its connections shorter than the minimum connection time.
ALTER TABLE bookings ADD COLUMN cancel_reason text CHECK (cancel_reason IN ('customer', 'flight_cancelled'));
UPDATE bookings SET cancel_reason = 'customer' WHERE status = 'cancelled' OR step IN ('cancel', 'cancel_refund');
ALTER TABLE bookings ADD COLUMN connection_at_risk boolean NOT NULL DEFAULT false;
