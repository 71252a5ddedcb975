import type { ExampleBook } from "../lib/openapi-docs.js";

// Answers of a running flight-svc on the demo data (`make run`), trimmed to one itinerary.
export const flightExamples: ExampleBook = {
  "GET /api/flights/search": {
    responses: {
      "200": {
        paths: [
          {
            flights: [
              {
                id: 876,
                flight_number: "AI41",
                airline: "Air India",
                source: "DEL",
                destination: "BLR",
                departure_time: "2024-02-15T08:30:00Z",
                arrival_time: "2024-02-15T11:10:00Z",
                total_seats: 150,
                booked_seats: 0,
                price: 10027.22,
                status: "scheduled",
                available_seats: 150,
              },
            ],
            total_price: 10027.22,
            total_time_minutes: 160,
            stops: 0,
            available_seats: 150,
          },
        ],
        count: 1,
      },
    },
  },
  "GET /api/flights/:id": {
    responses: {
      "200": {
        id: 1,
        flight_number: "AI101",
        airline: "Air India",
        source: "DEL",
        destination: "BOM",
        departure_time: "2024-02-15T08:00:00Z",
        arrival_time: "2024-02-15T10:30:00Z",
        total_seats: 180,
        booked_seats: 50,
        price: 8500,
        status: "scheduled",
        available_seats: 130,
      },
      "4xx": { error: "flight_not_found", message: "The flight was not found.", flight_id: 999999 },
    },
  },
  "POST /api/flights/validate": {
    body: { flight_id: 1, seats: 2, date: "2024-02-15" },
    responses: {
      "200": { valid: true, price: 8500, available_seats: 130, flight_id: 1, message: "The flight is available." },
    },
  },
  "POST /api/flights/holds": {
    body: { flight_ids: [4], seats: 2, ttl_seconds: 600, hold_id: "doc-example-1", date: "2024-02-15" },
    responses: {
      "201": {
        hold_id: "doc-example-1",
        status: "held",
        seats: 2,
        expires_at: "2026-12-01T16:33:21.325Z",
        legs: [{ flight_id: 4, available_seats: 138, price: 12000 }],
      },
    },
  },
  "POST /api/flights/holds/:id/confirm": {
    responses: { "200": { hold_id: "doc-example-1", status: "confirmed", seats: 2, legs: [{ flight_id: 4 }] } },
  },
  "POST /api/flights/holds/batch": {
    body: {
      items: [
        { hold: { flight_ids: [4], seats: 1, hold_id: "doc-example-2" }, request_id: "req-2" },
        { hold: { flight_ids: [999], seats: 1 } },
      ],
    },
    responses: {
      "200": {
        results: [
          {
            status: 201,
            body: {
              hold_id: "doc-example-2",
              status: "held",
              seats: 1,
              expires_at: "2026-12-01T16:33:21.325Z",
              legs: [{ flight_id: 4, available_seats: 137, price: 12000 }],
            },
          },
          { status: 404, body: { error: "flight_not_found", message: "The flight was not found.", flight_id: 999 } },
        ],
      },
    },
  },
  "POST /api/flights/holds/batch-confirm": {
    body: { items: [{ hold_id: "doc-example-2" }, { hold_id: "doc-example-9" }] },
    responses: {
      "200": {
        results: [
          { status: 200, body: { hold_id: "doc-example-2", status: "confirmed", seats: 1, legs: [{ flight_id: 4 }] } },
          {
            status: 404,
            body: { error: "hold_not_found", message: "The hold was not found.", hold_id: "doc-example-9" },
          },
        ],
      },
    },
  },
  "DELETE /api/flights/holds/:id": {
    responses: { "200": { hold_id: "doc-example-1", status: "cancelled", seats_returned: true } },
  },
};
