-- Run once by the postgres image on an empty volume: flights_db is POSTGRES_DB, the others here.
CREATE DATABASE bookings_db OWNER skybook;
CREATE DATABASE users_db OWNER skybook;
