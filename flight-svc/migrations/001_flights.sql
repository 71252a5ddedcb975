-- Flights: the original's columns plus status. booked_seats counts confirmed seats only
-- (holds live in Redis); the CHECK makes overselling impossible even if Redis is wrong.
CREATE TABLE flights (
  id             bigserial PRIMARY KEY,
  flight_number  text        NOT NULL CHECK (flight_number ~ '^[A-Z0-9]{2,3}[0-9]{1,5}$'),
  airline        text        NOT NULL DEFAULT '',
  source         char(3)     NOT NULL CHECK (source ~ '^[A-Z]{3}$'),
  destination    char(3)     NOT NULL CHECK (destination ~ '^[A-Z]{3}$'),
  departure_time timestamptz NOT NULL,
  arrival_time   timestamptz NOT NULL,
  total_seats    integer     NOT NULL CHECK (total_seats > 0),
  booked_seats   integer     NOT NULL DEFAULT 0,
  price          numeric(10, 2) NOT NULL CHECK (price >= 0),
  status         text        NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'delayed', 'cancelled')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT booked_within_total CHECK (booked_seats >= 0 AND booked_seats <= total_seats),
  CONSTRAINT arrival_after_departure CHECK (arrival_time > departure_time),
  CONSTRAINT distinct_airports CHECK (source <> destination)
);

-- Loading the search index reads flights by departure window; the refresh reads what changed.
CREATE INDEX flights_departure_idx ON flights (departure_time);
CREATE INDEX flights_source_departure_idx ON flights (source, departure_time);
CREATE INDEX flights_updated_at_idx ON flights (updated_at);
