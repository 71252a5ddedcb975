-- A failed or failing booking keeps the text of its failure in a column of its own: `message`
-- doubled as that text and as the sentence a booking shows, which booking-svc/views.ts now words
-- from the row's state (the failure's text, or a sentence for its step and status). Every
-- failure text moves over before `message` goes; the other sentences are the ones views.ts
-- derives from status and step, so nothing shown changes.
ALTER TABLE bookings ADD COLUMN failure_message text;
UPDATE bookings SET failure_message = message WHERE error_code IS NOT NULL;
ALTER TABLE bookings DROP COLUMN message;
-- A failure is its code and its text, never one without the other.
ALTER TABLE bookings ADD CONSTRAINT failure_has_message CHECK ((error_code IS NULL) = (failure_message IS NULL));
