-- The consumer groups booking-svc made on Redis streams. Redis keeps a group with its stream, and
-- loses both with its data; an instance that then starts finds no group, as on the very first
-- start. A row here tells the two apart: after a loss the group is made again at the start of what
-- the stream holds now, so the events appended since the loss (a flight cancelled while no
-- booking-svc ran) are handled, not passed over.
CREATE TABLE stream_groups (
  name    text        PRIMARY KEY,
  made_at timestamptz NOT NULL DEFAULT now()
);
